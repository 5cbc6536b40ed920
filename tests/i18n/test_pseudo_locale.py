"""Every reporter, locker and public page in the pseudo-locale: no text that skipped gettext.

The walk goes the way a person without JavaScript would, through the test client, over the demo's
organisation (safelight.demo.seed: two channels, the default questionnaire, report together, the
risk checklist and a directory of services):

* the home and organisation pages, the safety page, the help directory (with and without a
  search), a channel's start page, every step (empty, with an error, with answers and a file),
  the review, the receipt, sending twice, a discarded draft;
* following up: the receipt form (with a wrong receipt), the follow-up page with the reporter's
  message and a handler's reply, a retaliation check-in once the case is closed (unanswered,
  answered), a report held for "report together" and its withdrawal, and the page that is gone
  once the reporter leaves;
* the evidence locker: its door (with a wrong passphrase), a new locker, its home, an incident
  (with an error, saved, edited), an import with its messages and content warning, export,
  sharing, deletion, and the locker once closed;
* the error pages: 404, 400, 403 and the CSRF failure, 500.

Each page's visible text (text, title, alt, aria-label, placeholder, button labels) must be
pseudo-translated, except the allowed data below. A failure names each page and text. A second
check says which reporter-side templates the walk did not render, so a new page cannot be left
out, and a third which of Django's own texts the pages show that a shipped language has no
catalogue for.
"""

from __future__ import annotations

import re
from collections import defaultdict
from datetime import timedelta
from html.parser import HTMLParser
from pathlib import Path

import polib
import pytest
from django.apps import apps
from django.conf import settings
from django.conf.locale import LANG_INFO
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client, RequestFactory
from django.test.signals import template_rendered
from django.utils import timezone, translation

import safelight
from safelight import demo
from safelight.accounts.actions import create_organisation
from tests.conftest import sign_in
from tests.escrow.conftest import key_services  # noqa: F401 - a fixture
from tests.i18n import pseudo, translations_script

pytestmark = pytest.mark.django_db

# Data the walk itself types in (answers, messages, a reply, an incident, a chat export): the
# reporter's and the survivor's own words are never translated.
ANSWER = "Words the reporter wrote."
NAME = "Rosa"
MESSAGE = "He did it again today."
REPLY = "Could you tell us which app he used?"
CLOSING = "We have finished looking into your report."
IDENTIFIER = "someone@example.org"
INCIDENT = {
    "title": "After the party", "start_date": "2026-03-02", "start_time": "21:40",
    "kind": "threats", "platform": "Instagram", "who": "@some.user",
    "what": "He said he would come to my flat.", "impact": "I could not sleep.",
    "urls": "https://www.instagram.com/p/abc/ 2026-03-02 21:45", "notes": "",
}
CHAT = (
    "02/03/2026, 21:40 - Sam: I know where you live and I will hurt you\n"
    "02/03/2026, 21:41 - Sam: you stupid worthless idiot\n"
    "02/03/2026, 21:42 - Alex: Please stop writing to me\n"
    "03/03/2026, 08:00 - Alex: Good morning\n"
)
CHAT_NAME = "WhatsApp Chat with Sam.txt"
SECOND_ORGANISATION = "Southfen Council"
PHOTO = "photo.jpg"
TYPED = [ANSWER, NAME, SECOND_ORGANISATION, MESSAGE, REPLY, CLOSING, IDENTIFIER, CHAT_NAME, PHOTO,
         *(v for v in INCIDENT.values() if v), *INCIDENT["urls"].split(),
         *(line.partition(": ")[2] for line in CHAT.splitlines()), "Sam", "Alex"]
# Product and format names that stay as they are in every language.
NAMES = ["Safelight", "WhatsApp", "Signal", "Telegram", "Instagram", "Facebook", "Messenger",
         "SMS", "PDF", "ZIP", "JSON", "CSV", "UTC"]
# Organisation data, kept in the content tables: an organisation edits it and it is translated
# as content (issue 15, item 2: content translations), not by the catalogues. Until then the
# demo's English is its data. Model name -> the fields shown to reporters; a model's
# translations table (<Model>Translation) is read too, wherever the fields move.
CONTENT_TABLES = {
    "Organisation": ["name", "introduction", "urgent_help", "page_title"],
    "Handler": ["display_name"],  # what reporters see instead of usernames
    "Channel": ["name", "description", "who_reads"],
    "Questionnaire": ["name"],
    "Step": ["title", "introduction"],
    "Question": ["label", "help_text", "choices"],
    "RiskChecklist": ["name", "introduction"],
    "RiskItem": ["question", "handler_label", "reason"],
    "ReplyTemplate": ["name", "body"],
    "Service": ["name", "provider", "description", "regions", "languages", "phone",
                "text_number", "email", "website", "chat_url", "hours", "accessibility",
                "eligibility", "cost"],
    "EscrowSettings": ["phone_region"],  # "GB": read phone numbers as British ones
}


