"""Site-wide views: the error pages, which must keep the quick exit and leak nothing."""

from django.http import HttpRequest, HttpResponseForbidden, HttpResponseServerError
from django.template import loader


def server_error(request: HttpRequest) -> HttpResponseServerError:
    # Rendered with the request so the quick exit works; no debug detail, ever.
    return HttpResponseServerError(loader.render_to_string("500.html", request=request))


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponseForbidden:
    # The reason stays out of the page: it is for developers, and says nothing useful to a reporter.
    return HttpResponseForbidden(loader.render_to_string("403_csrf.html", request=request))
