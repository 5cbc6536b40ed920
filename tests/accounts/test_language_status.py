"""Where staff choose a language, every translation not reviewed by a native speaker says so
(issue 15, item 6): never claim a review that did not happen."""

import pytest
from django.conf import settings

from safelight.accounts import language_status
from tests.conftest import sign_in

DRAFT = "(draft translation, not yet reviewed by a native speaker)"


def test_every_language_but_english_is_a_draft_until_a_reviewer_says_otherwise():
    labels = dict(language_status.choices_with_status())
    assert labels["en"] == "English"
    assert labels["es"] == f"Español {DRAFT}"
    assert all(DRAFT in labels[code] for code, _name in settings.LANGUAGES if code != "en")
    assert language_status.REVIEWED == {}  # none reviewed yet: docs/translation.md agrees


def test_a_reviewed_language_is_listed_without_the_mark(monkeypatch):
    monkeypatch.setitem(language_status.REVIEWED, "fr", "A reviewer, 2027-01")
    labels = dict(language_status.choices_with_status())
    assert labels["fr"] == "Français"
    assert DRAFT in labels["de"]


@pytest.mark.django_db
def test_the_organisation_s_default_language_lists_the_drafts_as_drafts(
    organisation, staff_client
):
    page = staff_client.get(
        f"/staff/admin/accounts/organisation/{organisation.pk}/change/").content.decode()
    assert f"العربية {DRAFT}" in page
    assert '<option value="en" selected>English</option>' in page


@pytest.mark.django_db
def test_the_handler_s_email_language_lists_the_drafts_as_drafts(client, handler):
    sign_in(client, handler)
    page = client.get("/staff/email/").content.decode()
    assert f"Deutsch {DRAFT}" in page
