"""A whole report in a real browser, with and without JavaScript.

The reporter writes an anonymous report with two files, one a photo that says where it was
taken; the handler signs in with a TOTP code, reads it, downloads the photo (which no longer
says where it was taken), and replies; the reporter comes back with the receipt, reads the reply
and answers; the handler sees the answer.
"""

import pytest
from PIL import Image
from playwright.sync_api import expect

from safelight.accounts.models import Handler
from safelight.intake.questions import display_name
from safelight.reports.models import Report
from tests.browser.conftest import Visit
from tests.browser.flow_helpers import (
    GPS_IFD,
    JPEG_MAGIC,
    MAKE,
    MAKER,
    confirmed_device,
    gps_jpeg,
    javascript_on,
    small_png,
    staff_sign_in,
    stored_files,
)
from tests.intake.conftest import ben, channel, hana, questionnaire  # noqa: F401

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WHAT_HAPPENED = "My manager keeps sending me messages at night and posted my address."
REPLY = "We have your report. Could you tell us since when the messages come?"
ANSWER = "Since March, almost every night."


@pytest.fixture
def media_root(settings, tmp_path):
    """Files of this test only, so the check of what is on disk sees nothing else."""
    settings.MEDIA_ROOT = tmp_path / "files"
    return settings.MEDIA_ROOT


def _write_report(visit: Visit, tmp_path) -> str:
    """The reporter's part, as a person clicks it. Returns the receipt."""
    page = visit.page
    base = visit.base
    visit.goto("/acme/")
    page.get_by_role("link", name="Report: Harassment at work").click()
    expect(page).to_have_url(base + "/acme/work/")
    page.get_by_role("button", name="Start").click()

    # Step 1: what happened, and what kind of abuse.
    expect(page).to_have_url(base + "/acme/work/step/1/")
    expect(page.get_by_text("Step 1 of 6")).to_be_visible()
    page.locator("textarea[name=q_what_happened]").fill(WHAT_HAPPENED)
    kinds = page.locator("#question-abuse_kinds")
    kinds.get_by_label("Stalking or monitoring").check()
    kinds.get_by_label("personal details were published").check()
    page.get_by_role("button", name="Continue", exact=True).click()

    # Step 2: nothing to say.
    expect(page).to_have_url(base + "/acme/work/step/2/")
    page.get_by_role("button", name="Continue", exact=True).click()

    # Step 3: ben is involved and must not see it.
    expect(page).to_have_url(base + "/acme/work/step/3/")
    involved = page.locator("#question-excluded")
    expect(involved).to_contain_text("Is any of these people involved")
    # Reporters see display names, never sign-in names.
    expect(involved.get_by_label(display_name(Handler.objects.get(user__username="hana")),
                                 exact=True)).to_be_visible()
    involved.get_by_label(display_name(Handler.objects.get(user__username="ben")),
                          exact=True).check()
    page.get_by_role("button", name="Continue", exact=True).click()

    # Step 4: nothing to say.
    expect(page).to_have_url(base + "/acme/work/step/4/")
    page.get_by_role("button", name="Continue", exact=True).click()

    # Step 5: two files, sent with "Continue".
    expect(page).to_have_url(base + "/acme/work/step/5/")
    page.locator("input[name=q_evidence]").set_input_files([
        {"name": "photo.jpg", "mimeType": "image/jpeg", "buffer": gps_jpeg()},
        {"name": "screenshot.png", "mimeType": "image/png", "buffer": small_png()},
    ])
    page.get_by_role("button", name="Continue", exact=True).click()

    # Step 6: anonymous, nothing given; the last step's button leads to the review.
    expect(page).to_have_url(base + "/acme/work/step/6/")
    page.get_by_role("button", name="Review my report").click()

    expect(page).to_have_url(base + "/acme/work/review/")
    expect(page.get_by_role("heading", name="Check your report before you send it")).to_be_visible()
    who = page.locator(".who-sees")
    hana_name = display_name(Handler.objects.get(user__username="hana"))
    expect(who.locator(".readers-now")).to_have_text(f"{hana_name} · Intake coordinator")
    expect(who).not_to_contain_text("hana")
    expect(who).to_contain_text("your report is anonymous")
    expect(page.locator(".review-step").first).to_contain_text(WHAT_HAPPENED)
    files = page.locator("ul.files li")
    expect(files).to_have_count(2)
    photo = files.filter(has_text="photo.jpg")
    expect(photo).to_contain_text("Hidden details removed:")
    expect(photo).to_contain_text("where it was taken (GPS location)")
    expect(photo).to_contain_text("camera or phone model")
    expect(files.filter(has_text="screenshot.png")).to_be_visible()
    page.get_by_role("button", name="Send my report").click()

    expect(page.get_by_role("heading", name="Your report was sent")).to_be_visible()
    receipt = page.locator("#receipt code").inner_text()
    assert len(receipt.replace(" ", "")) == 28, receipt
    page.screenshot(path=tmp_path / "receipt.png", full_page=True)
    return receipt


def _check_nothing_in_clear_on_disk(media_root) -> None:
    stored = stored_files(media_root)
    assert stored, f"no files under {media_root}"
    for path in stored:
        data = path.read_bytes()
        assert MAKER.encode() not in data, path
        assert not data.startswith(JPEG_MAGIC), path
        assert not data.startswith(b"\x89PNG"), path


