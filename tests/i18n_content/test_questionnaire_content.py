"""The questionnaire and the channels are data, written once a language (issue 15, item 2).

A reporter reads the steps, questions, help and choices in the page's language, else in the
organisation's default language; answers store choice codes, so a handler reading in another
language sees the same answer in their own words; the administrator sees which languages are
missing; a translation cannot change the choices' codes; a step page costs the same number of
queries whatever the number of its questions.
"""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import translation
from django.utils.translation import gettext

from safelight.accounts.actions import create_handler, create_organisation
from safelight.accounts.models import Organisation
from safelight.audit.models import Event
from safelight.intake.drafts import open_draft
from safelight.intake.questions import answered_entries, entries_in_language
from safelight.intake.setup_actions import create_channel, save_setup
from safelight.reports.models import Question, QuestionKind, Questionnaire, Step
from tests.conftest import PASSWORD, sign_in
from tests.intake import flow
from tests.intake.conftest import ben, channel, hana, questionnaire, with_keys  # noqa: F401

pytestmark = pytest.mark.django_db

HAPPENED_TO = "Did this happen to you, or to someone else?"
SOMEONE_ELSE = (
    "It happened to someone else, for example a colleague, a friend or someone using the "
    "platform. They will not be contacted without care for their safety."
)


def spanish(text: str) -> str:
    with translation.override("es"):
        return gettext(text)


def reader(language: str) -> Client:
    return Client(HTTP_ACCEPT_LANGUAGE=language)


def test_a_spanish_reporter_reads_the_default_questionnaire_in_spanish(channel):  # noqa: F811
    assert spanish(HAPPENED_TO) != HAPPENED_TO  # the catalogue translates it
    client = reader("es")
    flow.start(client, channel)
    page = client.get(flow.step_url(channel, 1)).content.decode()
    assert spanish("What happened") in page
    assert spanish(HAPPENED_TO) in page
    assert spanish("It happened to me") in page
    assert HAPPENED_TO not in page
    # The review page too: the step's title and the chosen answer's words, in Spanish.
    flow.answer(client, channel, 1, {"q_happened_to": "me"})
    review = client.get(flow.review_url(channel)).content.decode()
    assert spanish("What happened") in review and spanish("It happened to me") in review
    assert "It happened to me" not in review


def test_every_language_has_the_default_questionnaire_with_the_same_codes(questionnaire):  # noqa: F811
    question = Question.objects.get(step__questionnaire=questionnaire, key="abuse_kinds")
    assert len(question.get_available_languages()) == 20
    codes = question.choice_codes_in("en")
    assert codes and "threats" in codes
    for language in question.get_available_languages():
        assert question.choice_codes_in(language) == codes, language


def french_organisation() -> tuple[Organisation, Step, Question]:
    """An organisation that writes in French only."""
    organisation = create_organisation(name="Aquilon", slug="aquilon")
    Organisation.objects.filter(pk=organisation.pk).update(default_language="fr")
    organisation.refresh_from_db()
    handler = with_keys(create_handler(organisation=organisation, username="amel",
                                       password=PASSWORD))
    questions = Questionnaire.objects.create(organisation=organisation, name="Questions")
    step = Step(questionnaire=questions, position=0)
    step.set_current_language("fr")
    step.title = "Ce qui s'est passé"
    step.introduction = "Racontez-le avec vos mots."
    step.save()
    question = Question(step=step, position=0, key="quand", kind=QuestionKind.SINGLE_CHOICE)
    question.set_current_language("fr")
    question.label = "Est-ce que cela continue ?"
    question.help_text = "Une réponse suffit."
    question.choices = "oui | Oui, encore\nnon | Non, c'est fini"
    question.full_clean()
    question.save()
    with translation.override("fr"):
        create_channel(organisation=organisation, name="Harcèlement au travail", slug="travail",
                       description="Pour signaler un harcèlement.", who_reads="Deux personnes.",
                       questionnaire=questions, recipients=[(handler, True)])
    return organisation, step, question


def test_french_only_content_is_shown_in_french_to_an_arabic_reader():
    organisation, _step, _question = french_organisation()
    client = reader("ar")
    landing = client.get("/aquilon/").content.decode()
    assert 'lang="ar"' in landing
    assert "Harcèlement au travail" in landing and "Pour signaler un harcèlement." in landing
    french = organisation.channels.get()
    flow.start(client, french)
    page = client.get(flow.step_url(french, 1)).content.decode()
    for text in ("Ce qui s&#x27;est passé", "Racontez-le avec vos mots.",
                 "Est-ce que cela continue ?", "Une réponse suffit.", "Oui, encore",
                 "Non, c&#x27;est fini"):
        assert text in page, text


