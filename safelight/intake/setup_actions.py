"""Writes of an organisation's set-up: questionnaires, channels, recipients. Atomic, audited.

(The reporter-side writes are in actions.py; the split keeps each file about one thing.)
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from django.db import models, transaction

from safelight.accounts.content import in_every_language
from safelight.accounts.models import Handler, Organisation
from safelight.audit.actions import record
from safelight.intake import default_questionnaire
from safelight.reports.models import Channel, Question, Questionnaire, Recipient, Step
from safelight.triage.actions import install_default_checklist


@transaction.atomic
def create_default_questionnaire(
    *, organisation: Organisation, name: str, actor=None
) -> Questionnaire:
    """The shipped questionnaire, written at once in every language Safelight speaks (the words
    come from the gettext catalogues); the structure, codes and conditions are the same in all."""
    # The default questionnaire asks the organisation's risk checklist: make sure there is one.
    install_default_checklist(organisation=organisation, actor=actor)
    questionnaire = Questionnaire.objects.create(organisation=organisation, name=name)
    texts = in_every_language(default_questionnaire.steps)
    first = organisation.default_language
    by_key: dict[str, Question] = {}
    # The other languages' rows, written together once their questions and steps exist.
    others: list[models.Model] = []
    for position, spec in enumerate(texts[first]):
        step = Step(questionnaire=questionnaire, position=position)
        step.set_current_language(first)
        step.title = spec["title"]
        step.introduction = spec.get("introduction", "")
        step.save()
        others += [
            Step._parler_meta.root_model(
                master=step, language_code=code, title=steps[position]["title"],
                introduction=steps[position].get("introduction", ""))
            for code, steps in texts.items() if code != first
        ]
        for q_position, q in enumerate(spec["questions"]):
            show_if = q.get("show_if")
            question = Question(
                step=step, position=q_position, key=q["key"], kind=q["kind"],
                required=q.get("required", False), identity=q.get("identity", False),
                show_if=by_key[show_if[0]] if show_if else None,
                show_if_value=show_if[1] if show_if else "",
            )
            question.set_current_language(first)
            question.label = q["label"]
            question.help_text = q.get("help_text", "")
            question.choices = q.get("choices", "")
            question.full_clean()
            question.save()
            by_key[question.key] = question
            for code, steps in texts.items():
                if code == first:
                    continue
                words = steps[position]["questions"][q_position]
                others.append(Question._parler_meta.root_model(
                    master=question, language_code=code, label=words["label"],
                    help_text=words.get("help_text", ""), choices=words.get("choices", "")))
    for model in (Step, Question):
        translation = model._parler_meta.root_model
        translation.objects.bulk_create([row for row in others if isinstance(row, translation)])
    record(action="questionnaire.create", actor=actor, organisation=organisation,
           target=questionnaire)
    return questionnaire


NEUTRAL_SLUG_PREFIX = "form"


def neutral_channel_slug(organisation: Organisation | None) -> str:
    """An address for a new channel that says nothing of what it is for: "form-1", "form-2"...
    (free in the organisation; without one, free in every organisation).

    A channel's address shows in the browser's history (/acme/form-2/step/1/); one such as
    /acme/partner-abuse/ would tell whoever looks at the device what was reported."""
    channels = Channel.objects.all()
    if organisation is not None:
        channels = channels.filter(organisation=organisation)
    taken = set(channels.values_list("slug", flat=True))
    number = 1
    while f"{NEUTRAL_SLUG_PREFIX}-{number}" in taken:
        number += 1
    return f"{NEUTRAL_SLUG_PREFIX}-{number}"


@transaction.atomic
def create_channel(
    *, organisation: Organisation, name: str, description: str, who_reads: str,
    questionnaire: Questionnaire, recipients: Sequence[tuple[Handler, bool]] = (),
    position: int = 0, slug: str = "", actor=None,
    translations: Mapping[str, Mapping[str, str]] | None = None,
) -> Channel:
    """A new channel; without a `slug`, its address is a neutral one (neutral_channel_slug).

    `name`, `description` and `who_reads` are in the organisation's default language;
    `translations` may give them in other languages too ({"es": {"name": ...}, ...})."""
    slug = slug or neutral_channel_slug(organisation)
    channel = Channel(
        organisation=organisation, slug=slug, questionnaire=questionnaire, position=position,
    )
    texts = {**(translations or {}), organisation.default_language: {
        "name": name, "description": description, "who_reads": who_reads}}
    for code, words in texts.items():
        channel.set_current_language(code)
        for field in ("name", "description", "who_reads"):
            setattr(channel, field, words[field])
    channel.set_current_language(organisation.default_language)
    channel.full_clean()
    channel.save()
    record(action="channel.create", actor=actor, organisation=organisation, target=channel)
    for handler, sees_identity in recipients:
        add_recipient(channel=channel, handler=handler, sees_identity=sees_identity, actor=actor)
    return channel


@transaction.atomic
def add_recipient(*, channel: Channel, handler: Handler, sees_identity: bool, actor=None) -> None:
    recipient = Recipient(channel=channel, handler=handler, sees_identity=sees_identity)
    recipient.full_clean()
    recipient.save()
    record(action="channel.recipient.add", actor=actor, organisation=channel.organisation,
           target=recipient)


def _organisation_of(obj: models.Model) -> Organisation | None:
    for path in ("organisation", "questionnaire.organisation", "step.questionnaire.organisation",
                 "channel.organisation"):
        value: object = obj
        for part in path.split("."):
            value = getattr(value, part, None)
        if isinstance(value, Organisation):
            return value
    return None


@transaction.atomic
def save_setup(*, obj: models.Model, actor=None) -> models.Model:
    """An administrator's edit of a questionnaire, step, question, channel or recipient."""
    created = obj.pk is None
    obj.save()
    verb = "create" if created else "change"
    record(action=f"{obj._meta.model_name}.{verb}", actor=actor,
           organisation=_organisation_of(obj), target=obj)
    return obj


@transaction.atomic
def delete_setup(*, obj: models.Model, actor=None) -> None:
    organisation = _organisation_of(obj)
    record(action=f"{obj._meta.model_name}.delete", actor=actor, organisation=organisation,
           target=obj)
    obj.delete()
