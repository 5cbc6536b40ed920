"""Reply templates: placeholders, rendering, versions, the library a handler picks from."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.utils import formats, timezone

from safelight.accounts.actions import create_handler, create_organisation
from safelight.audit.models import Event
from safelight.cases.models import ReplyTemplate, ReplyTemplateRevision, TemplateKind, TemplateUse
from safelight.cases.reply_templates import (
    PLACEHOLDERS,
    ReviewState,
    render,
    review_status,
    templates_for,
    unknown_placeholders,
    validate_placeholders,
)
from safelight.cases.template_actions import record_template_use, save_template
from safelight.reports.models import Message, Report
from tests.conftest import PASSWORD
from tests.intake import flow


@pytest.fixture
def report(channel):
    flow.report(Client(), channel, {1: {"q_what_happened": "He tracks my phone."}})
    return Report.objects.get()


def new_template(organisation, actor=None, **fields) -> ReplyTemplate:
    values = {"kind": TemplateKind.ACKNOWLEDGEMENT, "name": "Thanks", "language": "en",
              "body": "Thank you. Your reference is {reference}."}
    values.update(fields)
    return save_template(template=ReplyTemplate(organisation=organisation, **values), actor=actor)


def a_reply(report, handler) -> Message:
    # The body would be sealed under the report key; these tests only need the row.
    return Message.objects.create(report=report, sent_at=timezone.now(), author=handler,
                                  body=b"\x01sealed")


# Placeholders ---------------------------------------------------------------------------------


def test_it_names_every_unknown_placeholder_once():
    text = "Hi {name}, about {reference}: {report.reference} {name} {}"
    assert unknown_placeholders(text) == ["name", "report.reference", ""]
    with pytest.raises(ValidationError) as caught:
        validate_placeholders(text)
    message = caught.value.messages[0]
    assert "Unknown placeholders: {name}, {report.reference}, {}." in message
    assert "{reference}" in message.split("can use are:")[1]  # and lists the known ones


def test_it_accepts_every_known_placeholder():
    validate_placeholders(" ".join("{" + name + "}" for name in PLACEHOLDERS))


@pytest.mark.parametrize("text", ["Hello {reference", "Hello reference}", "{{reference}}"])
def test_it_refuses_a_curly_bracket_that_is_not_a_placeholder(text):
    with pytest.raises(ValidationError, match="only for placeholders"):
        validate_placeholders(text)


def test_it_refuses_to_save_an_unknown_placeholder_and_stores_nothing(organisation):
    with pytest.raises(ValidationError) as caught:
        new_template(organisation, body="Dear {reporter_name}, {reference}")
    assert "{reporter_name}" in caught.value.message_dict["body"][0]
    assert not ReplyTemplate.objects.exists()
    assert not ReplyTemplateRevision.objects.exists()
    assert not Event.objects.filter(action__startswith="replytemplate").exists()


# Rendering ------------------------------------------------------------------------------------


def test_it_renders_every_placeholder_for_a_real_report(report, hana):
    hana.user.first_name, hana.user.last_name = "Hana", "Novak"
    hana.user.save()
    template = new_template(
        report.channel.organisation,
        body="{reference}|{organisation}|{channel}|{handler}|{acknowledge_by}|{feedback_by}|"
             "{today}|{referrals}",
    )
    text = render(template, report=report, handler=hana, referrals_text="Helpline: 0800 000 000\n")
    assert text.split("|") == [
        report.reference,
        "Acme Platform",
        "Harassment at work",
        "Hana Novak",
        formats.date_format(timezone.localtime(report.acknowledge_by).date(), "DATE_FORMAT"),
        # Not yet acknowledged: the date a reply sent now promises (acknowledging now sets it).
        formats.date_format(
            timezone.localdate() + datetime.timedelta(days=report.channel.feedback_days),
            "DATE_FORMAT",
        ),
        formats.date_format(timezone.localdate(), "DATE_FORMAT"),
        "Helpline: 0800 000 000",
    ]
    assert str(report.acknowledge_by.year) in text


def test_it_uses_the_user_name_when_the_handler_has_no_full_name(report, hana):
    template = new_template(report.channel.organisation, body="{handler}: {referrals}.")
    assert render(template, report=report, handler=hana) == "hana: ."


def test_it_reaches_no_attribute_and_leaves_no_unknown_placeholder(report, hana):
    # Stored past the validation (say by an old import): rendering still fills only known names.
    template = ReplyTemplate.objects.create(
        organisation=report.channel.organisation, kind=TemplateKind.ACKNOWLEDGEMENT, name="Old",
        body="{reference.__class__} {reference!r} {0} {reporter} {reference}",
    )
    text = render(template, report=report, handler=hana)
    assert text == f"    {report.reference}"
    assert "{" not in text


def test_it_fills_placeholders_once_not_inside_a_value(report, hana):
    report.channel.name = "Work {reference}"
    report.channel.save()
    template = new_template(report.channel.organisation, body="{channel}")
    assert render(template, report=report, handler=hana) == "Work {reference}"


# Versions -------------------------------------------------------------------------------------


def test_it_saves_a_new_template_as_version_one_with_its_revision(organisation, administrator):
    template = new_template(organisation, actor=administrator.user, reviewer="Dr. Ruth Ames",
                            reviewed_on=datetime.date(2025, 3, 1))
    assert template.version == 1
    revision = template.revisions.get()
    assert (revision.version, revision.body, revision.reviewer, revision.reviewed_on) == (
        1, "Thank you. Your reference is {reference}.", "Dr. Ruth Ames", datetime.date(2025, 3, 1)
    )
    assert Event.objects.filter(action="replytemplate.create", actor=administrator.user,
                                organisation=organisation, target_id=str(template.pk)).count() == 1


def test_it_makes_a_new_version_when_the_text_changes(organisation, administrator):
    template = new_template(organisation)
    template.body = "Thank you for telling us. Your reference is {reference}."
    save_template(template=template, actor=administrator.user)
    template.refresh_from_db()
    assert template.version == 2
    assert [(r.version, r.body[:18]) for r in template.revisions.all()] == [
        (2, "Thank you for tell"), (1, "Thank you. Your re"),
    ]
    changes = Event.objects.filter(action="replytemplate.change", actor=administrator.user)
    assert changes.count() == 1


@pytest.mark.parametrize("field, value", [("reviewer", "Dr. Ruth Ames"),
                                          ("reviewed_on", datetime.date(2025, 3, 1))])
def test_it_makes_a_new_version_when_the_review_changes(organisation, field, value):
    template = new_template(organisation, reviewer="Sam Lee", reviewed_on=datetime.date(2024, 1, 9))
    setattr(template, field, value)
    save_template(template=template)
    template.refresh_from_db()
    assert template.version == 2
    assert getattr(template.revisions.get(version=2), field) == value


def test_it_shows_changed_text_as_not_reviewed_unless_the_review_is_kept(organisation):
    reviewed = {"reviewer": "Dr. Ruth Ames", "reviewed_on": datetime.date(2025, 3, 1)}
    template = new_template(organisation, **reviewed)
    template.body = "Thank you for telling us. {reference}"
    save_template(template=template)
    template.refresh_from_db()
    assert (template.version, template.reviewer, template.reviewed_on) == (2, "", None)
    assert review_status(template).state == ReviewState.NOT_REVIEWED

    template.reviewer, template.reviewed_on = reviewed["reviewer"], reviewed["reviewed_on"]
    save_template(template=template)  # the review of this text is recorded: version 3
    template.body = "Thank you for telling us, and for your trust. {reference}"
    save_template(template=template, keep_review=True)
    template.refresh_from_db()
    assert (template.version, template.reviewer) == (4, "Dr. Ruth Ames")

    template.body, template.reviewed_on = "Thanks. {reference}", datetime.date(2025, 6, 2)
    save_template(template=template)  # a new review date with the new text
    template.refresh_from_db()
    assert (template.version, template.reviewer, template.reviewed_on) == (
        5, "Dr. Ruth Ames", datetime.date(2025, 6, 2)
    )
    assert template.revisions.get(version=2).reviewer == ""


def test_it_keeps_the_version_when_only_name_or_offer_changes(organisation):
    template = new_template(organisation, body="Thank you.\n\nYour reference is {reference}.")
    template.name = "Thanks, received"
    template.active = False
    template.body = template.body.replace("\n", "\r\n") + "\r\n"  # as a browser sends it
    save_template(template=template)
    template.refresh_from_db()
    assert (template.version, template.name, template.active) == (1, "Thanks, received", False)
    assert template.revisions.count() == 1
    assert Event.objects.filter(action="replytemplate.change").count() == 1


def test_it_counts_versions_from_the_stored_row_not_a_stale_copy(organisation):
    template = new_template(organisation)
    stale = ReplyTemplate.objects.get(pk=template.pk)
    template.body = "Second {reference}"
    save_template(template=template)
    stale.body = "Third {reference}"
    save_template(template=stale)
    assert sorted(template.revisions.values_list("version", flat=True)) == [1, 2, 3]


def test_it_refuses_a_reviewer_without_a_date_and_a_date_in_the_future(organisation):
    with pytest.raises(ValidationError) as caught:
        new_template(organisation, reviewer="Sam Lee")
    assert "reviewed_on" in caught.value.message_dict
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    with pytest.raises(ValidationError, match="future"):
        new_template(organisation, reviewer="Sam Lee", reviewed_on=tomorrow)
    assert not ReplyTemplate.objects.exists()


# The library ----------------------------------------------------------------------------------


def test_it_offers_active_templates_of_the_organisation_in_case_order(organisation):
    other = create_organisation(name="Other", slug="other")
    new_template(other, name="Not ours")
    check_in = new_template(organisation, kind=TemplateKind.CHECK_IN, name="Check-in")
    outcome_fr = new_template(organisation, kind=TemplateKind.OUTCOME, name="Issue",
                              language="fr")
    outcome_en = new_template(organisation, kind=TemplateKind.OUTCOME, name="Outcome")
    thanks = new_template(organisation)
    new_template(organisation, name="Retired", active=False)
    assert list(templates_for(organisation)) == [thanks, outcome_en, outcome_fr, check_in]
    assert list(templates_for(organisation, kind=TemplateKind.OUTCOME)) == [outcome_en,
                                                                             outcome_fr]
    assert list(templates_for(organisation, language="fr")) == [outcome_fr]
    assert list(templates_for(organisation, kind="check_in", language="fr")) == []


def test_it_records_the_version_a_reply_started_from(report, hana):
    organisation = report.channel.organisation
    template = new_template(organisation)
    first = record_template_use(message=a_reply(report, hana), template=template)
    template.body = "Thank you for telling us. {reference}"
    save_template(template=template)
    stale_copy = ReplyTemplate.objects.get(pk=template.pk)
    stale_copy.version = 1  # what an old instance in memory would still say
    second = record_template_use(message=a_reply(report, hana), template=stale_copy)
    shown = record_template_use(message=a_reply(report, hana), template=template, version=1)
    assert [(u.template_id, u.version) for u in (first, second, shown)] == [
        (template.pk, 1), (template.pk, 2), (template.pk, 1)
    ]
    assert TemplateUse.objects.get(message=second.message).version == 2


def test_it_refuses_a_template_of_another_organisation_or_an_unknown_version(report, hana):
    other = create_organisation(name="Other", slug="other")
    with pytest.raises(ValueError):
        record_template_use(message=a_reply(report, hana), template=new_template(other))
    with pytest.raises(ValueError):
        record_template_use(message=a_reply(report, hana),
                            template=new_template(report.channel.organisation), version=7)
    assert not TemplateUse.objects.exists()


# Review status --------------------------------------------------------------------------------


def test_it_tells_handlers_whether_and_when_a_template_was_reviewed(organisation):
    today = datetime.date(2026, 11, 21)
    template = ReplyTemplate(organisation=organisation, reviewer="Dr. Ruth Ames",
                             reviewed_on=datetime.date(2025, 3, 1))
    status = review_status(template, today=today)
    assert status.state == ReviewState.REVIEWED and status.reviewed
    assert status.label == "Reviewed by Dr. Ruth Ames on March 1, 2025."

    template.reviewed_on = datetime.date(2024, 11, 20)
    status = review_status(template, today=today)
    assert status.state == ReviewState.OUTDATED and not status.reviewed
    assert "more than two years ago" in status.label

    template.reviewed_on = datetime.date(2024, 11, 21)
    assert review_status(template, today=today).state == ReviewState.REVIEWED

    for reviewer, reviewed_on in (("", None), ("", datetime.date(2025, 3, 1)), ("Sam", None)):
        template.reviewer, template.reviewed_on = reviewer, reviewed_on
        status = review_status(template, today=today)
        assert status.state == ReviewState.NOT_REVIEWED
        assert status.label.startswith("Not yet reviewed")
        assert status.short_label == "Not reviewed"


def test_it_counts_two_years_from_a_leap_day(organisation):
    template = ReplyTemplate(organisation=organisation, reviewer="Sam",
                             reviewed_on=datetime.date(2022, 2, 28))
    assert review_status(template, today=datetime.date(2024, 2, 29)).state == ReviewState.REVIEWED
    template.reviewed_on = datetime.date(2022, 2, 27)
    assert review_status(template, today=datetime.date(2024, 2, 29)).state == ReviewState.OUTDATED


def test_it_shows_the_handler_name_the_reporter_sees(organisation):
    from safelight.cases.reply_templates import handler_display_name

    handler = create_handler(organisation=organisation, username="kim", password=PASSWORD)
    assert handler_display_name(handler) == "kim"
    handler.user.first_name = "Kim"
    assert handler_display_name(handler) == "Kim"
