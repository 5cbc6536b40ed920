"""The staff administration edits channels and questionnaires; every save is audited."""

from safelight.audit.models import Event
from safelight.reports.models import Question
from tests.conftest import sign_in


def test_it_edits_a_question_through_the_admin_and_records_it(client, administrator, channel):
    sign_in(client, administrator)
    question = Question.objects.get(key="what_happened")
    step = question.step
    url = f"/staff/admin/intake/step/{step.pk}/change/"
    page = client.get(url)
    assert page.status_code == 200
    form = page.context["adminform"].form
    inline = page.context["inline_admin_formsets"][0].formset
    data = {k: v for k, v in form.initial.items() if v is not None}
    data["questionnaire"] = step.questionnaire_id
    prefix = inline.prefix
    questions = list(step.questions.all())
    data.update({f"{prefix}-TOTAL_FORMS": len(questions), f"{prefix}-INITIAL_FORMS": len(questions),
                 f"{prefix}-MIN_NUM_FORMS": 0, f"{prefix}-MAX_NUM_FORMS": 1000})
    for i, q in enumerate(questions):
        for name in ("position", "key", "kind", "label", "help_text", "choices", "show_if_value"):
            data[f"{prefix}-{i}-{name}"] = getattr(q, name)
        data[f"{prefix}-{i}-id"] = q.pk
        data[f"{prefix}-{i}-step"] = step.pk
        if q.show_if_id:
            data[f"{prefix}-{i}-show_if"] = q.show_if_id
        if q.required:
            data[f"{prefix}-{i}-required"] = "on"
    index = questions.index(question)
    data[f"{prefix}-{index}-label"] = "What happened, in your words?"
    response = client.post(url, data)
    assert response.status_code == 302, response.context["errors"] if response.context else ""
    question.refresh_from_db()
    assert question.label == "What happened, in your words?"
    assert Event.objects.filter(action="question.change", actor=administrator.user).exists()


def test_it_refuses_a_condition_on_a_later_question(channel):
    import pytest
    from django.core.exceptions import ValidationError

    first = Question.objects.get(key="what_happened")
    later = Question.objects.get(key="ongoing")
    first.show_if = later
    first.show_if_value = "yes"
    with pytest.raises(ValidationError, match="comes before"):
        first.full_clean()