# The walk ---------------------------------------------------------------------------------------


class Form(HTMLParser):
    """The fields of the page's forms, as a browser without JavaScript would send them."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.fields: list[dict] = []
        self._textarea: dict | None = None
        self._select: dict | None = None

    def handle_starttag(self, tag, attrs):
        values = {k: v or "" for k, v in attrs}
        if tag == "input" and values.get("name"):
            self.fields.append({"tag": "input", **values})
        elif tag == "textarea":
            self._textarea = {"tag": "textarea", "value": "", **values}
            self.fields.append(self._textarea)
        elif tag == "select":
            self._select = {"tag": "select", "options": [], **values}
            self.fields.append(self._select)
        elif tag == "option" and self._select is not None:
            self._select["options"].append(values.get("value", ""))

    def handle_endtag(self, tag):
        if tag == "textarea":
            self._textarea = None
        elif tag == "select":
            self._select = None

    def handle_data(self, data):
        if self._textarea is not None:
            self._textarea["value"] += data


def answers(html: str) -> dict[str, list[str] | str]:
    """Every question of a step answered: text written, the first choice of each group ("no"
    where there is one, so that nothing is held for report together), dates in order."""
    parser = Form()
    parser.feed(html)
    data: dict[str, list[str]] = defaultdict(list)
    ticked: set[str] = set()
    for field in parser.fields:
        name, kind = field.get("name", ""), field.get("type", "text")
        if field["tag"] == "select":
            data[name] = [field["options"][0]] if field["options"] else []
        elif field["tag"] == "textarea":
            data[name] = [ANSWER]
        elif kind == "hidden":
            data[name].append(field.get("value", ""))
        elif kind == "date":
            data[name] = ["2026-03-02" if name.endswith("from") else "2026-03-04"]
        elif kind in ("radio", "checkbox") and name.startswith("q_"):
            if name not in ticked or field.get("value") == "no":
                data[name] = [field.get("value", "on")]
                ticked.add(name)
        elif kind in ("text", "email", "tel") and name.startswith("q_"):
            data[name] = [NAME if "name" in name else ANSWER]
    data["go"] = ["next"]
    return dict(data)


class Walk:
    def __init__(self) -> None:
        self.pages: list[tuple[str, str, str]] = []  # (name, address, html)
        self.templates: set[str] = set()

    def record(self, name: str, response, expected: int = 200):
        assert response.status_code == expected, (
            f"{name}: {response.status_code}, not {expected}\n"
            + response.content.decode(errors="replace")[:2000])
        html = response.get("Content-Type", "").startswith("text/html")
        if html and not 300 <= response.status_code < 400:
            self.pages.append((name, response.wsgi_request.get_full_path(),
                               response.content.decode()))
        return response

    def get(self, client: Client, name: str, url: str, expected: int = 200, **extra):
        return self.record(name, client.get(url, **extra), expected)

    def post(self, client: Client, name: str, url: str, data=None, expected: int = 200,
             **extra):
        return self.record(name, client.post(url, data or {}, **extra), expected)


def browser(**extra) -> Client:
    return Client(HTTP_ACCEPT_LANGUAGE=pseudo.CODE, **extra)


def report_pages(walk: Walk, organisation) -> None:
    channel = organisation.channels.order_by("position").first()
    base = f"/{organisation.slug}/{channel.slug}"
    reporter = browser()
    walk.get(reporter, "home", "/", expected=302)
    walk.get(reporter, "organisation page", f"/{organisation.slug}/")
    walk.get(reporter, "safety page", "/help/safety/")
    walk.get(reporter, "help directory", f"/{organisation.slug}/help/")
    walk.get(reporter, "help directory, a search", f"/{organisation.slug}/help/?q=phone")
    walk.get(reporter, "help directory, nothing found",
             f"/{organisation.slug}/help/?q=zzzzqqqq")
    check = f"/{organisation.slug}/help/check/"
    walk.get(reporter, "phone check", check)
    walk.get(reporter, "phone check form", f"{check}apps/")
    walk.post(reporter, "phone check, nothing given", f"{check}apps/", {"text": ""})
    walk.post(reporter, "phone check, findings", f"{check}apps/", {"text": "\n".join([
        # Known stalkerware (Echap's indicators), installed from outside a store, and an app
        # from the store.
        f"package:/data/app/~~a==/{CHECKED_PACKAGES[0]}-b==/base.apk={CHECKED_PACKAGES[0]}  "
        "installer=null uid:10201",
        f"package:/data/app/~~c==/{CHECKED_PACKAGES[1]}-d==/base.apk={CHECKED_PACKAGES[1]}  "
        "installer=com.android.vending uid:10102",
    ])})
    walk.get(reporter, "channel start", f"{base}/")
    walk.post(reporter, "start", f"{base}/", expected=302)
    steps = channel.questionnaire.steps.count()
    for number in range(1, steps + 1):
        url = f"{base}/step/{number}/"
        page = walk.get(reporter, f"step {number}", url).content.decode()
        data = answers(page)
        if any(k.endswith("_from") for k in data):
            wrong = {**data, **{k: ["2026-03-05"] for k in data if k.endswith("_from")}}
            walk.post(reporter, f"step {number}, with an error", url, wrong)
        if 'type="file"' in page:
            name = re.search(r'type="file" name="([^"]+)"', page).group(1)
            walk.post(reporter, f"step {number}, a file added", url,
                      {**data, "go": "stay", name: SimpleUploadedFile(PHOTO, _jpeg())},
                      expected=302)
            walk.get(reporter, f"step {number}, with its file", url)
        walk.post(reporter, f"step {number}, answered", url, data, expected=302)
    walk.get(reporter, "review", f"{base}/review/")
    receipt_page = walk.post(reporter, "receipt", f"{base}/review/").content.decode()
    receipt = re.search(r'id="receipt"><code>([0-9 ]+)</code>', receipt_page).group(1)
    walk.post(reporter, "sent twice", f"{base}/review/", expected=409)

    other = organisation.channels.order_by("position").last()
    walker = browser()
    walk.post(walker, "another start", f"/{organisation.slug}/{other.slug}/", expected=302)
    walk.post(walker, "discarded", f"/{organisation.slug}/{other.slug}/discard/")

    follow_up(walk, organisation, receipt)
    held(walk, organisation, channel)


def follow_up(walk: Walk, organisation, receipt: str) -> None:
    from safelight.cases.models import CheckIn
    from safelight.reports.models import Report

    reporter = browser()
    walk.get(reporter, "receipt form", "/receipt/")
    walk.post(reporter, "receipt form, a wrong receipt", "/receipt/", {"receipt": "1234"})
    walk.post(reporter, "receipt form, the receipt", "/receipt/", {"receipt": receipt},
              expected=302)
    walk.get(reporter, "follow-up page", "/receipt/report/")
    walk.post(reporter, "follow-up, a message sent", "/receipt/report/", {"body": MESSAGE},
              expected=302)
    handler = organisation.handlers.get(user__username="demo-handler")
    staff = sign_in(Client(), handler, password=demo.DEMO_PASSWORD)
    report = Report.objects.order_by("-submitted_at").first()
    response = staff.post(f"/staff/reports/{report.pk}/reply/", {"body": REPLY})
    assert response.status_code == 302, response.content.decode()[:2000]
    walk.get(reporter, "follow-up page with a reply", "/receipt/report/")
    # The case is closed; its first retaliation check-in comes due.
    response = staff.post(f"/staff/reports/{report.pk}/close/", {
        "category": "substantiated", "actions": ["warning"], "message": CLOSING})
    assert response.status_code == 302, response.content.decode()[:2000]
    first = CheckIn.objects.filter(report=report).order_by("due_at").first()
    CheckIn.objects.filter(pk=first.pk).update(due_at=timezone.now() - timedelta(minutes=1))
    walk.get(reporter, "follow-up page, a check-in due", "/receipt/report/")
    walk.post(reporter, "check-in, not answered", "/receipt/report/check-in/", {"note": ANSWER})
    walk.post(reporter, "check-in, answered", "/receipt/report/check-in/", {"worse": "no"},
              expected=302)
    walk.get(reporter, "follow-up page, check-in answered", "/receipt/report/")
    walk.post(reporter, "follow-up, leaving", "/receipt/leave/", expected=302)
    walk.get(reporter, "follow-up, gone", "/receipt/report/", expected=410)


def held(walk: Walk, organisation, channel) -> None:
    """A report held for report together, then withdrawn."""
    base = f"/{organisation.slug}/{channel.slug}"
    reporter = browser()
    reporter.post(f"{base}/")
    steps = channel.questionnaire.steps.count()
    for number in range(1, steps + 1):
        url = f"{base}/step/{number}/"
        page = reporter.get(url).content.decode()
        data = answers(page)
        if "q_together" in data:
            kind = re.search(r'<option value="([^"]+)"', page.split('name="together_kind"')[1])
            together = {**data, "q_together": "yes", "together_kind": kind.group(1),
                        "together_value": IDENTIFIER, "go": "together_add"}
            walk.post(reporter, "step, report together", url, together, expected=302)
            walk.get(reporter, "step, report together with a detail", url)
            data = {**answers(reporter.get(url).content.decode()), "q_together": "yes"}
        response = reporter.post(url, data)
        assert response.status_code == 302, response.content.decode()[:3000]
    walk.get(reporter, "review, held", f"{base}/review/")
    page = walk.post(reporter, "receipt, held", f"{base}/review/").content.decode()
    receipt = re.search(r'id="receipt"><code>([0-9 ]+)</code>', page).group(1)
    reporter = browser()
    reporter.post("/receipt/", {"receipt": receipt})
    walk.get(reporter, "follow-up page, held", "/receipt/report/")
    walk.post(reporter, "withdrawing, not confirmed", "/receipt/report/withdraw/", expected=302)
    walk.get(reporter, "follow-up page, held, with a notice", "/receipt/report/")
    walk.post(reporter, "withdrawn", "/receipt/report/withdraw/", {"confirm": "yes"})


def locker_pages(walk: Walk) -> list[str]:
    """The locker's pages; returns what it showed that the survivor must keep (the passphrase)."""
    survivor = browser()
    walk.get(survivor, "locker door", "/locker/")
    walk.post(survivor, "locker door, a wrong passphrase", "/locker/",
              {"passphrase": "one two"})
    created = walk.post(survivor, "locker made", "/locker/new/").content.decode()
    passphrase = re.search(r'id="passphrase"><code>([a-z ]+)</code>', created).group(1)
    walk.get(survivor, "locker home", "/locker/home/")
    walk.get(survivor, "new incident", "/locker/incidents/new/")
    walk.post(survivor, "new incident, with an error", "/locker/incidents/new/",
              {**INCIDENT, "start_date": "not a date"})
    saved = walk.post(survivor, "incident saved", "/locker/incidents/new/", INCIDENT,
                      expected=302)
    walk.get(survivor, "incident", saved["Location"])
    walk.get(survivor, "incident, edit", saved["Location"] + "edit/")
    walk.get(survivor, "locker home with an incident", "/locker/home/")
    walk.get(survivor, "import", "/locker/imports/new/")
    walk.post(survivor, "import, nothing chosen", "/locker/imports/new/", {})
    imported = walk.post(survivor, "import sent", "/locker/imports/new/",
                         {"export": SimpleUploadedFile(CHAT_NAME, CHAT.encode())},
                         expected=302)
    summary = walk.get(survivor, "import summary", imported["Location"]).content.decode()
    walk.get(survivor, "imported messages", imported["Location"] + "messages/")
    group = re.search(r'href="([^"]+messages/\?group=\d+)"', summary)
    if group:
        warning = group.group(1).replace("&amp;", "&")
        walk.get(survivor, "content warning", warning)
        walk.get(survivor, "flagged messages", warning + "&show=1")
    walk.get(survivor, "export", "/locker/export/")
    walk.get(survivor, "sharing", "/locker/share/")
    walk.get(survivor, "delete", "/locker/delete/")
    walk.post(survivor, "delete, not confirmed", "/locker/delete/", {})
    walk.post(survivor, "locker closed", "/locker/close/", expected=302)
    walk.get(survivor, "locker, gone", "/locker/home/", expected=410)

    other = browser()
    other.post("/locker/new/")
    walk.post(other, "locker deleted", "/locker/delete/", {"confirm": "on"})
    return passphrase.split()


