"""Channel addresses are neutral by default: they are kept in browsers' history."""

import pytest

from safelight.intake.setup_actions import create_channel, neutral_channel_slug
from tests.conftest import sign_in
from tests.intake.conftest import ben, channel, hana, questionnaire  # noqa: F401


def _channel(organisation, questionnaire, name: str, **kwargs):  # noqa: F811
    return create_channel(organisation=organisation, name=name, description="For reports.",
                          who_reads="HR.", questionnaire=questionnaire, **kwargs)


@pytest.mark.django_db
def test_it_gives_a_new_channel_a_neutral_address(organisation, questionnaire):  # noqa: F811
    first = _channel(organisation, questionnaire, "Abuse by a partner or ex-partner")
    second = _channel(organisation, questionnaire, "Harassment at work")
    assert (first.slug, second.slug) == ("form-1", "form-2")
    assert neutral_channel_slug(organisation) == "form-3"


@pytest.mark.django_db
def test_it_skips_an_address_already_taken(organisation, questionnaire):  # noqa: F811
    _channel(organisation, questionnaire, "Chosen", slug="form-1")
    assert _channel(organisation, questionnaire, "Next").slug == "form-2"


@pytest.mark.django_db
def test_it_offers_a_neutral_address_in_the_administration(client, administrator, channel):  # noqa: F811
    sign_in(client, administrator)
    page = client.get("/staff/admin/intake/channel/add/")
    assert page.status_code == 200
    form = page.context["adminform"].form
    assert form.initial["slug"] == "form-1"
    assert "never what the channel is for" in str(form.fields["slug"].help_text)
    # No address made from the name as it is typed.
    assert 'data-prepopulated-fields="[]"' in page.content.decode()
