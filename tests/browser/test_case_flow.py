"""Case handling in a real browser: the urgent path, exclusion, reminders, retaliation check-ins.

Reporters walk with and without JavaScript (the `visit` fixture); handlers use the staff side.
Background tasks wait in the database, as in production, until the test runs the worker.
"""

import datetime
import re

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone
from playwright.sync_api import expect

from safelight.cases.models import CheckIn
from safelight.intake.questions import display_name
from safelight.reports.models import Priority, Recipient, Report, ReportKey, Status
from tests.browser.conftest import Visit
from tests.browser.flow_helpers import confirmed_device, staff_sign_in
from tests.intake.conftest import ben, channel, hana, questionnaire  # noqa: F401

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

NARRATIVE = "He said he would hurt me if I told anyone, and he has my phone's location."
SAFETY_STEP = 4
EXCLUDED_STEP = 3


def _report(visit: Visit, channel, *, tick: dict[int, list[str]] | None = None) -> str:  # noqa: F811
    """Walk the questionnaire in the browser; tick the given checkbox labels on given steps."""
    tick = tick or {}
    page = visit.page
    visit.goto(f"/{channel.organisation.slug}/{channel.slug}/")
    page.get_by_role("button", name="Start").click()
    steps = channel.questionnaire.steps.count()
    for number in range(1, steps + 1):
        if number == 1:
            page.locator("textarea[name=q_what_happened]").fill(NARRATIVE)
        for label in tick.get(number, []):
            page.get_by_label(label, exact=True).check()
        if number < steps:
            page.get_by_role("button", name="Continue", exact=True).click()
        else:
            page.get_by_role("button", name="Review my report").click()
    page.get_by_role("button", name="Send my report").click()
    return page.locator("#receipt code").inner_text()


def _give_emails(*handlers):
    for handler in handlers:
        handler.user.email = f"{handler.user.username}@acme.example"
        handler.user.save()


def test_an_urgent_report_shows_urgent_help_and_alerts_the_on_call_handler(
    visit, channel, hana, ben  # noqa: F811
):
    organisation = channel.organisation
    organisation.urgent_help = "Emergency services: 112\nHelpline (24 hours): 0808 2000 247"
    organisation.save()
    Recipient.objects.filter(channel=channel, handler=hana).update(on_call=True)
    _give_emails(hana, ben)

    _report(visit, channel, tick={SAFETY_STEP: [
        "Has the person threatened to kill or hurt you, your children or someone close to you?"
    ]})

    page = visit.page
    urgent = page.locator("#urgent-help")
    expect(urgent).to_contain_text("Your safety comes first")
    expect(urgent).to_contain_text("Emergency services: 112")
    # The guidance comes before anything else on the page, the receipt included.
    assert page.content().index("urgent-help") < page.content().index('id="receipt"')
    report = Report.objects.get()
    assert report.priority == Priority.URGENT

    call_command("worker", batch=True, verbosity=0)

    # hana is on call: the urgent alert (and not the new-report mail too); ben, not on call,
    # holds the key and hears of a new report.
    assert sorted((m.to[0], m.subject) for m in mail.outbox) == [
        ("ben@acme.example", "Safelight: a new report"),
        ("hana@acme.example", "Safelight: an urgent report needs attention"),
    ]
    for message in mail.outbox:
        text = message.subject + message.body
        for secret in (NARRATIVE, "hurt", "location", report.reference):
            assert secret not in text
    assert visit.foreign_requests() == []


def test_an_excluded_handler_gets_404_and_holds_no_key(
    visit, browser, live_server, channel, hana, ben  # noqa: F811
):
    _report(visit, channel, tick={EXCLUDED_STEP: [display_name(ben)]})
    report = Report.objects.get()
    assert not ReportKey.objects.filter(report=report, handler=ben).exists()
    assert ReportKey.objects.filter(report=report, handler=hana).exists()

    context = browser.new_context()
    staff = context.new_page()
    staff_sign_in(staff, live_server.url, ben, confirmed_device(ben))
    staff.goto(live_server.url + "/staff/reports/")
    expect(staff.get_by_text(report.reference)).to_have_count(0)
    response = staff.goto(live_server.url + f"/staff/reports/{report.pk}/")
    assert response.status == 404
    context.close()