def error_pages(walk: Walk, organisation) -> None:
    walk.get(browser(), "404, no such organisation", "/no-such-place/", expected=404)
    walk.get(browser(), "404, no such channel", f"/{organisation.slug}/no-such-form/",
             expected=404)
    walk.post(browser(enforce_csrf_checks=True), "403, CSRF", f"/{organisation.slug}/",
              expected=403)
    walk.get(browser(raise_request_exception=False), "400, a bad host", "/", expected=400,
             HTTP_HOST="bad host")
    from django.core.exceptions import PermissionDenied
    from django.views import defaults

    request = RequestFactory().get("/")
    with translation.override(pseudo.CODE):
        for name, response in (
            ("403", defaults.permission_denied(request, PermissionDenied())),
            ("500", _server_error(request)),
        ):
            walk.pages.append((name, "/", response.content.decode()))


def _server_error(request):
    from django.urls import get_resolver

    return get_resolver().resolve_error_handler(500)(request)


def _jpeg() -> bytes:
    import io

    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (8, 8), "white").save(out, "JPEG")
    return out.getvalue()


# What may stay as it is -------------------------------------------------------------------------


def content_data() -> list[str]:
    found: list[str] = []
    by_name = defaultdict(list)
    for model in apps.get_models():
        by_name[model.__name__].append(model)
    for name, fields in CONTENT_TABLES.items():
        models = by_name.get(name, []) + by_name.get(f"{name}Translation", [])
        read = False
        for model in models:
            present = [f for f in fields if f in {x.name for x in model._meta.get_fields()}]
            for row in model.objects.values_list(*present):
                found.extend(str(value) for value in row if value)
            read = read or bool(present)
        assert read, f"content table {name} not found: update CONTENT_TABLES"
    lines = []
    for value in found:
        for line in value.splitlines():
            # A choice line is "code | label" (or "item | wording | rule" for the checklist).
            parts = [p.strip() for p in line.split("|")] if "|" in line else [line.strip()]
            lines.extend(p for p in parts[1:] or parts if p and "=" not in p)
    return lines


