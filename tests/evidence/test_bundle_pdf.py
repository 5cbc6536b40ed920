"""The evidence bundle's PDF: what it prints, in which order, and that it fetches nothing."""

from __future__ import annotations

import io
import re

import pypdf
import pytest

from safelight.evidence import bundle_pdf
from safelight.evidence.bundle import key_fingerprint
from safelight.evidence.bundle_content import PdfMessage
from safelight.evidence.bundle_pdf import (
    RefusingURLFetcher,
    html_to_pdf,
    render_html,
    render_pdf,
)
from tests.evidence import pdf_factory
from tests.evidence.pdf_factory import pdf_content, sha

LABELS = {
    "threat": "Threats of violence",
    "sexual": "Sexual harassment",
    "insult": "Insults and abuse",
    "exposure": "Personal details exposed",
    "control": "Monitoring and control",
}


def pages_of(pdf: bytes) -> list[str]:
    assert pdf.startswith(b"%PDF-")
    return [page.extract_text() for page in pypdf.PdfReader(io.BytesIO(pdf)).pages]


def squeeze(text: str) -> str:
    """Text without whitespace: long hashes and paths wrap across lines in the PDF."""
    return re.sub(r"\s+", "", text)


def page_with(pages: list[str], needle: str) -> int:
    return next(index for index, text in enumerate(pages) if needle in text)


@pytest.fixture
def fetches(monkeypatch):
    """The URLs the renderer asks its fetcher for (each still refused)."""
    calls = []
    refuse = RefusingURLFetcher.fetch

    def record(self, url, headers=None):
        calls.append(url)
        return refuse(self, url, headers)

    monkeypatch.setattr(RefusingURLFetcher, "fetch", record)
    return calls


@pytest.fixture(scope="module")
def sample():
    content = pdf_content()
    return content, pages_of(render_pdf(content))


def test_it_prints_the_cover_facts(sample):
    content, pages = sample
    cover = pages[0]
    assert "Evidence bundle" in cover
    assert content.locker_id in cover
    assert "Exported at\n5 March 2026, 10:30 UTC" in cover
    assert f"Items in this bundle\n{len(content.items)}" in cover
    assert "Size: 42 entries" in cover
    assert content.root_hash in squeeze(cover)
    assert content.public_key in squeeze(cover)
    fingerprint = key_fingerprint(bytes.fromhex(content.public_key))
    assert fingerprint in cover  # grouped for reading aloud, as `safelight verify` prints it
    assert "safelight verify bundle.zip" in cover
    assert "README.txt" in cover


def test_it_names_the_locker_and_numbers_every_page(sample):
    _content, pages = sample
    for number, text in enumerate(pages, start=1):
        assert "Evidence bundle — locker 3f9c2a71" in text
        assert f"Page {number} of {len(pages)}" in text


def test_it_gives_the_page_of_each_section_on_the_cover(sample):
    _content, pages = sample
    hashes_page = page_with(pages, "6. Hashes") + 1
    incidents_page = page_with(pages, "3. Incidents") + 1
    assert f"Hashes, page {hashes_page}" in pages[0]
    assert f"Incidents, page {incidents_page}" in pages[0]
    assert f"(section 6, page {hashes_page})" in pages[0]


def test_it_counts_flagged_messages_per_category_and_shows_zero_rows(sample):
    _content, pages = sample
    summary = pages[page_with(pages, "1. Summary")]
    assert "Threats of violence 1\n" in summary
    assert "Sexual harassment 0\n" in summary
    assert "Insults and abuse 1\n" in summary
    assert "Personal details exposed 0\n" in summary
    assert "Monitoring and control 2\n" in summary
    assert "Incidents 2\n" in summary
    assert "Messages 7\n" in summary
    assert "of which flagged 3\n" in summary
    assert "Files 2\n" in summary


def test_it_lists_the_timeline(sample):
    content, pages = sample
    timeline = pages[page_with(pages, "2. Timeline")]
    for entry in content.timeline:
        assert f"{entry.when} {entry.what}" in timeline