def test_a_reminder_run_sends_an_email_with_nothing_from_the_report(
    browser, live_server, channel, hana, ben  # noqa: F811
):
    _give_emails(hana, ben)
    context = browser.new_context()
    reporter = Visit(context, live_server.url)
    _report(reporter, channel)
    report = Report.objects.get()
    overdue = timezone.now() - datetime.timedelta(days=1)
    Report.objects.filter(pk=report.pk).update(acknowledge_by=overdue, next_deadline=overdue)

    call_command("tick", now=True, verbosity=0)

    assert sorted(m.to[0] for m in mail.outbox) == ["ben@acme.example", "hana@acme.example"]
    message = next(m for m in mail.outbox if m.to == ["hana@acme.example"])
    text = message.subject + message.body
    assert "Harassment at work" in text and "acknowledge" in text.lower()
    assert NARRATIVE not in text and report.reference not in text
    link = re.search(r"https?://\S+", message.body).group(0)
    assert link.endswith("/staff/reports/?due=overdue")

    # The link leads a signed-in handler to the overdue case.
    staff = context.new_page()
    staff_sign_in(staff, live_server.url, hana, confirmed_device(hana))
    staff.goto(live_server.url + "/staff/reports/?due=overdue")
    expect(staff.get_by_role("link", name=report.reference)).to_be_visible()
    expect(staff.locator("table.inbox strong.overdue")).to_be_visible()
    context.close()


CLOSING = "We found that it happened. The person was given a warning."


def test_a_check_in_answered_yes_reopens_the_case(visit, browser, live_server, channel, hana):  # noqa: F811
    _give_emails(hana)
    receipt = _report(visit, channel)
    report = Report.objects.get()

    # The handler closes the case with an outcome.
    context = browser.new_context()
    staff = context.new_page()
    staff_sign_in(staff, live_server.url, hana, confirmed_device(hana))
    staff.goto(live_server.url + f"/staff/reports/{report.pk}/")
    staff.get_by_role("button", name="Close the case").click()
    expect(staff.get_by_text("Choose the outcome before closing the case.")).to_be_visible()
    outcome = staff.locator("#outcome")
    outcome.get_by_label("Substantiated", exact=True).check()
    outcome.get_by_label("Warning", exact=True).check()
    # Closing tells the reporter: without a closing message (or a reason for none) it is refused.
    staff.get_by_role("button", name="Close the case").click()
    expect(staff.get_by_text("Write a closing message to the reporter.")).to_be_visible()
    outcome = staff.locator("#outcome")
    expect(outcome.get_by_label("Substantiated", exact=True)).to_be_checked()
    outcome.get_by_label("Closing message to the reporter").fill(CLOSING)
    staff.get_by_role("button", name="Close the case").click()
    expect(staff.get_by_text("The case is closed and your message was sent.")).to_be_visible()
    report.refresh_from_db()
    assert report.status == Status.CLOSED
    assert CheckIn.objects.filter(report=report).count() == 3

    # Thirty days later, the reporter is asked, and answers yes.
    first = CheckIn.objects.filter(report=report).order_by("due_at").first()
    CheckIn.objects.filter(pk=first.pk).update(due_at=timezone.now() - datetime.timedelta(hours=1))
    page = visit.page
    visit.goto("/receipt/")
    page.get_by_label("Your receipt").fill(receipt)
    page.get_by_role("button", name="Open my report").click()
    expect(page.get_by_text("Since you reported, has anyone treated you worse")).to_be_visible()
    expect(page.get_by_text(CLOSING)).to_be_visible()
    page.get_by_label("Yes").check()
    page.get_by_label("Anything you want to tell us (optional)").fill("He moved to my team.")
    page.get_by_role("button", name="Send my answer").click()
    expect(page.get_by_text("Your case has been opened again")).to_be_visible()

    report.refresh_from_db()
    assert report.status == Status.IN_PROGRESS
    assert report.priority == Priority.ELEVATED
    call_command("worker", batch=True, verbosity=0)
    # The worker also runs the new-report notification queued when the report came in.
    reopened = [m for m in mail.outbox if m.subject == "Safelight: a case was reopened"]
    assert [m.to for m in reopened] == [["hana@acme.example"]]
    assert all("He moved to my team." not in m.body for m in mail.outbox)

    staff.goto(live_server.url + f"/staff/reports/{report.pk}/")
    expect(staff.get_by_text("the reporter says they have been treated worse")).to_be_visible()
    expect(staff.get_by_text("He moved to my team.")).to_be_visible()
    expect(staff.locator("#summary")).to_contain_text("Elevated")
    assert visit.foreign_requests() == []
    context.close()
