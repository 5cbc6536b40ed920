"""Back on a step with an error goes back, and keeps what was typed (issue 13, item 11)."""

from safelight.intake import drafts
from safelight.reports.models import QuestionKind
from tests.intake import flow
from tests.intake.steps_of import question_of, step_of


def _range_step(channel):
    question = question_of(channel, kind=QuestionKind.DATE_RANGE)
    return step_of(channel, kind=QuestionKind.DATE_RANGE), f"q_{question.key}"


def _open(client, channel):
    request = type("R", (), {"COOKIES": client.cookies and {
        k: v.value for k, v in client.cookies.items()}})()
    return drafts.open_draft(request, channel)


def test_it_goes_back_from_a_step_with_a_date_range_error(client, channel):
    number, name = _range_step(channel)
    flow.start(client, channel)
    bad = {f"{name}_from": "2026-03-10", f"{name}_to": "2026-03-01"}
    response = flow.answer(client, channel, number, bad, go="back")
    assert response.status_code == 302
    expected = flow.step_url(channel, number - 1) if number > 1 else f"/acme/{channel.slug}/"
    assert response["Location"] == expected


def test_it_keeps_the_typed_answers_when_going_back(client, channel):
    number, name = _range_step(channel)
    flow.start(client, channel)
    data = {f"{name}_from": "2026-03-10", f"{name}_to": "2026-03-01"}
    flow.answer(client, channel, number, data, go="back")
    page = client.get(flow.step_url(channel, number)).content.decode()
    assert 'value="2026-03-10"' in page
    assert 'value="2026-03-01"' in page
    assert "The end of the period is before its start." in page


def test_it_saves_the_valid_answers_of_the_step_at_once(client, channel):
    number, name = _range_step(channel)
    step = channel.questionnaire.steps.all()[number - 1]
    other = next(q for q in step.questions.all() if q.kind == QuestionKind.LONG_TEXT)
    flow.start(client, channel)
    data = {f"{name}_from": "2026-03-10", f"{name}_to": "2026-03-01",
            f"q_{other.key}": "WhatsApp and a shared phone plan"}
    flow.answer(client, channel, number, data, go="back")
    draft = _open(client, channel)
    assert draft.answers[other.key] == "WhatsApp and a shared phone plan"
    assert "when" not in draft.answers or draft.answers.get("when") is None


def test_it_does_not_send_while_an_answer_waits_to_be_checked(client, channel):
    number, name = _range_step(channel)
    flow.start(client, channel)
    flow.answer(client, channel, number,
                {f"{name}_from": "2026-03-10", f"{name}_to": "2026-03-01"}, go="back")
    page = client.get(flow.review_url(channel)).content.decode()
    assert flow.step_url(channel, number) in page
    assert "still needs a look" in page
    response = client.post(flow.review_url(channel))
    assert flow.RECEIPT.search(response.content.decode()) is None


def test_it_stops_waiting_once_the_step_is_corrected(client, channel):
    number, name = _range_step(channel)
    flow.start(client, channel)
    flow.answer(client, channel, number,
                {f"{name}_from": "2026-03-10", f"{name}_to": "2026-03-01"}, go="back")
    response = flow.answer(client, channel, number,
                           {f"{name}_from": "2026-03-01", f"{name}_to": "2026-03-10"})
    assert response.status_code == 302
    draft = _open(client, channel)
    key = question_of(channel, kind=QuestionKind.DATE_RANGE).key
    assert draft.answers[key] == {"from": "2026-03-01", "to": "2026-03-10"}
    assert "~typed" not in draft.answers
    page = client.get(flow.step_url(channel, number)).content.decode()
    assert "The end of the period is before its start." not in page