def language_names() -> list[str]:
    """Each language of the site in its own words (a language chooser shows them so)."""
    names = []
    for code, _name in settings.LANGUAGES:
        info = LANG_INFO.get(code.lower()) or LANG_INFO.get(code.split("-")[0], {})
        names.extend(v for k, v in info.items() if k in ("name_local", "name"))
    return names


# The phone-apps check shows data, not text: the packages the walk pasted, the indicator set's
# name, version, date and attribution, its licence's name and the command that lists the apps.
CHECKED_PACKAGES = ["com.thetruth", "com.android.chrome"]


def techcheck_data() -> list[str]:
    from safelight.techcheck.access import current_indicators

    indicators = current_indicators()
    families = {indicators.families[i].name for p, i in indicators.packages.items()
                if p in CHECKED_PACKAGES}
    return [*CHECKED_PACKAGES, *families, indicators.name, indicators.version, indicators.date,
            indicators.attribution, "CC BY 4.0", "adb shell pm list packages -f -i -U"]


def allowed_pattern(extra: list[str]) -> re.Pattern:
    items = {i.strip() for i in [*TYPED, *NAMES, *content_data(), *language_names(),
                                 *techcheck_data(), *extra]
             if i and i.strip()}
    alternatives = sorted(items, key=len, reverse=True)
    return re.compile("|".join(rf"(?<!\w){re.escape(i)}(?!\w)" for i in alternatives))


