from __future__ import annotations

import pytest

from tests.i18n import pseudo


@pytest.fixture(scope="session")
def fresh_catalogue(tmp_path_factory):
    """Safelight's msgids as the source marks them today (makemessages over a copy)."""
    return pseudo.extract(tmp_path_factory.mktemp("extracted"))


@pytest.fixture(scope="session")
def pseudo_locale(tmp_path_factory, fresh_catalogue):
    """A LOCALE_PATHS directory holding the pseudo-locale's compiled catalogue."""
    return pseudo.build(tmp_path_factory.mktemp("pseudo"), fresh_catalogue)


@pytest.fixture
def in_pseudo_locale(settings, pseudo_locale):
    """Pages in the pseudo-locale: it is a language of the site and its default, and its
    catalogue comes first. Django's setting_changed handler drops the loaded catalogues when
    these change, and again when the test ends."""
    settings.LOCALE_PATHS = [str(pseudo_locale), *settings.LOCALE_PATHS]
    settings.LANGUAGES = [*settings.LANGUAGES, (pseudo.CODE, pseudo.pseudo("Pseudo-English"))]
    settings.LANGUAGE_CODE = pseudo.CODE
    return pseudo.CODE