def test_it_prints_every_field_of_an_incident(sample):
    content, pages = sample
    first = page_with(pages, "3. Incidents")
    text = "\n".join(pages[first : first + 2])
    incident = content.incidents[0]
    assert "1. Threat on Instagram after I blocked him" in text
    assert "When 3 March 2026, 21:40" in text
    assert "Kind Threats" in text
    assert "Platform or device Instagram (direct messages)" in text
    assert "Who @dm_kestrel_88, also texts from +44 7700 900123" in text
    assert "What happened\nAfter I blocked his main account" in text
    assert "Impact\nI stopped taking the bus" in text
    assert "Notes\nMy sister saw the messages" in text
    for url, captured in incident.urls:
        assert url in squeeze(text)
        assert f"captured {captured}" in text
    assert "screenshot-2026-03-03-2141.png" in text
    assert incident.files[0][1] in squeeze(text)
    assert "Edited 2 times, full history in the custody log." in text
    assert incident.sha256 in squeeze(text)
    # An incident written once says nothing about edits, and empty fields are left out.
    second = text[text.index("2. Tracker found in my car") :]
    assert "Edited" not in second
    assert "Impact" not in second


def test_it_says_edited_once_in_the_singular():
    incident = pdf_factory.incidents()[0]
    incident.versions = 2
    html = render_html(pdf_content(incidents=[incident]))
    assert "Edited 1 time, full history in the custody log." in html


def test_it_shows_the_content_warning_before_any_flagged_text(sample):
    content, pages = sample
    warning = page_with(pages, "Flagged messages: content warning")
    flagged = [m for m in content.messages if m.categories]
    assert flagged
    first_flagged = min(page_with(pages, m.text) for m in flagged)
    assert warning < first_flagged
    for text in pages[: warning + 1]:
        for message in flagged:
            assert message.text not in text
    # The warning page is a page of its own, in plain words, with the counts and where to skip.
    assert "Threats of violence: 1 message\n" in pages[warning]
    assert "Insults and abuse: 1 message\n" in pages[warning]
    assert "Monitoring and control: 2 messages\n" in pages[warning]
    assert "Sexual harassment" not in pages[warning]
    hashes_page = page_with(pages, "6. Hashes") + 1
    assert f"go to section 6, “Hashes”, on page {hashes_page}." in pages[warning]
    assert "Messages that were not flagged" not in pages[warning]


def test_it_groups_flagged_messages_by_category_listing_each_once(sample):
    content, pages = sample
    text = "\n".join(pages[page_with(pages, "Threats of violence (1)") :])
    assert text.index("Threats of violence (1)") < text.index("Insults and abuse (1)")
    assert text.index("Insults and abuse (1)") < text.index("Monitoring and control (1)")
    threat = content.messages[1]
    assert text.count(threat.text) == 1
    assert "also flagged as\nMonitoring and control" in text or (
        "also flagged as Monitoring and control" in text
    )
    assert f"{threat.sha256[:16]}…" in text
    assert threat.sha256 in squeeze(text)
    assert "no time given" in text  # the SMS without a time


def test_it_lists_messages_that_are_not_flagged_in_a_table(sample):
    content, pages = sample
    section = pages[page_with(pages, "4. Messages that were not flagged")]
    assert "Time Sender Text Source" in section
    assert "2 March 2026, 18:02 Sam Are you coming to the party on" in section
    assert "WhatsAppexportchat.txt,line12" in squeeze(section)
    for message in content.messages:
        if message.categories:
            assert message.text not in section


def test_it_lists_every_member_in_the_hash_table():
    items = [(f"items/files/{n:04d}-photo-{n}.jpg", "file", sha(f"file {n}")) for n in range(300)]
    pages = pages_of(render_pdf(pdf_content(items=items)))
    first = page_with(pages, "6. Hashes")
    hashes = squeeze("\n".join(pages[first:]))
    for member, _kind, digest in items:
        assert f"{digest}File{member}" in hashes
    assert len(pages) - first > 1  # it runs over several pages