# The checks -------------------------------------------------------------------------------------

_RESULT: dict = {}


def walked() -> dict:
    """Walk once per test process (the walk is the costly part); the checks share it."""
    if _RESULT:
        return _RESULT
    with translation.override("en"):  # an organisation that writes English, as the demo's
        organisation = demo.seed()
    walk = Walk()

    def rendered(sender, template, context, **kwargs):
        if template.name:
            walk.templates.add(template.name)

    template_rendered.connect(rendered)
    try:
        report_pages(walk, organisation)
        passphrase = locker_pages(walk)
        error_pages(walk, organisation)
        # A shared service with several organisations lets the person choose one first.
        create_organisation(name=SECOND_ORGANISATION, slug="second")
        walk.get(browser(), "home, several organisations", "/")
    finally:
        template_rendered.disconnect(rendered)
    _RESULT.update(pages=walk.pages, templates=walk.templates,
                   allowed=allowed_pattern(passphrase))
    return _RESULT


@pytest.fixture
def walk(db, in_pseudo_locale, key_services):  # noqa: F811 - pseudo-locale and key services on
    return walked()


# Not words: addresses, and checksums (an import's SHA-256).
NOT_WORDS = re.compile(r"https?://\S+|[\w.+-]+@[\w-]+\.[\w.-]+|\b[0-9a-f]{16,}\b")