def test_a_report_with_files_goes_to_the_handler_and_the_answer_comes_back(
    request, browser, live_server, visit, channel, hana, media_root, tmp_path  # noqa: F811
):
    javascript = javascript_on(request)
    base = live_server.url

    # The reporter writes and sends the report, and nothing leaves the site while they do.
    receipt = _write_report(visit, tmp_path)
    assert visit.foreign_requests() == []
    report = Report.objects.get()
    _check_nothing_in_clear_on_disk(media_root)

    # The handler signs in, in a browser of their own.
    device = confirmed_device(hana)
    staff = Visit(browser.new_context(java_script_enabled=javascript, accept_downloads=True), base)
    page = staff.page
    try:
        staff_sign_in(page, base, hana, device)
        page.get_by_role("link", name="Inbox", exact=True).click()
        expect(page.get_by_role("heading", name="Inbox")).to_be_visible()
        page.get_by_role("link", name=report.reference).click()
        expect(page).to_have_url(f"{base}/staff/reports/{report.pk}/")
        expect(page.get_by_text(WHAT_HAPPENED)).to_be_visible()
        expect(page.get_by_text("Anonymous: the reporter gave no name")).to_be_visible()
        photo_row = page.locator("ul.files li").filter(has_text="photo.jpg")
        expect(photo_row).to_contain_text("where it was taken (GPS location)")

        # The photo, downloaded, no longer says where it was taken or which phone took it.
        with page.expect_download() as download_info:
            page.get_by_role("link", name="photo.jpg").click()
        download = download_info.value
        assert download.suggested_filename == "photo.jpg"
        downloaded = tmp_path / "downloaded.jpg"
        download.save_as(downloaded)
        with Image.open(downloaded) as image:
            assert image.format == "JPEG"
            assert image.size == (64, 48)
            exif = image.getexif()
            assert not exif.get_ifd(GPS_IFD)
            assert MAKE not in exif
        assert MAKER.encode() not in downloaded.read_bytes()
        _check_nothing_in_clear_on_disk(media_root)

        # The handler replies.
        page.get_by_label("Reply to the reporter").fill(REPLY)
        page.get_by_role("button", name="Send reply").click()
        expect(page.get_by_text("Your reply was sent.")).to_be_visible()
        expect(page.locator(".thread .from-handler")).to_contain_text(REPLY)

        # The reporter comes back with the receipt, reads the reply and answers.
        visit.goto("/receipt/")
        visit.page.get_by_label("Your receipt").fill(receipt)
        visit.page.get_by_role("button", name="Open my report").click()
        expect(visit.page).to_have_url(base + "/receipt/report/")
        expect(visit.page.locator(".thread .from-handler")).to_contain_text(REPLY)
        expect(visit.page.locator(".thread .from-handler")).to_contain_text("Acme Platform")
        visit.page.get_by_label("Your message").fill(ANSWER)
        visit.page.get_by_role("button", name="Send", exact=True).click()
        expect(visit.page).to_have_url(base + "/receipt/report/")
        expect(visit.page.locator(".thread .from-reporter")).to_contain_text(ANSWER)
        expect(visit.page.locator(".thread .from-reporter")).to_contain_text("You")
        assert visit.foreign_requests() == []

        # The handler sees the answer.
        page.reload()
        expect(page.locator(".thread .from-reporter")).to_contain_text(ANSWER)
        expect(page.locator(".thread .from-reporter")).to_contain_text("The reporter")
        assert staff.foreign_requests() == []
    finally:
        staff.context.close()


def test_it_asks_the_conditional_question_only_when_it_applies(
    request, visit, channel  # noqa: F811
):
    visit.goto("/acme/work/")
    visit.page.get_by_role("button", name="Start").click()
    expect(visit.page).to_have_url(visit.base + "/acme/work/step/1/")
    page = visit.page
    other = page.locator("#question-abuse_other")
    note = "Answer this only if you chose “Something else” above."
    if javascript_on(request):
        expect(other).to_be_hidden()
        page.locator("#question-abuse_kinds").get_by_label("Something else").check()
        expect(other).to_be_visible()
        expect(other).to_contain_text("In a few words, what else happened?")
        expect(other.get_by_text(note)).to_be_hidden()
        page.locator("#question-abuse_kinds").get_by_label("Something else").uncheck()
        expect(other).to_be_hidden()
    else:
        expect(other).to_be_visible()
        expect(other).to_contain_text("In a few words, what else happened?")
        expect(other.get_by_text(note)).to_be_visible()
    assert visit.foreign_requests() == []


def test_it_leaves_for_the_neutral_site_from_a_step(visit, channel):  # noqa: F811
    visit.goto("/acme/work/")
    visit.page.get_by_role("button", name="Start").click()
    expect(visit.page).to_have_url(visit.base + "/acme/work/step/1/")
    visit.page.locator("textarea[name=q_what_happened]").fill("Something I do not want seen")
    visit.page.get_by_role("link", name="Quick exit").click()
    visit.page.wait_for_url("https://neutral.example/")
    assert visit.page.title() == "Neutral"
    assert visit.foreign_requests() == []
