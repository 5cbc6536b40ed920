"""Site-wide views: the error pages, which must keep the quick exit and leak nothing."""

from django.contrib.staticfiles import finders
from django.core.exceptions import ImproperlyConfigured
from django.http import FileResponse, HttpRequest, HttpResponseForbidden, HttpResponseServerError
from django.template import loader


def server_error(request: HttpRequest) -> HttpResponseServerError:
    # Rendered with the request so the quick exit works; no debug detail, ever.
    return HttpResponseServerError(loader.render_to_string("500.html", request=request))


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponseForbidden:
    # The reason stays out of the page: it is for developers, and says nothing useful to a reporter.
    return HttpResponseForbidden(loader.render_to_string("403_csrf.html", request=request))


def favicon(request: HttpRequest) -> FileResponse:
    """A plain grey square: browsers ask every site for /favicon.ico and keep the answer, so the
    icon is neutral (it says nothing about what the site is for) and never a 404."""
    icon = finders.find("safelight/favicon.ico")
    if icon is None:
        raise ImproperlyConfigured("safelight/favicon.ico is missing from the static files")
    return FileResponse(open(icon, "rb"), content_type="image/x-icon")