def test_every_text_on_every_page_went_through_gettext(walk):
    problems = []
    for name, url, html in walk["pages"]:
        parser = pseudo.VisibleText()
        parser.feed(html)
        if parser.page_lang != pseudo.CODE:
            problems.append(f"{name} [{url}]: the page is in {parser.page_lang!r}")
        for text in parser.texts:
            rest = walk["allowed"].sub(" ", NOT_WORDS.sub(" ", text))
            words = [w for w in pseudo.WORD.findall(rest) if pseudo.ASCII_LETTER.search(w)]
            if words:
                problems.append(f"{name} [{url}]: {text!r}")
    unique = list(dict.fromkeys(problems))
    assert not unique, (
        f"{len(unique)} text(s) on {len(walk['pages'])} pages did not go through gettext "
        "(mark them for translation; organisation data belongs in CONTENT_TABLES):\n"
        + "\n".join(unique)
    )


TEMPLATES = Path(safelight.__file__).parent / "templates"
STAFF = re.compile(r"^(accounts|cases|admin|referrals/admin)/|^escrow/staff_|^evidence/staff_"
                   r"|^safelight/base_staff\.html$")
# Reporter-side templates the walk does not reach, and why.
NOT_WALKED = {
    "evidence/bundle_pdf.html": "the bundle's PDF, not a page (its text: issue 15, item 5)",
}


def test_the_walk_renders_every_reporter_side_template(walk):
    every = {str(p.relative_to(TEMPLATES)) for p in TEMPLATES.rglob("*.html")}
    reporter_side = {t for t in every if not STAFF.search(t)} - set(NOT_WALKED)
    missing = sorted(reporter_side - walk["templates"])
    assert not missing, f"add these pages to the walk (or to NOT_WALKED, saying why): {missing}"


def _msgid_pattern(msgid: str) -> re.Pattern:
    parts = pseudo.PROTECTED.split(msgid)
    return re.compile(".+?".join(re.escape(p) for p in parts) + r"\Z", re.S)


# Languages whose share of Django's own texts (month names, file sizes, some form errors) stays
# English for now, with the sentence of docs/translation.md that says so. Our catalogue can take
# them over later (copy the texts into a module of gettext_noop calls and translate them).
DJANGO_TEXTS_IN_ENGLISH = {
    "fil": "In Filipino, Django's own texts stay in English",
}
TRANSLATION_DOC = Path(__file__).resolve().parents[2] / "docs" / "translation.md"


def test_django_texts_on_the_pages_exist_in_every_language(walk):
    """The pages show some of Django's own texts (form errors, month names, file sizes, the
    names of languages): each shipped language needs them from Django's catalogue, or from ours
    where Django has none."""
    import django

    shown: dict[str, set[str]] = defaultdict(set)  # Django's msgid -> pages
    patterns = [
        (e.msgid, _msgid_pattern(text))
        for path in pseudo.third_party_catalogues() for e in polib.pofile(str(path))
        for text in (e.msgid, e.msgid_plural)
        if text and pseudo.WORD.search(pseudo.PROTECTED.sub("", text))
    ]
    for name, _url, html in walk["pages"]:
        for text in pseudo.visible_text(html):
            for found in pseudo.others_texts(text):
                for msgid in (m for m, pattern in patterns if pattern.match(found)):
                    shown[msgid].add(name)
    tool = translations_script()
    django_locale = Path(django.__file__).parent / "conf" / "locale"
    lacking = {}
    for lang in tool.languages():
        if (django_locale / lang / "LC_MESSAGES" / "django.mo").exists():
            continue
        if lang in DJANGO_TEXTS_IN_ENGLISH:
            # Said plainly where a reader looks for it, rather than claimed translated.
            assert DJANGO_TEXTS_IN_ENGLISH[lang] in TRANSLATION_DOC.read_text(encoding="utf-8")
            continue
        ours = {e.msgid for e in tool.catalogue(lang) if e.translated()}
        missing = sorted(m for m in shown if m not in ours)
        if missing:
            lacking[lang] = missing
    assert not lacking, (
        "Django has no catalogue for these languages, so these texts of Django's that reporter "
        "pages show stay in English unless our catalogue has them:\n"
        + "\n".join(f"{lang}: {msgid!r} (on {', '.join(sorted(shown[msgid])[:2])})"
                    for lang, missing in lacking.items() for msgid in missing)
    )
