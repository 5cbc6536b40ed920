"""Sending the daily reminder digests (what they count: safelight.cases.reminders)."""

from __future__ import annotations

import datetime
import logging

from django.db import IntegrityError, transaction
from django.utils import timezone

from safelight.accounts.models import Handler
from safelight.audit.actions import record
from safelight.cases.models import ReminderSent
from safelight.cases.reminders import digests, news_counts
from safelight.notifications import News, reminder_mail, send

logger = logging.getLogger(__name__)


def send_reminders(*, now: datetime.datetime | None = None) -> int:
    """Send today's digests not sent yet; returns how many were sent.

    Each digest is claimed (a ReminderSent row, unique per handler and day) before it is sent, so
    two runs at once never send it twice; a claim whose mail did not leave is given back, and the
    next run tries again. So this action is not one transaction: each claim commits on its own
    before its mail leaves. One audit event for the run, when a digest was sent.
    """
    now = now or timezone.now()
    day = timezone.localdate(now)
    sent = 0
    deadlines = digests(now)
    news = news_counts(now)
    handlers = {handler.pk: handler for handler in deadlines}
    missing = set(news) - set(handlers)
    if missing:
        handlers.update(Handler.objects.select_related("user").in_bulk(missing))
    for handler_id in sorted(handlers):
        handler = handlers[handler_id]
        lines = deadlines.get(handler, [])
        handler_news = news.get(handler_id, News())
        try:
            with transaction.atomic():
                claim = ReminderSent.objects.create(
                    handler=handler, day=day, sent_at=now,
                    cases=sum(x.cases for x in lines) + handler_news.total,
                )
        except IntegrityError:
            continue  # another run has just sent it
        try:
            delivered = send(reminder_mail(lines, handler_news), [handler])
        except Exception as exc:
            logger.warning(
                "Reminder digest for handler %s not sent (%s); retrying at the next run.",
                handler.pk,
                type(exc).__name__,
            )
            delivered = 0
        if delivered:
            sent += 1
        else:
            claim.delete()
    if sent:
        record(action="reminders.sent")
    return sent
