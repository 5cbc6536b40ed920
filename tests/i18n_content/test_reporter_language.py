"""Issue 15: the case knows the reporter's language. It is sealed with the answers (never in
clear); the handler sees it; reply templates in it come first; the reporter's follow-up page and
check-ins speak it unless the reporter chose another language; notification emails go out in each
handler's own language."""

from __future__ import annotations

import datetime
import re
from html import unescape

import pytest
from django.core import mail
from django.db import connection
from django.test import Client
from django.utils import timezone, translation

from safelight import notifications
from safelight.audit.models import Event
from safelight.cases.actions import close_case
from safelight.cases.forms import StartFromTemplateForm
from safelight.cases.models import ReplyTemplate, TemplateKind
from safelight.cases.opening import OpenedReport
from safelight.intake.actions import page_language
from safelight.reports.actions import send_message
from safelight.reports.models import Report
from safelight.reports.sealing import REPORT, open_json, seal_json
from tests.cases.conftest import NARRATIVE, opened_with_receipt
from tests.conftest import sign_in
from tests.intake import flow
from tests.intake.conftest import (  # noqa: F401
    ben,
    channel,
    hana,
    olga,
    other_channel,
    questionnaire,
    with_keys,
)

pytestmark = pytest.mark.django_db

LANG = re.compile(r'<html lang="([^"]+)" dir="(ltr|rtl)">')


def html_lang(response) -> str:
    match = LANG.search(response.content.decode())
    assert match, response.content.decode()[:500]
    return match.group(1)


def translated(language: str, text: str) -> str:
    with translation.override(language):
        found = translation.gettext(text)
    assert found != text, f"{text!r} has no {language} translation to test with"
    return found


def submit_in(language: str, the_channel) -> tuple[Report, str]:
    """A report sent through the reporter's pages by a browser that asks for `language`."""
    receipt = flow.report(Client(HTTP_ACCEPT_LANGUAGE=language), the_channel, NARRATIVE)
    return Report.objects.order_by("-submitted_at").first(), receipt


def raw_row(report: Report) -> bytes:
    """Every column of the report's row as the database holds it."""
    sql, params = Report.objects.filter(pk=report.pk).query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        row = cursor.fetchone()
    assert row is not None
    return b"|".join(bytes(value) if isinstance(value, bytes | memoryview)
                     else str(value).encode() for value in row)


def as_before_languages(opened: OpenedReport) -> None:
    """Seal the report's answers again as reports were sealed before the language was: a list of
    entries and nothing else."""
    report = opened.report
    entries = list(opened.answers())
    report.answers = seal_json(opened.report_key, entries, purpose=REPORT, object_id=report.pk,
                               field="answers")
    report.save(update_fields=["answers"])


def follow_up(receipt: str, **headers) -> Client:
    reporter = Client(**headers)
    assert reporter.post("/receipt/", {"receipt": receipt}).status_code == 302
    return reporter


# Sealed with the answers ----------------------------------------------------------------------


def test_it_seals_the_page_s_language_with_the_answers_and_keeps_none_in_clear(channel):  # noqa: F811
    report, receipt = submit_in("ar", channel)
    opened = opened_with_receipt(receipt)
    assert opened.language == "ar"
    assert opened.answers().language == "ar"
    # The sealed list holds it as one more entry; the case page's answers do not show it.
    sealed = open_json(opened.report_key, bytes(report.answers), purpose=REPORT,
                       object_id=report.pk, field="answers")
    assert sealed[-1] == {"kind": "reporter_language", "key": "@language", "value": "ar"}
    assert all(entry.get("kind") != "reporter_language" for entry in opened.answers())
    assert [entry["value"] for entry in opened.answers()] == [
        "He tracks my phone and posts my address."]
    row = raw_row(report)
    for clear in (b'"ar"', b"reporter_language", b"@language", b"tracks my phone"):
        assert clear not in row


def test_it_names_the_language_by_a_code_of_settings_languages():
    with translation.override("es-ar"):
        assert page_language() == "es"
    with translation.override("zh-hans"):
        assert page_language() == "zh-hans"
    with translation.override("pt-br"):
        assert page_language() == "pt-br"


# The case page --------------------------------------------------------------------------------