def test_it_prints_html_in_survivor_text_as_text(fetches):
    hostile = '<script>alert(1)</script> and <img src="http://203.0.113.9/x.png"> & <b>bold</b>'
    incident = pdf_factory.incidents()[0]
    incident.what = hostile
    messages = [
        PdfMessage("1 March 2026, 10:00", "<b>Eve</b>", hostile, "chat.txt, line 1", [], sha("a")),
        PdfMessage("1 March 2026, 10:01", "Eve", hostile, "chat.txt, line 2", ["threat"], sha("b")),
    ]
    content = pdf_content(incidents=[incident], messages=messages)
    html = render_html(content)
    assert "<script>" not in html
    assert "<img" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    text = squeeze("\n".join(pages_of(render_pdf(content))))
    assert text.count(squeeze(hostile)) == 3  # the incident, a plain and a flagged message
    assert "<b>Eve</b>" in text
    assert fetches == []


def test_it_fetches_nothing_for_a_bundle_with_urls(fetches):
    content = pdf_content()
    assert any(incident.urls for incident in content.incidents)
    text = squeeze("\n".join(pages_of(render_pdf(content))))
    assert "https://www.instagram.com/dm_kestrel_88/" in text
    assert fetches == []


def test_it_refuses_every_url_the_layout_asks_for(fetches):
    pdf = html_to_pdf(
        '<link rel="stylesheet" href="https://203.0.113.9/a.css">'
        '<p>Before</p><img src="http://203.0.113.9/x.png"><img src="file:///etc/hostname">'
    )
    assert set(fetches) == {
        "https://203.0.113.9/a.css",
        "http://203.0.113.9/x.png",
        "file:///etc/hostname",
    }
    assert "Before" in pages_of(pdf)[0]

def test_it_refuses_a_url_when_asked_directly():
    with pytest.raises(ValueError, match="fetches nothing"):
        RefusingURLFetcher()("https://203.0.113.9/")


def test_it_renders_an_empty_bundle_sensibly():
    content = pdf_content(incidents=[], messages=[], timeline=[], items=[])
    pages = pages_of(render_pdf(content))
    text = "\n".join(pages)
    assert "Items in this bundle\n0" in pages[0]
    for label in LABELS.values():
        assert f"{label} 0\n" in text
    assert "Nothing to show in the timeline." in text
    assert "No incident was chosen for this bundle." in text
    assert "There are no messages in this section." in text
    assert "No message in this bundle was flagged." in text
    assert "content warning" not in text
    assert "6. Hashes" in text


def test_it_renders_a_bundle_whose_messages_are_all_flagged_or_none():
    flagged_only = [m for m in pdf_factory.messages() if m.categories]
    text = "\n".join(pages_of(render_pdf(pdf_content(messages=flagged_only))))
    assert "There are no messages in this section." in text
    assert "Flagged messages: content warning" in text
    plain_only = [m for m in pdf_factory.messages() if not m.categories]
    text = "\n".join(pages_of(render_pdf(pdf_content(messages=plain_only))))
    assert "No message in this bundle was flagged." in text
    assert "Are you coming to the party on" in text


def test_it_sets_the_direction_of_right_to_left_text():
    html = render_html(pdf_content())
    assert 'dir="rtl">صباح الخير' in html
    assert 'dir="rtl">בוקר טוב!' in html
    assert 'dir="ltr">Call me when you are up' in html
    assert bundle_pdf._direction("123 (שלום)") == "rtl"
    assert bundle_pdf._direction("123 ...") == "ltr"


def test_it_escapes_the_running_header_for_css():
    css = bundle_pdf._css_string('locker "x"; } </style><script>')
    assert css.count('"') == 2
    assert "<" not in css
    assert ";" not in css
    assert "}" not in css
    content = bundle_pdf._css_content(
        "Page %(page)s of %(pages)s", page="counter(page)", pages="counter(pages)"
    )
    assert content == '"Page " counter(page) " of " counter(pages)'


def test_it_renders_a_thousand_messages():
    messages = pdf_factory.many_messages(1000)
    content = pdf_content(messages=messages)
    pages = pages_of(render_pdf(content))
    text = squeeze("\n".join(pages))
    assert len(pages) > 30
    assert squeeze(messages[-1].text) in text
    assert squeeze(messages[0].text) in text  # flagged, behind the warning
    assert squeeze(content.items[-1][0]) in text
    assert squeeze(content.items[-1][2]) in text
