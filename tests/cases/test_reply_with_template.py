"""Replying from a reviewed template, with referrals from the directory."""

import pytest

from safelight.cases.models import ReplyTemplate, TemplateUse
from safelight.cases.template_actions import install_default_templates
from safelight.referrals.default_services import install_demo_services
from safelight.referrals.models import Referral
from safelight.reports.models import Message
from tests.cases.conftest import submit
from tests.conftest import sign_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def library(organisation):
    install_default_templates(organisation=organisation, languages=["en"])
    install_demo_services(organisation)
    return organisation


def test_it_prefills_the_reply_from_a_template_and_services(client, channel, hana, library):
    report, _receipt = submit(channel)
    template = ReplyTemplate.objects.get(kind="referral")
    service = library.services.order_by("name").first()
    sign_in(client, hana)
    page = client.get(f"/staff/reports/{report.pk}/",
                      {"template": template.pk, "services": [service.pk]}).content.decode()
    assert report.reference in page.split('name="body"')[1]  # {reference} filled in the reply
    assert service.name in page.split('name="body"')[1]
    assert "Not yet reviewed" in page
    assert f'name="template" value="{template.pk}"' in page


def test_it_records_the_template_version_and_referrals_given(client, channel, hana, library):
    report, _receipt = submit(channel)
    template = ReplyTemplate.objects.get(kind="acknowledgement")
    service = library.services.order_by("name").first()
    sign_in(client, hana)
    response = client.post(f"/staff/reports/{report.pk}/reply/", {
        "body": "Edited words from the template.", "template": template.pk,
        "services": str(service.pk),
    })
    assert response.status_code == 302
    message = Message.objects.get()
    use = TemplateUse.objects.get(message=message)
    assert (use.template, use.version) == (template, template.version)
    assert list(Referral.objects.filter(message=message).values_list("service", flat=True)) == [
        service.pk
    ]


def test_it_ignores_another_organisations_template(client, channel, hana, library):
    from safelight.accounts.actions import create_organisation

    other = create_organisation(name="Other", slug="other")
    install_default_templates(organisation=other, languages=["en"])
    foreign = ReplyTemplate.objects.filter(organisation=other).first()
    report, _receipt = submit(channel)
    sign_in(client, hana)
    client.post(f"/staff/reports/{report.pk}/reply/", {"body": "Hello", "template": foreign.pk})
    assert Message.objects.count() == 1
    assert not TemplateUse.objects.exists()


def test_it_records_the_version_the_handler_was_shown(client, channel, hana, library):
    from safelight.cases.template_actions import save_template

    report, _receipt = submit(channel)
    template = ReplyTemplate.objects.get(kind="acknowledgement")
    shown = template.version
    sign_in(client, hana)
    page = client.get(f"/staff/reports/{report.pk}/", {"template": template.pk}).content.decode()
    assert f'name="template_version" value="{shown}"' in page
    template.body += "\nA later edit."
    save_template(template=template)
    assert template.version == shown + 1
    client.post(f"/staff/reports/{report.pk}/reply/", {
        "body": "Words as shown.", "template": template.pk, "template_version": shown,
    })
    assert TemplateUse.objects.get().version == shown
