"""Response headers that keep reporters safe (DESIGN.md, "Reporter safety rules").

Django's SecurityMiddleware and XFrameOptionsMiddleware set Referrer-Policy, X-Content-Type-Options,
Cross-Origin-Opener-Policy and X-Frame-Options from settings; this one adds what Django 5.2 has no
setting for. It runs outermost, so static files, redirects and error pages get the headers too.

One exception, asked for per response: a page that runs libsodium.js in the browser (the escrow's
OPRF, static/escrow/) needs to compile WebAssembly, which `default-src 'self'` forbids. Such a view
is decorated with `@allow_wasm` (or calls `let_compile_wasm(response)`), and its response gets
`script-src 'self' 'wasm-unsafe-eval'`: WebAssembly compilation only, never JavaScript's eval.
Everything else in the policy stays the same.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import ParamSpec, TypeVar

from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase

Params = ParamSpec("Params")
Response = TypeVar("Response", bound=HttpResponseBase)

# The response's attribute that asks for the WebAssembly policy.
_ALLOWS_WASM = "allows_wasm"

_POLICY_REST = [
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
    "object-src 'none'",
]
CONTENT_SECURITY_POLICY = "; ".join(["default-src 'self'", *_POLICY_REST])
CONTENT_SECURITY_POLICY_WASM = "; ".join(
    ["default-src 'self'", "script-src 'self' 'wasm-unsafe-eval'", *_POLICY_REST]
)
# No page needs these; denying them means no script can ask for a location or a camera.
PERMISSIONS_POLICY = "camera=(), microphone=(), geolocation=(), payment=(), usb=()"


def let_compile_wasm(response: HttpResponseBase) -> None:
    """Let the page of this response compile WebAssembly (and nothing more than that)."""
    setattr(response, _ALLOWS_WASM, True)


def allow_wasm(view: Callable[Params, Response]) -> Callable[Params, Response]:
    """Let the page this view returns compile WebAssembly (and nothing more than that).

    For a class-based view: `@method_decorator(allow_wasm, name="dispatch")`.
    """

    @wraps(view)
    def wrapped(*args: Params.args, **kwargs: Params.kwargs) -> Response:
        response = view(*args, **kwargs)
        let_compile_wasm(response)
        return response

    return wrapped


class SecurityHeadersMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response["Content-Security-Policy"] = (
            CONTENT_SECURITY_POLICY_WASM
            if getattr(response, _ALLOWS_WASM, False) is True
            else CONTENT_SECURITY_POLICY
        )
        response["Permissions-Policy"] = PERMISSIONS_POLICY
        response["Cross-Origin-Resource-Policy"] = "same-origin"
        # Nothing is cached, static files included: a browser cache that holds a Safelight
        # stylesheet tells whoever checks the device that the person visited.
        response["Cache-Control"] = "no-store"
        response.headers.pop("Expires", None)
        response.headers.pop("Last-Modified", None)
        response.headers.pop("ETag", None)
        return response
