"""Nothing a reporter or survivor types is kept by the browser: every field of every form of the
reporter and locker sides carries autocomplete="off", and so does every <form>."""

from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path

import pytest
from django import forms

from safelight.evidence import forms as evidence_forms
from safelight.forms import NoAutofill
from safelight.intake import forms as intake_forms
from safelight.referrals import forms as referral_forms
from safelight.techcheck import forms as techcheck_forms
from tests.intake.conftest import ben, channel, hana, questionnaire  # noqa: F401
from tests.intake.flow import start, step_url

TEMPLATES = Path(__file__).parents[1] / "safelight" / "templates"
NOT_APPLICABLE = {"hidden", "file", "checkbox", "radio", "submit", "button"}


class Fields(HTMLParser):
    """Every form, and every field where autocomplete applies, with its attributes."""

    def __init__(self) -> None:
        super().__init__()
        self.forms: list[dict] = []
        self.fields: list[dict] = []

    def handle_starttag(self, tag: str, attrs: list) -> None:
        attributes = dict(attrs)
        if tag == "form":
            self.forms.append(attributes)
        elif tag in ("textarea", "select") or (
                tag == "input" and attributes.get("type", "text") not in NOT_APPLICABLE):
            self.fields.append({"tag": tag, **attributes})


def parsed(html: str) -> Fields:
    found = Fields()
    found.feed(html)
    return found


def assert_no_autofill(html: str, where: str) -> Fields:
    found = parsed(html)
    assert found.fields, f"{where}: no field found, the check would prove nothing"
    kept = [f for f in found.fields if f.get("autocomplete") != "off"]
    assert kept == [], f"{where}: fields the browser may keep: {kept}"
    return found


REPORTER_FORMS = [
    intake_forms.ReceiptForm(),
    intake_forms.MessageForm(),
    intake_forms.CheckInForm(),
    evidence_forms.PassphraseForm(),
    evidence_forms.IncidentForm(),
    evidence_forms.ImportForm(),
    evidence_forms.ShareForm(),
    evidence_forms.ConfirmForm(),
    referral_forms.SearchForm(regions=["Westmoor"], language_codes=["pl"]),
    techcheck_forms.CheckForm(),
]


@pytest.mark.parametrize("form", REPORTER_FORMS, ids=lambda f: type(f).__name__)
def test_it_renders_every_reporter_form_field_with_autocomplete_off(form):
    assert isinstance(form, NoAutofill)
    found = parsed(form.as_div())
    assert all(f.get("autocomplete") == "off" for f in found.fields), found.fields
    # A bound form with errors too: the page that comes back keeps the rule.
    extra = ({"regions": [], "language_codes": []}
             if isinstance(form, referral_forms.SearchForm) else {})
    bound = type(form)(data={}, **extra)
    bound.is_valid()
    found = parsed(bound.as_div())
    assert all(f.get("autocomplete") == "off" for f in found.fields), found.fields


def test_it_renders_the_export_form_with_autocomplete_off():
    form = evidence_forms.ExportForm(incidents=[], imports=[])
    assert isinstance(form, NoAutofill)


def test_it_keeps_the_receipt_and_passphrase_out_of_password_managers_and_dictionaries():
    for form, name in ((intake_forms.ReceiptForm(), "receipt"),
                       (evidence_forms.PassphraseForm(), "passphrase"),
                       (evidence_forms.ShareForm(), "receipt")):
        field = parsed(str(form[name])).fields[0]
        # A text field: a password field would make the browser offer to save it.
        assert field.get("type") == "text", field
        assert field["autocomplete"] == "off" and field["spellcheck"] == "false", field
        assert field["autocapitalize"] == "off", field


def test_it_leaves_a_field_s_own_autocomplete_value_alone():
    class Form(NoAutofill, forms.Form):
        code = forms.CharField(widget=forms.TextInput(attrs={"autocomplete": "one-time-code"}))
        secret = forms.CharField(widget=forms.HiddenInput)

    html = Form().as_div()
    assert 'autocomplete="one-time-code"' in html
    assert 'type="hidden" name="secret"' in html and html.count("autocomplete") == 1


@pytest.mark.django_db
def test_it_renders_every_questionnaire_step_with_autocomplete_off(client, channel):  # noqa: F811
    start(client, channel)
    for number in range(1, channel.questionnaire.steps.count() + 1):
        response = client.get(step_url(channel, number))
        assert response.status_code == 200
        html = response.content.decode()
        if "<textarea" not in html and 'type="text"' not in html and 'type="date"' not in html:
            continue
        found = assert_no_autofill(html, f"step {number}")
        assert all(f.get("autocomplete") == "off" for f in found.forms), found.forms


@pytest.mark.django_db
def test_it_renders_the_receipt_locker_and_help_pages_with_autocomplete_off(client, channel):  # noqa: F811
    for url in ("/receipt/", "/locker/", f"/{channel.organisation.slug}/help/"):
        response = client.get(url)
        assert response.status_code == 200, url
        found = assert_no_autofill(response.content.decode(), url)
        assert found.forms and all(f.get("autocomplete") == "off" for f in found.forms), url


def _reporter_templates() -> list[Path]:
    staff = ("staff_", "bundle_pdf")
    paths = [*TEMPLATES.glob("intake/*.html"), *TEMPLATES.glob("evidence/*.html"),
             *TEMPLATES.glob("escrow/*.html"), *TEMPLATES.glob("techcheck/*.html"),
             TEMPLATES / "referrals" / "search.html"]
    return sorted(p for p in paths if not p.name.startswith(staff))


def test_it_has_no_hand_written_field_or_form_without_autocomplete_off():
    for path in _reporter_templates():
        found = parsed(path.read_text())
        kept = [f for f in found.fields if f.get("autocomplete") != "off"]
        assert kept == [], f"{path.name}: {kept}"
        forms_kept = [f for f in found.forms if f.get("autocomplete") != "off"]
        assert forms_kept == [], f"{path.name}: {forms_kept}"