def test_a_spanish_answer_is_read_by_a_handler_in_english_with_the_english_words(channel):  # noqa: F811
    client = reader("es")
    flow.start(client, channel)
    response = flow.answer(client, channel, 1, {"q_happened_to": "someone_else"})
    assert response.status_code == 302
    with translation.override("es"):
        request = client.get(flow.review_url(channel)).wsgi_request
        draft = open_draft(request, channel)
        assert draft is not None
        entries = answered_entries(channel.questionnaire, draft.answers, channel,
                                   identity=False)
    entry = next(e for e in entries if e["key"] == "happened_to")
    assert entry["value"] == "someone_else"  # the code is stored, not the words
    assert entry["label"] == spanish(HAPPENED_TO)
    assert entry["display"] == spanish(SOMEONE_ELSE)
    with translation.override("en"):
        shown = entries_in_language(entries, channel)
    english = next(e for e in shown if e["key"] == "happened_to")
    assert english["label"] == HAPPENED_TO
    assert english["display"] == SOMEONE_ELSE
    assert english["value"] == "someone_else"
    assert english["step"] == "What happened"


def test_a_condition_note_names_the_answer_in_the_pages_language(channel):  # noqa: F811
    client = reader("es")
    flow.start(client, channel)
    page = client.get(flow.step_url(channel, 1)).content.decode()
    with translation.override("es"):
        note = gettext("Answer this only if you chose “%(answer)s” above.") % {
            "answer": gettext("Something else")}
    assert note.replace("“", "&ldquo;") in page or note in page


def test_the_admin_shows_which_languages_are_missing(client, administrator, channel):  # noqa: F811
    _organisation, step, _question = french_organisation()
    own = Step(questionnaire=channel.questionnaire, position=9)
    own.set_current_language("en")
    own.title = "Anything else"
    save_setup(obj=own, actor=administrator.user)
    sign_in(client, administrator)
    page = client.get(f"/staff/admin/intake/step/{own.pk}/change/").content.decode()
    assert "Not yet translated into:" in page
    assert "Español" in page
    complete = channel.questionnaire.steps.first()
    full = client.get(f"/staff/admin/intake/step/{complete.pk}/change/").content.decode()
    assert "Translated into every language." in full
    listing = client.get("/staff/admin/intake/step/").content.decode()
    assert "<del>es</del>" in listing
    # Another organisation's step stays out of reach.
    assert client.get(f"/staff/admin/intake/step/{step.pk}/change/").status_code != 200


def test_the_admin_writes_a_channels_spanish_words_and_records_it(client, administrator, channel):  # noqa: F811
    sign_in(client, administrator)
    url = f"/staff/admin/intake/channel/{channel.pk}/change/?language=es"
    page = client.get(url)
    assert page.status_code == 200
    form = page.context["adminform"].form
    data = {k: v for k, v in form.initial.items() if v is not None}
    data.update({"name": "Acoso en el trabajo", "description": "Acoso de colegas.",
                 "who_reads": "Recursos humanos.", "recipient_set-TOTAL_FORMS": 0,
                 "recipient_set-INITIAL_FORMS": 0})
    data.pop("recipients", None)
    response = client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    channel.refresh_from_db()
    assert channel.safe_translation_getter("name", language_code="es") == "Acoso en el trabajo"
    assert channel.safe_translation_getter("name", language_code="en") == "Harassment at work"
    assert Event.objects.filter(action="channel.change", actor=administrator.user).exists()
    landing = reader("es").get("/acme/").content.decode()
    assert "Acoso en el trabajo" in landing


def test_a_translation_with_other_choice_codes_is_refused():
    _organisation, _step, question = french_organisation()
    question.set_current_language("es")
    question.label = "¿Sigue pasando?"
    question.choices = "si | Sí\nno | No"
    with pytest.raises(ValidationError) as refused:
        question.full_clean()
    assert "oui, non" in str(refused.value)
    question.choices = "oui | Sí, todavía\nnon | No, ya terminó"
    question.full_clean()
    question.save()
    # The default language cannot change its codes under an existing translation either.
    question.set_current_language("fr")
    question.choices = "encore | Oui, encore\nfini | Non, c'est fini"
    with pytest.raises(ValidationError, match="Español"):
        question.full_clean()


def questionnaire_of(organisation: Organisation, count: int) -> Questionnaire:
    questions = Questionnaire.objects.create(organisation=organisation, name=f"{count}")
    step = Step(questionnaire=questions, position=0)
    step.set_current_language("en")
    step.title = "Questions"
    step.save()
    for number in range(count):
        question = Question(step=step, position=number, key=f"q{number}",
                            kind=QuestionKind.SINGLE_CHOICE)
        question.set_current_language("en")
        question.label = f"Question {number}"
        question.choices = "a | A\nb | B"
        question.save()
        question.set_current_language("es")
        question.label = f"Pregunta {number}"
        question.choices = "a | Á\nb | B́"
        question.save()
    return questions


def step_queries(organisation: Organisation, handler, count: int, slug: str) -> int:
    counted = create_channel(organisation=organisation, name=slug, slug=slug, description="-",
                             who_reads="-", questionnaire=questionnaire_of(organisation, count),
                             recipients=[(handler, True)])
    client = reader("es")
    flow.start(client, counted)
    client.get(flow.step_url(counted, 1))  # warm: the catalogues, the session
    with CaptureQueriesContext(connection) as queries:
        page = client.get(flow.step_url(counted, 1)).content.decode()
    assert f"Pregunta {count - 1}" in page
    return len(queries)


def test_a_step_page_costs_the_same_queries_for_3_and_10_questions(organisation, hana):  # noqa: F811
    assert step_queries(organisation, hana, 3, "three") == step_queries(
        organisation, hana, 10, "ten")
