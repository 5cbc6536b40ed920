import pytest

from safelight.audit.models import Event
from safelight.crypto import derive_receipt_keys, normalize_receipt
from safelight.intake.models import Draft
from safelight.intake.questions import display_name
from safelight.reports.models import Report, ReportKey, Status
from tests.intake import flow

STEPS = {
    1: {
        "q_what_happened": "He sends threats every night.",
        "q_abuse_kinds": ["threats", "other"],
        "q_abuse_other": "He made a fake profile.",
    },
    2: {"q_when_from": "2026-10-01", "q_when_to": "2026-11-01", "q_ongoing": "yes"},
    6: {"q_name": "Rosa Reporter", "q_contact": "Signal only"},
}


def test_it_sends_a_report_and_shows_the_receipt_once(client, channel, settings):
    receipt = flow.report(client, channel, STEPS)
    digits = normalize_receipt(receipt)
    assert len(digits) == 28
    report = Report.objects.get()
    assert report.channel == channel
    assert report.status == Status.NEW
    keys = derive_receipt_keys(receipt, settings.SAFELIGHT_RECEIPT_PEPPER)
    assert bytes(report.lookup_id) == keys.lookup_id
    assert digits.encode() not in bytes(report.answers)
    assert not Draft.objects.exists()
    assert Event.objects.filter(action="report.submit", target_id=str(report.pk)).exists()
    # The draft cookie is gone: sending again finds nothing to send.
    again = client.post(flow.review_url(channel))
    assert again.status_code == 409
    assert "never sent twice" in again.content.decode()


def test_it_seals_the_report_key_to_each_reader_and_identity_only_where_allowed(
    client, channel, hana, ben
):
    flow.report(client, channel, STEPS)
    report = Report.objects.get()
    keys = {k.handler_id: k for k in ReportKey.objects.filter(report=report)}
    assert set(keys) == {hana.pk, ben.pk}
    assert keys[hana.pk].sealed_identity_key is not None
    assert keys[ben.pk].sealed_identity_key is None
    assert report.identity is not None


def test_it_keeps_an_anonymous_report_without_identity(client, channel):
    flow.report(client, channel, {1: {"q_what_happened": "Someone tracks my phone."}})
    report = Report.objects.get()
    assert report.identity is None
    assert all(k.sealed_identity_key is None for k in report.keys.all())


def test_it_seals_nothing_to_a_handler_the_reporter_excluded(client, channel, hana, ben):
    flow.report(client, channel, {3: {"q_excluded": [str(ben.pk)]}})
    report = Report.objects.get()
    assert list(report.keys.values_list("handler_id", flat=True)) == [hana.pk]


def test_it_refuses_to_send_when_everyone_is_excluded(client, channel, hana, ben):
    flow.report(client, channel, {3: {"q_excluded": [str(ben.pk), str(hana.pk)]}}, submit=False)
    response = client.post(flow.review_url(channel))
    assert response.status_code == 200
    assert "no one could read it" in response.content.decode()
    assert not Report.objects.exists()
    assert Draft.objects.count() == 1  # nothing lost: the person can change the answer


def test_it_waits_for_required_answers_before_sending(client, channel):
    question = channel.questionnaire.steps.get(position=0).questions.get(key="what_happened")
    question.required = True
    question.save()
    flow.start(client, channel)
    response = flow.answer(client, channel, 1, {})
    assert response.status_code == 200
    assert "Please answer this question to go on." in response.content.decode()
    # Skipping ahead to the review does not get round it.
    review = client.post(flow.review_url(channel))
    assert review.status_code == 200
    assert not Report.objects.exists()
    assert question.label in review.content.decode()


@pytest.mark.parametrize("go", ["back", "next"])
def test_it_keeps_answers_when_going_back_and_forth(client, channel, go):
    flow.start(client, channel)
    flow.answer(client, channel, 1, {"q_what_happened": "Messages at night."})
    flow.answer(client, channel, 2, {"q_platforms": "WhatsApp"}, go=go)
    page1 = client.get(flow.step_url(channel, 1)).content.decode()
    page2 = client.get(flow.step_url(channel, 2)).content.decode()
    assert "Messages at night." in page1
    assert "WhatsApp" in page2


def test_it_keeps_what_was_typed_when_a_date_is_wrong(client, channel):
    flow.start(client, channel)
    response = flow.answer(
        client,
        channel,
        2,
        {
            "q_when_from": "2026-11-01",
            "q_when_to": "2026-10-01",
            "q_platforms": "Instagram DMs",
        },
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "The end of the period is before its start." in page
    assert "Instagram DMs" in page


def test_it_drops_the_answer_to_a_question_whose_condition_is_no_longer_met(client, channel):
    flow.start(client, channel)
    flow.answer(client, channel, 1, {"q_abuse_kinds": ["other"], "q_abuse_other": "Fake shop"})
    flow.answer(client, channel, 1, {"q_abuse_kinds": ["threats"], "q_abuse_other": "Fake shop"})
    review = client.get(flow.review_url(channel)).content.decode()
    assert "Fake shop" not in review


def test_it_shows_who_will_see_the_report_on_the_review_page(client, channel, hana, ben):
    flow.report(
        client, channel, {3: {"q_excluded": [str(ben.pk)]}, 6: {"q_name": "R"}}, submit=False
    )
    review = client.get(flow.review_url(channel)).content.decode()
    now = review[review.index('<ul class="readers readers-now">'):]
    now = now[:now.index("</ul>")]
    assert display_name(hana) in now and display_name(ben) not in now
    assert f"of these, only {display_name(hana)} can see them." in review
    assert f"Not {display_name(ben)}: you named them" in review


def test_it_shows_the_neutral_page_without_a_draft(client, channel):
    response = client.get(flow.step_url(channel, 1))
    assert response.status_code == 410
    assert "This page is no longer available" in response.content.decode()
    assert channel.name not in response.content.decode()


def test_it_gives_404_for_a_channel_that_takes_no_reports(client, channel):
    channel.active = False
    channel.save()
    assert client.get(f"/acme/{channel.slug}/").status_code == 404


def test_it_discards_a_draft(client, channel):
    flow.start(client, channel)
    response = client.post(f"/acme/{channel.slug}/discard/")
    assert response.status_code == 200
    assert not Draft.objects.exists()


def test_it_sends_a_draft_only_once_even_when_sent_twice_at_once(client, channel):
    from safelight.intake import actions, drafts

    flow.report(client, channel, {1: {"q_what_happened": "Once."}}, submit=False)
    draft = drafts.open_draft(_request(client), channel)
    actions.submit_report(draft=draft)
    with pytest.raises(actions.DraftGone):
        actions.submit_report(draft=draft)
    assert Report.objects.count() == 1


def _request(client):
    from django.test import RequestFactory

    request = RequestFactory().get("/")
    request.COOKIES = {name: morsel.value for name, morsel in client.cookies.items()}
    return request
