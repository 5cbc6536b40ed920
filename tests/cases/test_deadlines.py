"""Acknowledgement and feedback are distinct acts: a reply acknowledges, only a reply that gives
feedback meets the first-feedback deadline; the promised date is the date both pages show."""

import html
import re

import pytest
from django.test import Client
from django.utils import formats, timezone

from safelight.cases.models import ReplyTemplate
from safelight.cases.template_actions import install_default_templates
from safelight.reports.models import Message
from tests.cases.conftest import submit
from tests.conftest import sign_in

pytestmark = pytest.mark.django_db

FEEDBACK_MET = re.compile(r"First feedback on what is being done: due [^<]* — <strong>met</strong>")


def reporter_page(receipt: str) -> str:
    reporter = Client()
    assert reporter.post("/receipt/", {"receipt": receipt}).status_code == 302
    return reporter.get("/receipt/report/").content.decode()


def reply(client, report, **data):
    response = client.post(f"/staff/reports/{report.pk}/reply/", data)
    assert response.status_code == 302, response.content.decode()[:3000]
    report.refresh_from_db()
    return Message.objects.filter(report=report, author__isnull=False).latest("sent_at")


def prefilled_body(client, report, template) -> str:
    page = client.get(f"/staff/reports/{report.pk}/", {"template": template.pk}).content.decode()
    textarea = re.search(r'<textarea name="body"[^>]*>(.*?)</textarea>', page, re.S)
    return html.unescape(textarea.group(1)).strip()


def test_it_meets_only_the_acknowledgement_with_a_plain_reply(client, channel, hana):
    report, receipt = submit(channel)
    sign_in(client, hana)
    message = reply(client, report, body="Thank you. We will tell you what we do by June.")
    assert report.acknowledged_at is not None
    assert report.feedback_at is None
    assert report.next_deadline == report.feedback_by
    assert message.gives_feedback is False
    page = reporter_page(receipt)
    assert "Acknowledge the report: due" in page
    assert not FEEDBACK_MET.search(page)
    assert "First feedback on what is being done: due" in page


def test_it_meets_the_feedback_deadline_with_a_reply_marked_as_feedback(client, channel, hana):
    report, receipt = submit(channel)
    sign_in(client, hana)
    reply(client, report, body="Thank you, we have your report.")
    message = reply(client, report, body="We moved you to another team.", gives_feedback="on")
    assert message.gives_feedback is True
    assert report.feedback_at == message.sent_at
    assert report.next_deadline is None
    assert FEEDBACK_MET.search(reporter_page(receipt))


def test_it_counts_a_reply_from_an_outcome_or_measures_template_as_feedback(
    client, channel, hana, organisation
):
    install_default_templates(organisation=organisation, languages=["en"])
    report, _receipt = submit(channel)
    sign_in(client, hana)
    acknowledgement = ReplyTemplate.objects.get(kind="acknowledgement")
    reply(client, report, body="Thank you.", template=acknowledgement.pk)
    assert report.feedback_at is None  # an acknowledgement promises feedback; it is none
    measures = ReplyTemplate.objects.get(kind="interim_measures")
    message = reply(client, report, body="We can offer you leave.", template=measures.pk)
    assert message.gives_feedback is True
    assert report.feedback_at == message.sent_at


def test_it_ticks_the_feedback_box_for_a_feedback_template_only(client, channel, hana,
                                                                organisation):
    install_default_templates(organisation=organisation, languages=["en"])
    report, _receipt = submit(channel)
    sign_in(client, hana)
    checkbox = re.compile(r'<input type="checkbox" name="gives_feedback"[^>]*>')
    for kind, ticked in (("acknowledgement", False), ("more_information", False),
                         ("outcome", True)):
        template = ReplyTemplate.objects.get(kind=kind)
        page = client.get(f"/staff/reports/{report.pk}/",
                          {"template": template.pk}).content.decode()
        assert ("checked" in checkbox.search(page).group(0)) is ticked, kind


def test_it_promises_in_feedback_by_the_date_both_pages_show(client, channel, hana,
                                                             organisation):
    install_default_templates(organisation=organisation, languages=["en"])
    # A report sent days ago: acknowledging it now moves the feedback date earlier than the
    # provisional one counted from the acknowledgement deadline.
    report, receipt = submit(channel)
    report.submitted_at -= timezone.timedelta(days=5)
    report.acknowledge_by -= timezone.timedelta(days=5)
    report.feedback_by -= timezone.timedelta(days=5)
    report.save()
    sign_in(client, hana)
    template = ReplyTemplate.objects.get(kind="acknowledgement")
    body = prefilled_body(client, report, template)
    reply(client, report, body=body, template=template.pk)

    shown = formats.date_format(timezone.localtime(report.feedback_by).date(), "DATE_FORMAT")
    assert f"by {shown} at the latest" in body
    staff = client.get(f"/staff/reports/{report.pk}/").content.decode()
    assert f"First feedback on what is being done: {shown}" in staff
    assert f"First feedback on what is being done: due {shown}" in reporter_page(receipt)