def test_the_case_page_shows_the_reporter_s_language(client, channel, hana):  # noqa: F811
    report, _receipt = submit_in("ar", channel)
    sign_in(client, hana)
    page = client.get(f"/staff/reports/{report.pk}/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Reporter's language:" in unescape(page)
    assert "<bdi>Arabic (العربية)</bdi>" in page


def test_the_case_page_names_the_language_in_the_handler_s_page_language(
    client, channel, hana  # noqa: F811
):
    report, _receipt = submit_in("ar", channel)
    sign_in(client, hana)
    page = unescape(client.get(f"/staff/reports/{report.pk}/",
                               HTTP_ACCEPT_LANGUAGE="es").content.decode())
    with translation.override("es"):
        arabic = str(translation.get_language_info("ar")["name_translated"])
    assert arabic != "Arabic"
    assert f"<bdi>{arabic} (العربية)</bdi>" in page


def test_a_report_sent_before_languages_were_recorded_says_so(client, channel, hana):  # noqa: F811
    report, receipt = submit_in("ar", channel)
    as_before_languages(opened_with_receipt(receipt))
    assert opened_with_receipt(receipt).language is None
    sign_in(client, hana)
    page = unescape(client.get(f"/staff/reports/{report.pk}/").content.decode())
    assert re.search(r"Reporter's language:</strong> not recorded", page)
    assert "He tracks my phone and posts my address." in page


# Reply templates ------------------------------------------------------------------------------


def test_templates_in_the_reporter_s_language_come_first(organisation):
    def template(name: str, language: str, kind: str = TemplateKind.ACKNOWLEDGEMENT):
        return ReplyTemplate.objects.create(organisation=organisation, kind=kind, name=name,
                                            language=language, body="…")

    english = template("Thanks", "en")
    french = template("Merci", "fr")
    arabic = template("شكرا", "ar")
    arabic_later = template("متابعة", "ar", kind=TemplateKind.MORE_INFORMATION)
    ordered = [english, french, arabic, arabic_later]  # as templates_for gives them

    form = StartFromTemplateForm(templates=ordered, services=[], language="ar")
    choices = form.fields["template"].choices
    assert choices[0] == ("", "No template")
    groups = [(str(label), [pk for pk, _name in members]) for label, members in choices[1:]]
    assert groups == [
        ("Reporter's language: Arabic (العربية)", [arabic.pk, arabic_later.pk]),
        ("English", [english.pk]),
        ("French (Français)", [french.pk]),
    ]
    assert '<optgroup label="Reporter&#x27;s language: Arabic (العربية)">' in str(
        form["template"])
    # Any of them may still be chosen.
    assert StartFromTemplateForm({"template": str(french.pk)}, templates=ordered, services=[],
                                 language="ar").is_valid()


def test_without_a_recorded_language_the_templates_stay_one_list(organisation):
    english = ReplyTemplate.objects.create(organisation=organisation, name="Thanks",
                                           kind=TemplateKind.ACKNOWLEDGEMENT, language="en",
                                           body="…")
    form = StartFromTemplateForm(templates=[english], services=[], language=None)
    assert form.fields["template"].choices[1] == (english.pk, "Acknowledgement · Thanks (en)")


# The reporter's follow-up page and check-ins --------------------------------------------------


def test_the_follow_up_page_speaks_the_report_s_language_not_the_browser_s(
    channel, hana  # noqa: F811
):
    report, receipt = submit_in("ar", channel)
    send_message(report=report, report_key=opened_with_receipt(receipt).report_key,
                 body="شكرا لك، نحن نقرأ تقريرك.", author=hana)
    reporter = follow_up(receipt, HTTP_ACCEPT_LANGUAGE="en")
    page = reporter.get("/receipt/report/")
    assert html_lang(page) == "ar"
    assert page["Content-Language"] == "ar"
    text = unescape(page.content.decode())
    assert "شكرا لك، نحن نقرأ تقريرك." in text
    assert translated("ar", "Your report") in text


def test_the_reporter_s_own_choice_of_language_wins(channel):  # noqa: F811
    _report, receipt = submit_in("ar", channel)
    reporter = follow_up(receipt, HTTP_ACCEPT_LANGUAGE="en")
    chosen = reporter.post("/i18n/setlang/", {"language": "es", "next": "/receipt/report/"},
                           HTTP_SEC_FETCH_SITE="same-origin")
    assert chosen.status_code == 302 and chosen["Location"] == "/receipt/report/"
    page = reporter.get("/receipt/report/")
    assert html_lang(page) == "es"
    assert page["Content-Language"] == "es"
    assert translated("es", "Your report") in unescape(page.content.decode())


def test_a_report_without_a_language_follows_the_browser(channel):  # noqa: F811
    _report, receipt = submit_in("ar", channel)
    as_before_languages(opened_with_receipt(receipt))
    page = follow_up(receipt, HTTP_ACCEPT_LANGUAGE="es").get("/receipt/report/")
    assert html_lang(page) == "es"


def test_check_ins_and_their_thanks_are_in_the_report_s_language(channel, hana):  # noqa: F811
    report, receipt = submit_in("ar", channel)
    close_case(report=report, report_key=opened_with_receipt(receipt).report_key, handler=hana,
               category="substantiated", actions=["warning"], message="انتهت القضية.")
    first = report.checkins.order_by("due_at").first()
    first.due_at = timezone.now() - datetime.timedelta(minutes=1)
    first.save()
    reporter = follow_up(receipt, HTTP_ACCEPT_LANGUAGE="en")
    page = unescape(reporter.get("/receipt/report/").content.decode())
    assert translated(
        "ar", "Since you reported, has anyone treated you worse because of it?") in page
    after = reporter.post("/receipt/report/check-in/", {"worse": "no"}, follow=True)
    assert html_lang(after) == "ar"
    assert translated("ar", "Thank you for letting us know.") in unescape(
        after.content.decode())


# Notification emails --------------------------------------------------------------------------


def give_email(*handlers) -> None:
    for handler in handlers:
        handler.user.email = f"{handler.user.username}@acme.example"
        handler.user.save(update_fields=["email"])
        handler.save(update_fields=["language"])


def mail_to(address: str):
    return next(message for message in mail.outbox if message.to == [address])


def test_each_handler_reads_the_new_report_mail_in_their_own_language(channel, hana, ben):  # noqa: F811
    hana.language, ben.language = "es", "ar"
    give_email(hana, ben)
    report, _receipt = submit_in("fr", channel)
    assert notifications.notify_new_report(str(report.pk)) == 2
    spanish, arabic = mail_to("hana@acme.example"), mail_to("ben@acme.example")
    assert spanish.subject == translated("es", "Safelight: a new report")
    assert arabic.subject == translated("ar", "Safelight: a new report")
    assert translated("es", "Open the staff inbox: %(link)s") % {
        "link": "http://127.0.0.1:8000/staff/reports/"} in spanish.body
    assert translated("ar", "Open the staff inbox: %(link)s") % {
        "link": "http://127.0.0.1:8000/staff/reports/"} in arabic.body


def test_digests_and_reopen_mails_go_out_in_each_handler_s_language(hana, ben):  # noqa: F811
    hana.language, ben.language = "de", "en"
    give_email(hana, ben)
    digest = notifications.reminder_mail([], notifications.News(new_reports=2))
    assert digest.subject == "Safelight: 2 cases need attention"  # built in the site's language
    notifications.send(digest, [hana, ben])
    german, english = mail_to("hana@acme.example"), mail_to("ben@acme.example")
    with translation.override("de"):
        expected = translation.ngettext("Safelight: %(count)d case needs attention",
                                        "Safelight: %(count)d cases need attention", 2)
    assert expected != "Safelight: %(count)d cases need attention"
    assert german.subject == expected % {"count": 2}
    assert english.subject == "Safelight: 2 cases need attention"


def test_a_mail_written_once_goes_out_as_it_is(hana):  # noqa: F811
    hana.language = "ar"
    give_email(hana)
    notifications.send(notifications.Mail(subject="s", body="b"), [hana])
    assert (mail.outbox[-1].subject, mail.outbox[-1].body) == ("s", "b")


# The handler's own choice ---------------------------------------------------------------------


def test_the_handler_sets_the_language_of_their_emails_themselves(client, hana):  # noqa: F811
    sign_in(client, hana)
    page = client.get("/staff/email/").content.decode()
    assert 'name="language"' in page
    assert '<option value="en" selected>English</option>' in page
    response = client.post("/staff/email/", {"email": "hana@own.example", "language": "ar"})
    assert response.status_code == 302
    hana.refresh_from_db()
    assert hana.language == "ar"
    events = Event.objects.filter(action="handler.language.change", actor=hana.user)
    assert events.count() == 1
    # Saving the same choice again changes nothing, and records nothing.
    client.post("/staff/email/", {"email": "hana@own.example", "language": "ar"})
    assert events.count() == 1


def test_it_refuses_a_language_it_does_not_speak(client, hana):  # noqa: F811
    sign_in(client, hana)
    response = client.post("/staff/email/", {"email": "", "language": "xx"})
    assert response.status_code == 200
    hana.refresh_from_db()
    assert hana.language == "en"
    assert not Event.objects.filter(action="handler.language.change").exists()
