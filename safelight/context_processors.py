from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest
from django.utils.translation import gettext

from safelight.accounts.models import Organisation


def neutral_page_title() -> str:
    """The title of reporter pages that belong to no organisation (the locker, the receipt
    page): the only organisation's own neutral title, else one that says nothing."""
    organisations = list(Organisation.objects.prefetch_related("translations")[:2])
    if len(organisations) == 1:
        # In the page's language, else the organisation's default language (its texts are
        # translated data: safelight.accounts.content).
        title = organisations[0].safe_translation_getter("page_title", default="")
        if title:
            return title
    return gettext("Online form")


def safety(request: HttpRequest) -> dict[str, str | Callable[[], str]]:
    """The quick exit's destination: the organisation's own choice, else the server's default.
    And the neutral page title (a callable: it is looked up only on pages that show it)."""
    return {
        "default_quick_exit_url": settings.SAFELIGHT_QUICK_EXIT_URL,
        "neutral_page_title": neutral_page_title,
    }
