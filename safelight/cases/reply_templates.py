"""Reply templates: the reviewed words a handler starts a reply from.

A template's text may hold placeholders such as `{reference}`; only the names in PLACEHOLDERS
exist, and a text with any other `{...}` (or a stray curly bracket) is refused when it is saved,
so a rendered reply never shows a placeholder nobody filled. Rendering is a plain substitution of
known names, never `str.format`: a template cannot reach attributes or anything else.

Each change of the words (text, reviewer or review date) makes a new version, kept as a
ReplyTemplateRevision; a reply records which template and version it started from (TemplateUse).
Those writes are in safelight.cases.template_actions; this module checks, renders and reads.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db.models import Case, IntegerField, QuerySet, Value, When
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from safelight.accounts.models import Handler, Organisation
from safelight.cases.models import ReplyTemplate, TemplateKind
from safelight.reports.models import Report

# Name → what it is replaced by. The order is the order the help lists them in.
PLACEHOLDERS = {
    "reference": gettext_lazy("The report's reference, for example 3F9A1C2B."),
    "organisation": gettext_lazy("The organisation's name."),
    "channel": gettext_lazy("The name of the channel the report came in through."),
    "handler": gettext_lazy("Your name as the reporter sees it (full name, else user name)."),
    "acknowledge_by": gettext_lazy("The date by which the report must be acknowledged."),
    "feedback_by": gettext_lazy("The date by which the reporter must hear what is being done."),
    "today": gettext_lazy("Today's date."),
    "referrals": gettext_lazy(
        "The services you chose to refer the reporter to; empty when you chose none."
    ),
}

# The kinds of reply that tell the reporter what was done or will be done: a reply started from
# one meets the first-feedback deadline. An acknowledgement promises feedback, a request for
# information asks, a referral points elsewhere and a check-in asks after closing: none of them
# is feedback on the case (the handler may still mark such a reply as feedback).
FEEDBACK_KINDS = frozenset({TemplateKind.INTERIM_MEASURES, TemplateKind.OUTCOME})


def gives_feedback(template: ReplyTemplate | None) -> bool:
    return template is not None and template.kind in FEEDBACK_KINDS


# `{` + anything without curly brackets + `}`: every such group must be a known placeholder.
PLACEHOLDER = re.compile(r"\{([^{}]*)\}")

LANGUAGE_CODE = re.compile(r"^[a-z]{2,3}(-[a-z0-9]{2,8})*$")

# Fields whose change makes a new version: the words and who vouched for them.
VERSIONED_FIELDS = ("body", "reviewer", "reviewed_on")

REVIEW_VALID_YEARS = 2


# Placeholders ---------------------------------------------------------------------------------


def placeholders_in(text: str) -> list[str]:
    """The placeholder names a text uses, in order of first use."""
    return list(dict.fromkeys(PLACEHOLDER.findall(text)))


def unknown_placeholders(text: str) -> list[str]:
    """The `{...}` groups of a text that are not placeholders, each once, in order."""
    return [name for name in placeholders_in(text) if name not in PLACEHOLDERS]


def validate_placeholders(text: str) -> None:
    """Raise ValidationError naming every unknown placeholder, or a stray curly bracket.

    Usable as a form field validator (the admin uses it) and called by
    safelight.cases.template_actions.save_template.
    """
    unknown = unknown_placeholders(text)
    if unknown:
        raise ValidationError(
            _("Unknown placeholders: %(names)s. The placeholders you can use are: %(known)s.")
            % {
                "names": ", ".join("{" + name + "}" for name in unknown),
                "known": ", ".join("{" + name + "}" for name in PLACEHOLDERS),
            },
            code="unknown_placeholder",
        )
    rest = PLACEHOLDER.sub("", text)
    if "{" in rest or "}" in rest:
        raise ValidationError(
            _(
                "Curly brackets are only for placeholders, such as {reference}. Remove the "
                "bracket that does not close or open one."
            ),
            code="stray_bracket",
        )


def placeholder_help() -> list[tuple[str, str]]:
    """("{name}", description) for every placeholder, for help texts and the docs."""
    return [("{" + name + "}", str(description)) for name, description in PLACEHOLDERS.items()]


# Rendering ------------------------------------------------------------------------------------


def _date(value: datetime.date | datetime.datetime | None) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        value = timezone.localtime(value).date()
    return formats.date_format(value, "DATE_FORMAT")


def handler_display_name(handler: Handler) -> str:
    user = handler.user
    return user.get_full_name().strip() or user.get_username()


def feedback_due(report: Report, now: datetime.datetime | None = None) -> datetime.datetime:
    """The first-feedback date the reporter will read on their page once this reply is sent.

    Until the report is acknowledged the stored date is provisional: the first reply
    acknowledges it and counts the feedback period from then (intake.actions.send_message), so
    a reply written now promises the date that acknowledging now sets.
    """
    if report.acknowledged_at is not None:
        return report.feedback_by
    now = now or timezone.now()
    return now + datetime.timedelta(days=report.channel.feedback_days)


def placeholder_values(*, report: Report, handler: Handler, referrals_text: str = "") -> dict:
    """Every placeholder's value for this report and handler, dates in the active language."""
    channel = report.channel
    return {
        "reference": report.reference,
        "organisation": channel.organisation.name,
        "channel": channel.name,
        "handler": handler_display_name(handler),
        "acknowledge_by": _date(report.acknowledge_by),
        "feedback_by": _date(feedback_due(report)),
        "today": _date(timezone.localdate()),
        "referrals": referrals_text.strip(),
    }


