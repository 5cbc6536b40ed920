"""Response headers that keep reporters safe (DESIGN.md, "Reporter safety rules").

Django's SecurityMiddleware and XFrameOptionsMiddleware set Referrer-Policy, X-Content-Type-Options,
Cross-Origin-Opener-Policy and X-Frame-Options from settings; this one adds what Django 5.2 has no
setting for. It runs outermost, so static files, redirects and error pages get the headers too.
"""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
        "object-src 'none'",
    ]
)
# No page needs these; denying them means no script can ask for a location or a camera.
PERMISSIONS_POLICY = "camera=(), microphone=(), geolocation=(), payment=(), usb=()"


class SecurityHeadersMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response["Content-Security-Policy"] = CONTENT_SECURITY_POLICY
        response["Permissions-Policy"] = PERMISSIONS_POLICY
        response["Cross-Origin-Resource-Policy"] = "same-origin"
        # Nothing is cached, static files included: a browser cache that holds a Safelight
        # stylesheet tells whoever checks the device that the person visited.
        response["Cache-Control"] = "no-store"
        response.headers.pop("Expires", None)
        response.headers.pop("Last-Modified", None)
        response.headers.pop("ETag", None)
        return response
