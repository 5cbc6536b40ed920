"""Notification emails to handlers, without content.

An email leaves the service's protection: it sits in mailboxes, on phones, in backups. So a
notification says only that something needs attention, where (organisation and channel names),
how many, and links to the staff side, where the handler signs in to see the rest. Nothing from a
report is ever in one: no reference, no answer, no date, no name. The functions here receive a
report or message id (a task argument) and read only routing fields; the audit event of each is
written through safelight.notification_actions. Mails of new reports and of reporters' new
messages do not name the channel either: its name can say what a report is about.

Each handler reads their mail in their own language (Handler.language, which they set on their own
address's page): `send` writes a mail again in each language among its recipients. Tasks run
outside any request, so a mail built here is first written in the site's language (LANGUAGE_CODE).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from uuid import UUID

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.core.mail.backends.base import BaseEmailBackend
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from safelight.accounts.access import has_email
from safelight.accounts.models import Handler, NotifyWhen, Organisation
from safelight.notification_actions import record_notification
from safelight.reports.models import Channel, Message, Priority, Recipient, Report, ReportKey

logger = logging.getLogger(__name__)

# The staff side's paths, fixed: a worker may run where SAFELIGHT_INTERFACES has no staff URLs.
STAFF_INBOX_PATH = "/staff/reports/"
STAFF_OVERDUE_PATH = "/staff/reports/?due=overdue"
STAFF_UNREAD_PATH = "/staff/reports/?unread=yes"
STAFF_HOME_PATH = "/staff/"


class UnconfiguredEmailBackend(BaseEmailBackend):
    """Production without SAFELIGHT_EMAIL_URL: send nothing, and say so in the log each time."""

    def send_messages(self, email_messages: Sequence[EmailMessage]) -> int:
        count = len(list(email_messages))
        if count:
            logger.warning(
                "SAFELIGHT_EMAIL_URL is not set: %d notification email(s) not sent "
                "(docs/operations.md, email).",
                count,
            )
        return 0


def staff_link(path: str = STAFF_INBOX_PATH) -> str:
    return settings.SAFELIGHT_STAFF_URL + path


# Who ------------------------------------------------------------------------------------------


def reachable(handlers: QuerySet[Handler]) -> QuerySet[Handler]:
    """Handlers an email can reach: an active account with an address."""
    return (
        handlers.filter(has_email(), user__is_active=True)
        .select_related("user")
        .order_by("pk")
    )


def _holds_key(report_id: UUID) -> Exists:
    return Exists(ReportKey.objects.filter(report_id=report_id, handler=OuterRef("pk")))


def _conflicted(report_id: UUID) -> Exists:
    """The handler declared a conflict over the report (cases' Conflict, through Report)."""
    return Exists(Report.objects.filter(pk=report_id, conflicts__handler=OuterRef("pk")))


def urgent_recipients(report: Report) -> QuerySet[Handler]:
    """The channel's on-call recipients who can read the report and declared no conflict."""
    on_call = Exists(
        Recipient.objects.filter(channel_id=report.channel_id, handler=OuterRef("pk"), on_call=True)
    )
    return reachable(
        Handler.objects.filter(on_call, _holds_key(report.pk), ~_conflicted(report.pk))
    )


def key_holders(report: Report) -> QuerySet[Handler]:
    """Who may hear of a new report or a reporter's message: the handlers who hold the report's
    key (so never one the reporter excluded, who never got it, nor an external investigator it
    was not given to) and declared no conflict over it."""
    return reachable(Handler.objects.filter(_holds_key(report.pk), ~_conflicted(report.pk)))


def at_once_recipients(report: Report) -> QuerySet[Handler]:
    """The key holders who chose to hear of new reports and messages at once (the others read
    of them in their daily digest, safelight.cases.reminders)."""
    return key_holders(report).filter(notify=NotifyWhen.AT_ONCE)


def reopen_recipients(report: Report) -> QuerySet[Handler]:
    """The assignee, if any, and everyone who holds the report's key; never a conflicted one."""
    return reachable(
        Handler.objects.filter(
            Q(pk=report.assignee_id) | _holds_key(report.pk), ~_conflicted(report.pk)
        )
    )


# What -----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Mail:
    subject: str
    body: str
    # How to write it again in another language (the active one); None: it goes out as it is.
    compose: Callable[[], Mail] | None = field(default=None, compare=False, repr=False)

    @classmethod
    def of(cls, subject: str, paragraphs: Sequence[str]) -> Mail:
        """A plain-text email: the paragraphs, a blank line between them."""
        return cls(subject=subject, body="\n\n".join(paragraphs) + "\n")

    def in_language(self, code: str) -> Mail:
        if self.compose is None:
            return self
        with translation.override(code):
            return self.compose()


def composed(build: Callable[[], Mail]) -> Mail:
    """The mail `build` writes, in the site's language, able to write itself again in each
    recipient's (send does)."""
    with translation.override(settings.LANGUAGE_CODE):
        mail = build()
    return replace(mail, compose=build)


def mail_language(handler: Handler) -> str:
    """The language the handler reads their mail in (the site's, for a code no longer spoken)."""
    try:
        return translation.get_supported_language_variant(handler.language)
    except LookupError:
        return settings.LANGUAGE_CODE


def _where(channel: Channel) -> str:
    return _("“%(channel)s” (%(organisation)s)") % {
        "channel": channel.name,
        "organisation": channel.organisation.name,
    }


def _footer() -> str:
    return _(
        "This message says nothing about the case on purpose: sign in to Safelight to read it."
    )


def urgent_mail(channel: Channel) -> Mail:
    return composed(lambda: Mail.of(
        _("Safelight: an urgent report needs attention"),
        [
            _("An urgent report has arrived in %(where)s.") % {"where": _where(channel)},
            _("Open the staff inbox: %(link)s") % {"link": staff_link()},
            _footer(),
            _("You receive this because you are on call for this channel."),
        ],
    ))


def reopened_mail(channel: Channel) -> Mail:
    return composed(lambda: Mail.of(
        _("Safelight: a case was reopened"),
        [
            _(
                "A closed case in %(where)s was reopened after a check-in with the "
                "reporter. Its priority is now elevated and it needs attention."
            )
            % {"where": _where(channel)},
            _("Open the staff inbox: %(link)s") % {"link": staff_link()},
            _footer(),
        ],
    ))


def _preference_note() -> str:
    return _(
        "You receive this at once because you chose so. On your staff home page you can choose "
        "to hear of new reports and messages in the daily digest instead: %(link)s"
    ) % {"link": staff_link(STAFF_HOME_PATH)}


def new_report_mail(organisation: Organisation) -> Mail:
    """No channel name, no category: which way a report came in can say what it is about."""
    return composed(lambda: Mail.of(
        _("Safelight: a new report"),
        [
            _("A new report for %(organisation)s is waiting for you.")
            % {"organisation": organisation.name},
            _("Open the staff inbox: %(link)s") % {"link": staff_link()},
            _footer(),
            _preference_note(),
        ],
    ))


def new_message_mail(organisation: Organisation) -> Mail:
    return composed(lambda: Mail.of(
        _("Safelight: a new message from a reporter"),
        [
            _("A reporter has written a new message in one of your cases at "
              "%(organisation)s.") % {"organisation": organisation.name},
            _("See the cases with unread messages: %(link)s")
            % {"link": staff_link(STAFF_UNREAD_PATH)},
            _footer(),
            _preference_note(),
        ],
    ))


@dataclass(frozen=True)
class News:
    """What a handler who chose the daily digest has not heard of yet: counts only."""

    new_reports: int = 0
    new_messages: int = 0  # cases with a reporter's message the handler has not read

    @property
    def total(self) -> int:
        return self.new_reports + self.new_messages


def news_lines(news: News) -> list[str]:
    lines = []
    if news.new_reports:
        lines.append(ngettext(
            "%(count)d new report you have not opened yet.",
            "%(count)d new reports you have not opened yet.",
            news.new_reports,
        ) % {"count": news.new_reports})
    if news.new_messages:
        lines.append(ngettext(
            "%(count)d case with a new message from the reporter.",
            "%(count)d cases with new messages from the reporter.",
            news.new_messages,
        ) % {"count": news.new_messages})
    return lines


@dataclass(frozen=True)
class DigestLine:
    """What one channel holds for one handler: counts only."""

    channel: Channel
    acknowledgement: int = 0
    acknowledgement_overdue: int = 0
    feedback: int = 0
    feedback_overdue: int = 0

    @property
    def cases(self) -> int:
        return self.acknowledgement + self.feedback


def _acknowledgement_phrase(total: int, overdue: int) -> str:
    if not overdue:
        return ngettext(
            "%(count)d case needs acknowledgement", "%(count)d cases need acknowledgement", total
        ) % {"count": total}
    return ngettext(
        "%(count)d case needs acknowledgement and is overdue",
        "%(count)d cases need acknowledgement, %(overdue)d of them overdue",
        total,
    ) % {"count": total, "overdue": overdue}


def _feedback_phrase(total: int, overdue: int) -> str:
    if not overdue:
        return ngettext(
            "%(count)d case needs feedback", "%(count)d cases need feedback", total
        ) % {"count": total}
    return ngettext(
        "%(count)d case needs feedback and is overdue",
        "%(count)d cases need feedback, %(overdue)d of them overdue",
        total,
    ) % {"count": total, "overdue": overdue}


def digest_line(line: DigestLine) -> str:
    """In “Harassment at work” (Northwind): 2 cases need acknowledgement, 1 of them overdue;
    1 case needs feedback."""
    phrases = []
    if line.acknowledgement:
        phrases.append(_acknowledgement_phrase(line.acknowledgement, line.acknowledgement_overdue))
    if line.feedback:
        phrases.append(_feedback_phrase(line.feedback, line.feedback_overdue))
    return _("In %(where)s: %(counts)s.") % {
        "where": _where(line.channel),
        "counts": "; ".join(phrases),
    }


def reminder_mail(lines: Iterable[DigestLine], news: News | None = None) -> Mail:
    """The daily digest: deadlines near or past per channel and, for handlers who chose the
    digest, the new reports and reporter messages they have not seen (counts only)."""
    lines = list(lines)
    news = news or News()
    return composed(lambda: _digest(lines, news))


def _digest(lines: list[DigestLine], news: News) -> Mail:
    total = sum(line.cases for line in lines) + news.total
    parts = []
    if news.total:
        parts += [
            _("New since your last digest:"),
            "\n".join(news_lines(news)),
            _("Open the staff inbox: %(link)s") % {"link": staff_link()},
        ]
    if lines:
        parts += [
            _("Deadlines are near or past:"),
            "\n".join(digest_line(line) for line in lines),
            _("See what is overdue: %(link)s") % {"link": staff_link(STAFF_OVERDUE_PATH)},
        ]
    parts.append(_(
        "This message says nothing about the cases on purpose: sign in to "
        "Safelight to read them. You receive at most one of these a day."
    ))
    return Mail.of(
        ngettext(
            "Safelight: %(count)d case needs attention",
            "Safelight: %(count)d cases need attention",
            total,
        )
        % {"count": total},
        parts,
    )


# Sending --------------------------------------------------------------------------------------


def send(mail: Mail, handlers: Iterable[Handler]) -> int:
    """One message per handler (no one sees who else was told), in the handler's language; the
    number the backend sent."""
    written: dict[str, Mail] = {}
    messages = []
    for handler in handlers:
        code = mail_language(handler)
        if code not in written:
            written[code] = mail.in_language(code)
        messages.append(EmailMessage(subject=written[code].subject, body=written[code].body,
                                     to=[handler.email_address]))
    if not messages:
        return 0
    return get_connection().send_messages(messages) or 0


def _report(report_id: str | UUID) -> Report | None:
    return (
        Report.objects.select_related("channel__organisation")
        .only(
            "id", "channel", "assignee", "priority", "channel__organisation__default_language",
            "channel__organisation__name",
        )
        .filter(pk=report_id)
        .first()
    )


def notify_urgent(report_id: str) -> int:
    """Tell the channel's on-call handlers at once that an urgent report came in."""
    report = _report(report_id)
    if report is None:
        return 0
    handlers = list(urgent_recipients(report))
    if not handlers:
        logger.warning("An urgent report has no on-call handler with an email address to tell.")
    sent = send(urgent_mail(report.channel), handlers)
    record_notification(action="notification.urgent", organisation=report.channel.organisation,
                        target=report)
    return sent


def notify_reopened(report_id: str) -> int:
    """Tell a reopened case's handlers (a check-in answered yes) that it needs them again."""
    report = _report(report_id)
    if report is None:
        return 0
    sent = send(reopened_mail(report.channel), reopen_recipients(report))
    record_notification(
        action="notification.reopened", organisation=report.channel.organisation, target=report
    )
    return sent


def notify_new_report(report_id: str) -> int:
    """Tell the report's key holders who chose "at once" that a new report came in. On-call
    handlers already told of an urgent report are not told twice."""
    report = _report(report_id)
    if report is None:
        return 0
    handlers = at_once_recipients(report)
    if report.priority == Priority.URGENT:
        handlers = handlers.exclude(pk__in=urgent_recipients(report).values("pk"))
    sent = send(new_report_mail(report.channel.organisation), handlers)
    record_notification(action="notification.new_report",
                        organisation=report.channel.organisation, target=report)
    return sent


def notify_new_message(message_id: str) -> int:
    """Tell the case's key holders who chose "at once" that the reporter wrote."""
    report_id = (
        Message.objects.filter(pk=message_id, author__isnull=True)
        .values_list("report_id", flat=True)
        .first()
    )
    report = _report(report_id) if report_id else None
    if report is None:
        return 0
    sent = send(new_message_mail(report.channel.organisation), at_once_recipients(report))
    record_notification(action="notification.new_message",
                        organisation=report.channel.organisation, target=report)
    return sent