def render(
    template: ReplyTemplate, *, report: Report, handler: Handler, referrals_text: str = ""
) -> str:
    """The template's text with its placeholders filled, dates formatted in its language.

    One pass over the text: a value that itself contains `{...}` (say a channel's name) is not
    read again. An unknown placeholder (from a text stored before validation) is dropped.
    """
    with translation.override(template.language or None):
        values = placeholder_values(report=report, handler=handler, referrals_text=referrals_text)
    return PLACEHOLDER.sub(lambda match: values.get(match.group(1), ""), template.body)


# Reading --------------------------------------------------------------------------------------


def kind_order() -> Case:
    """The kinds in the order a case runs: acknowledgement first, check-in last."""
    return Case(
        *(When(kind=kind, then=Value(rank)) for rank, kind in enumerate(TemplateKind.values)),
        default=Value(len(TemplateKind.values)),
        output_field=IntegerField(),
    )


def templates_for(
    organisation: Organisation, *, kind: str | None = None, language: str | None = None
) -> QuerySet[ReplyTemplate]:
    """The organisation's active templates, in the order a case runs (acknowledgement first),
    then by language and name."""
    templates = ReplyTemplate.objects.filter(organisation=organisation, active=True)
    if kind:
        templates = templates.filter(kind=kind)
    if language:
        templates = templates.filter(language=language)
    return templates.annotate(kind_rank=kind_order()).order_by("kind_rank", "language", "name")


def active_template(
    organisation: Organisation, template_id: int | str | None
) -> ReplyTemplate | None:
    """One of the organisation's active templates, by id; None when no id was given or it is not
    one of them (a form's hidden field is not to be trusted)."""
    if not template_id:
        return None
    return templates_for(organisation).filter(pk=template_id).first()


# Review status --------------------------------------------------------------------------------


class ReviewState:
    REVIEWED = "reviewed"
    NOT_REVIEWED = "not_reviewed"
    OUTDATED = "outdated"


@dataclass(frozen=True)
class ReviewStatus:
    state: str
    reviewer: str
    reviewed_on: datetime.date | None

    @property
    def reviewed(self) -> bool:
        return self.state == ReviewState.REVIEWED

    @property
    def label(self) -> str:
        """What a handler reads beside the template: whether, by whom and when it was
        reviewed."""
        if self.state == ReviewState.NOT_REVIEWED or self.reviewed_on is None:
            return _("Not yet reviewed — have your own expert review it before you rely on it.")
        values = {"reviewer": self.reviewer, "date": formats.date_format(self.reviewed_on)}
        if self.state == ReviewState.OUTDATED:
            return _(
                "Reviewed by %(reviewer)s on %(date)s, more than two years ago — due for "
                "another review."
            ) % values
        return _("Reviewed by %(reviewer)s on %(date)s.") % values

    @property
    def short_label(self) -> str:
        """A few words for lists."""
        if self.state == ReviewState.REVIEWED:
            return _("Reviewed")
        if self.state == ReviewState.OUTDATED:
            return _("Review over two years old")
        return _("Not reviewed")


def _years_before(day: datetime.date, years: int) -> datetime.date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


def review_status(template: ReplyTemplate, *, today: datetime.date | None = None) -> ReviewStatus:
    """Reviewed (by whom, when), not reviewed, or reviewed more than two years ago.

    A template counts as reviewed only with both a reviewer's name and a review date.
    """
    reviewer = template.reviewer.strip()
    if not reviewer or template.reviewed_on is None:
        return ReviewStatus(ReviewState.NOT_REVIEWED, reviewer, template.reviewed_on)
    today = today or timezone.localdate()
    if template.reviewed_on < _years_before(today, REVIEW_VALID_YEARS):
        return ReviewStatus(ReviewState.OUTDATED, reviewer, template.reviewed_on)
    return ReviewStatus(ReviewState.REVIEWED, reviewer, template.reviewed_on)


# Validation -----------------------------------------------------------------------------------


def normalise_body(text: str) -> str:
    """One kind of line ending and no surrounding blank space, so that saving the same words
    from a browser (which sends CR LF) is not a change."""
    return text.replace("\r\n", "\n").replace("\r", "\n").strip()


def normalise_language(code: str) -> str:
    return code.strip().lower().replace("_", "-")


def template_errors(
    *, body: str | None, reviewer: str, reviewed_on: datetime.date | None, language: str
) -> dict[str, list[str]]:
    """Field → messages for what the model's own fields do not check. Empty: all is well."""
    errors: dict[str, list[str]] = {}
    if body is not None:
        try:
            validate_placeholders(body)
        except ValidationError as error:
            errors["body"] = error.messages
    if reviewer.strip() and reviewed_on is None:
        errors.setdefault("reviewed_on", []).append(
            _("Give the date of the review, or leave the reviewer empty.")
        )
    if reviewed_on is not None and not reviewer.strip():
        errors.setdefault("reviewer", []).append(
            _("Give the name of the person who reviewed the text, or leave the date empty.")
        )
    if reviewed_on is not None and reviewed_on > timezone.localdate():
        errors.setdefault("reviewed_on", []).append(
            _("The review date cannot be in the future.")
        )
    if language and not LANGUAGE_CODE.match(normalise_language(language)):
        errors["language"] = [
            _("Give a language code, for example “en”, “fr” or “pt-br”.")
        ]
    return errors
