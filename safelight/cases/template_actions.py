"""Every write of reply templates: saving a template (a new version when its words change),
noting that a reply started from one, and installing the default templates.

The checks, rendering and reads are in safelight.cases.reply_templates; the default texts in
safelight.cases.default_templates.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone, translation

from safelight.accounts.content import in_every_language
from safelight.accounts.models import Organisation
from safelight.audit.actions import record
from safelight.cases.default_templates import templates
from safelight.cases.models import ReplyTemplate, ReplyTemplateRevision, TemplateUse
from safelight.cases.reply_templates import (
    VERSIONED_FIELDS,
    normalise_body,
    normalise_language,
    template_errors,
)
from safelight.reports.models import Message


@transaction.atomic
def save_template(
    *, template: ReplyTemplate, actor: User | None = None, keep_review: bool = False
) -> ReplyTemplate:
    """Validate and store a new or edited template; the admin's form calls this too.

    New: version 1 and its revision. A change of text, reviewer or review date: the next version
    and its revision. Any other change (name, kind, language, offered or not) keeps the version.
    One audit event either way.

    A review is of one text. When the text changes and the reviewer and date stay as they were,
    the new version is stored as not reviewed, unless `keep_review` says the reviewer has read
    the changed text; recording a new reviewer or date with the change also keeps it.
    """
    template.body = normalise_body(template.body)
    template.reviewer = template.reviewer.strip()
    template.language = normalise_language(template.language)
    errors = template_errors(
        body=template.body, reviewer=template.reviewer, reviewed_on=template.reviewed_on,
        language=template.language,
    )
    if errors:
        raise ValidationError(errors)
    created = template.pk is None
    if created:
        template.version = 1
        new_version = True
    else:
        stored = ReplyTemplate.objects.select_for_update().get(pk=template.pk)
        template.organisation_id = stored.organisation_id  # a template never moves
        stored.body = normalise_body(stored.body)
        if (
            not keep_review
            and stored.body != template.body
            and stored.reviewer == template.reviewer
            and stored.reviewed_on == template.reviewed_on
        ):
            template.reviewer, template.reviewed_on = "", None
        new_version = any(
            getattr(stored, field) != getattr(template, field) for field in VERSIONED_FIELDS
        )
        template.version = stored.version + 1 if new_version else stored.version
    template.full_clean()
    template.save()
    if new_version:
        ReplyTemplateRevision.objects.create(
            template=template, version=template.version, body=template.body,
            reviewer=template.reviewer, reviewed_on=template.reviewed_on,
            saved_at=timezone.now(),
        )
    record(action="replytemplate.create" if created else "replytemplate.change", actor=actor,
           organisation=template.organisation, target=template)
    return template


@transaction.atomic
def record_template_use(
    *, message: Message, template: ReplyTemplate, version: int | None = None
) -> TemplateUse:
    """Note that a handler's reply started from this template.

    `version`: the version the reply form showed, when the caller kept it (so an edit of the
    template meanwhile does not misattribute the words); else the template's current version.
    Called inside the reply's own action, whose audit event covers it.
    """
    if template.organisation_id != message.report.channel.organisation_id:
        raise ValueError("The template belongs to another organisation than the report.")
    if version is None:
        version = ReplyTemplate.objects.values_list("version", flat=True).get(pk=template.pk)
    elif not template.revisions.filter(version=version).exists():
        raise ValueError(f"The template has no version {version}.")
    return TemplateUse.objects.create(message=message, template=template, version=version)


# Default templates ----------------------------------------------------------------------------


def _is_english(language: str) -> bool:
    return language.split("-")[0] == "en"


def default_templates_by_language(
    languages: Iterable[str] | None = None,
) -> dict[str, list[dict]]:
    """The default templates in each of `languages` (all that Safelight speaks when None), their
    words from the gettext catalogues. A template whose translation into a language is missing
    from its catalogue is left out of that language rather than given in English under its
    code; a language Safelight does not speak gets none."""
    every = in_every_language(templates)
    with translation.override("en"):  # the catalogues' msgids: what an untranslated text shows
        english = {spec["kind"]: spec["body"] for spec in templates()}
    wanted = every.keys() if languages is None else [normalise_language(c) for c in languages]
    by_language: dict[str, list[dict]] = {}
    for language in dict.fromkeys(wanted):
        specs = every.get(language, [])
        if not _is_english(language):
            specs = [spec for spec in specs if spec["body"] != english[spec["kind"]]]
        by_language[language] = specs
    return by_language


@transaction.atomic
def install_default_templates(
    *, organisation: Organisation, languages: Iterable[str] | None = None,
    actor: User | None = None,
) -> list[ReplyTemplate]:
    """Add the default templates the organisation does not have yet (same kind, language and
    name), in every language Safelight speaks, or only in `languages`; return those added.
    Installing again adds only what is missing.

    One template of each kind a language, its words from that language's catalogue (see
    default_templates_by_language). Every one is installed unreviewed, through save_template
    (one audit event each): a translation is a text of its own, and nobody has reviewed it.
    """
    have = set(
        ReplyTemplate.objects.filter(organisation=organisation)
        .values_list("kind", "language", "name")
    )
    added: list[ReplyTemplate] = []
    for language, specs in default_templates_by_language(languages).items():
        for spec in specs:
            if (spec["kind"], language, spec["name"]) in have:
                continue
            template = ReplyTemplate(
                organisation=organisation, kind=spec["kind"], name=spec["name"],
                language=language, body=spec["body"], reviewer="", reviewed_on=None,
                active=True,
            )
            added.append(save_template(template=template, actor=actor))
    return added
