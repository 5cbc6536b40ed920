"""A malformed file id in a step's form: a plain message, the answers kept, nothing logged
(issue 20, item 10)."""

import logging

from safelight.intake import drafts
from safelight.intake.models import DraftFile
from safelight.reports.models import QuestionKind
from tests.intake import flow, samples
from tests.intake.steps_of import step_of

BAD = "' OR 1=1 --"


def _open(client, channel):
    request = type("R", (), {"COOKIES": {k: v.value for k, v in client.cookies.items()}})()
    return drafts.open_draft(request, channel)


def test_it_answers_a_malformed_file_id_with_a_message_not_a_500(client, channel, caplog):
    number = step_of(channel, kind=QuestionKind.FILE)
    step = channel.questionnaire.steps.all()[number - 1]
    text = next(q for q in step.questions.all() if q.kind == QuestionKind.LONG_TEXT)
    flow.start(client, channel)
    client.raise_request_exception = False
    with caplog.at_level(logging.DEBUG):
        response = client.post(flow.step_url(channel, number), {
            f"q_{text.key}": "Blocked him everywhere", "remove_file": BAD, "go": "next",
        })
    assert response.status_code == 400
    page = response.content.decode()
    assert "We could not tell which file to remove" in page
    assert "Blocked him everywhere" in page
    assert BAD not in caplog.text
    assert "1=1" not in caplog.text
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]
    assert _open(client, channel).answers[text.key] == "Blocked him everywhere"


def test_it_removes_nothing_when_one_id_is_malformed(client, channel):
    number = step_of(channel, kind=QuestionKind.FILE)
    step = channel.questionnaire.steps.all()[number - 1]
    question = next(q for q in step.questions.all() if q.kind == QuestionKind.FILE)
    flow.start(client, channel)
    client.post(flow.step_url(channel, number), {
        f"q_{question.key}": [flow.upload("note.txt", b"a note", "text/plain")], "go": "stay"})
    (row,) = DraftFile.objects.all()
    response = client.post(flow.step_url(channel, number),
                           {"remove_file": [str(row.pk), BAD], "go": "next"})
    assert response.status_code == 400
    assert DraftFile.objects.filter(pk=row.pk).exists()


def test_it_still_removes_a_file_by_its_id(client, channel):
    number = step_of(channel, kind=QuestionKind.FILE)
    step = channel.questionnaire.steps.all()[number - 1]
    question = next(q for q in step.questions.all() if q.kind == QuestionKind.FILE)
    flow.start(client, channel)
    client.post(flow.step_url(channel, number), {
        f"q_{question.key}": [flow.upload("photo.jpg", samples.gps_jpeg(), "image/jpeg")],
        "go": "stay"})
    (row,) = DraftFile.objects.all()
    response = client.post(flow.step_url(channel, number),
                           {"remove_file": str(row.pk), "go": "stay"})
    assert response.status_code == 302
    assert not DraftFile.objects.exists()
