from django.conf import settings
from django.http import HttpRequest


def safety(request: HttpRequest) -> dict[str, str]:
    """The quick exit's destination: the organisation's own choice, else the server's default."""
    return {"default_quick_exit_url": settings.SAFELIGHT_QUICK_EXIT_URL}
