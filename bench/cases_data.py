"""The case load of ``bench.cases``: one organisation, three channels, five handlers and 100,000
reports over the last two years, written with bulk_create in batches.

Needs Django set up (the bench's child process). Ciphertexts are random bytes of a realistic
size: the inbox and the reminder run never open them. Everything else follows the product's
rules: deadlines as ``submit_report`` and ``_acknowledge`` set them, ``set_priority`` and
``set_next_deadline`` on every row, a key row for each handler who may read the report (the
channel's coordinators and investigators, an external investigator only when assigned), none for
a handler the reporter named, and a Conflict row (and no key) for a declared conflict.
"""

from __future__ import annotations

import datetime
import os
import random
import sys
import time
import uuid
from collections import Counter
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from safelight.accounts.actions import create_handler, create_organisation
from safelight.accounts.models import Handler
from safelight.cases.models import Conflict
from safelight.intake.setup_actions import create_channel, create_default_questionnaire
from safelight.reports.models import Channel, Priority, Recipient, Report, ReportKey, Role, Status

PASSWORD = "bench-password-not-secret"  # noqa: S105 - a throw-away benchmark account
MEASURED = "casey"
DAY = datetime.timedelta(days=1)
SPAN_DAYS = 730

# (username, full name); each with an email address, so that reminders reach them.
HANDLERS = (
    (MEASURED, "Casey Coordinator"),
    ("ines", "Ines Investigator"),
    ("omar", "Omar Coordinator"),
    ("lena", "Lena Investigator"),
    ("petra", "Petra External"),
)
# (slug, name, share of the reports, {username: role}): the measured handler coordinates all.
CHANNELS = (
    ("harassment-at-work", "Harassment at work", 0.50,
     {MEASURED: Role.COORDINATOR, "ines": Role.INVESTIGATOR, "lena": Role.INVESTIGATOR,
      "petra": Role.EXTERNAL}),
    ("online-abuse", "Abuse on the platform", 0.35,
     {MEASURED: Role.COORDINATOR, "ines": Role.INVESTIGATOR, "omar": Role.COORDINATOR}),
    ("partner-abuse", "Abuse by a partner or ex-partner", 0.15,
     {MEASURED: Role.COORDINATOR, "omar": Role.COORDINATOR}),
)
PRIORITIES = ((Priority.STANDARD, 0.77), (Priority.ELEVATED, 0.17), (Priority.URGENT, 0.06))

ANSWERS_BYTES = 600
IDENTITY_BYTES = 220
REPORTER_KEYS_BYTES = 160
SEALED_KEY_BYTES = 80


@dataclass
class Site:
    organisation: object
    channels: list[Channel]
    handlers: dict[str, Handler]

    @property
    def measured(self) -> Handler:
        return self.handlers[MEASURED]


def log(message: str) -> None:
    print(f"bench.cases: {message}", file=sys.stderr, flush=True)


def create_site() -> Site:
    organisation = create_organisation(
        name="Northwind Workplace (bench)", slug="northwind",
        introduction="We read every report within two working days.",
    )
    handlers = {}
    for username, full_name in HANDLERS:
        handler = create_handler(
            organisation=organisation, username=username, password=PASSWORD,
            email=f"{username}@northwind.example",
        )
        first, last = full_name.split(" ", 1)
        handler.user.first_name, handler.user.last_name = first, last
        handler.user.save(update_fields=["first_name", "last_name"])
        handlers[username] = handler
    questionnaire = create_default_questionnaire(
        organisation=organisation, name="Technology-facilitated abuse (default)"
    )
    channels = []
    for position, (slug, name, _share, roles) in enumerate(CHANNELS):
        channel = create_channel(
            organisation=organisation, name=name, slug=slug, position=position,
            description=f"{name}: tell us what happened.",
            who_reads="Trained people of the people team and an independent investigator.",
            questionnaire=questionnaire,
            recipients=[(handlers[username], True) for username in roles],
        )
        for username, role in roles.items():
            Recipient.objects.filter(channel=channel, handler=handlers[username]).update(
                role=role, on_call=role == Role.COORDINATOR
            )
        channels.append(channel)
    return Site(organisation=organisation, channels=channels, handlers=handlers)


def _closed_probability(age_days: float) -> float:
    for limit, probability in ((7, 0.02), (30, 0.15), (90, 0.45), (180, 0.75)):
        if age_days < limit:
            return probability
    return 0.93


def _open_status(rng: random.Random, age_days: float) -> str:
    weights = (0.55, 0.30, 0.15) if age_days < 7 else (0.06, 0.20, 0.74)
    return rng.choices((Status.NEW, Status.ACKNOWLEDGED, Status.IN_PROGRESS), weights)[0]


def _report(rng: random.Random, now: datetime.datetime, channel: Channel) -> Report:
    age = rng.uniform(0, SPAN_DAYS)
    submitted = now - age * DAY
    acknowledge_by = submitted + channel.acknowledge_days * DAY
    report = Report(
        id=uuid.UUID(int=rng.getrandbits(128), version=4),
        channel=channel,
        submitted_at=submitted,
        acknowledge_by=acknowledge_by,
        feedback_by=acknowledge_by + channel.feedback_days * DAY,
        lookup_id=os.urandom(32),
        answers=os.urandom(ANSWERS_BYTES + rng.randrange(-200, 800)),
        identity=os.urandom(IDENTITY_BYTES) if rng.random() < 0.3 else None,
        reporter_keys=os.urandom(REPORTER_KEYS_BYTES),
    )
    report.set_priority(rng.choices(*zip(*PRIORITIES, strict=True))[0])
    # Most acknowledgements come within days, some late (after the 7 days).
    ack_delay = rng.uniform(7, 20) if rng.random() < 0.08 else rng.expovariate(1 / 2.5)
    if rng.random() < _closed_probability(age):
        ack_delay = min(ack_delay, age * 0.3)
        report.acknowledged_at = submitted + ack_delay * DAY
        report.feedback_by = report.acknowledged_at + channel.feedback_days * DAY
        left = age - ack_delay
        report.feedback_at = report.acknowledged_at + min(rng.uniform(3, 110), left * 0.6) * DAY
        left = (now - report.feedback_at) / DAY
        report.closed_at = report.feedback_at + min(rng.uniform(0, 120), left * 0.9) * DAY
        report.status = Status.CLOSED
    else:
        report.status = _open_status(rng, age)
        if report.status != Status.NEW:
            ack_delay = min(ack_delay, age * 0.8)
            report.acknowledged_at = submitted + ack_delay * DAY
            report.feedback_by = report.acknowledged_at + channel.feedback_days * DAY
            given = 0.7 if age > 30 else 0.3
            if report.status == Status.ACKNOWLEDGED:
                given = 0.1
            if rng.random() < given:
                left = age - ack_delay
                report.feedback_at = report.acknowledged_at + rng.uniform(0, min(100, left)) * DAY
    report.set_next_deadline()
    return report


ASSIGNED = {Status.NEW: 0.05, Status.ACKNOWLEDGED: 0.6, Status.IN_PROGRESS: 0.9,
            Status.CLOSED: 0.95}


def _keys_and_conflicts(rng: random.Random, report: Report, readers: list[Handler],
                        external: list[Handler], measured: Handler
                        ) -> tuple[list[ReportKey], list[Conflict]]:
    holders = list(readers)
    conflicts = []
    roll = rng.random()
    if roll < 0.005:  # the reporter named the measured handler: no key, no row in clear
        holders.remove(measured)
    elif roll < 0.007:  # the measured handler declared a conflict: key taken back
        holders.remove(measured)
        conflicts.append(Conflict(report=report, handler=measured,
                                  declared_at=report.submitted_at + DAY))
    elif roll < 0.010 and len(holders) > 1:  # someone else did
        other = rng.choice([h for h in holders if h.pk != measured.pk])
        holders.remove(other)
        conflicts.append(Conflict(report=report, handler=other,
                                  declared_at=report.submitted_at + DAY))
    if rng.random() < ASSIGNED[Status(report.status)]:
        candidates = holders + external if rng.random() < 0.05 else holders
        report.assignee = rng.choice(candidates)
        if report.assignee not in holders:
            holders.append(report.assignee)  # sealed to an external investigator on assignment
    keys = [
        ReportKey(report=report, handler=handler,
                  sealed_report_key=os.urandom(SEALED_KEY_BYTES),
                  sealed_identity_key=os.urandom(SEALED_KEY_BYTES) if report.identity else None)
        for handler in holders
    ]
    return keys, conflicts


def create_reports(site: Site, count: int, batch: int = 5000, seed: int = 2026) -> Counter:
    """``count`` reports with their key and conflict rows; returns counts for the log."""
    rng = random.Random(seed)
    now = timezone.now()
    readers: dict[int, list[Handler]] = {}
    external: dict[int, list[Handler]] = {}
    for channel in site.channels:
        recipients = Recipient.objects.filter(channel=channel).select_related("handler")
        readers[channel.pk] = [r.handler for r in recipients if r.role != Role.EXTERNAL]
        external[channel.pk] = [r.handler for r in recipients if r.role == Role.EXTERNAL]
    weights = [share for _slug, _name, share, _roles in CHANNELS]
    tally: Counter = Counter()
    start = time.perf_counter()
    done = 0
    while done < count:
        size = min(batch, count - done)
        reports, keys, conflicts = [], [], []
        for _ in range(size):
            channel = rng.choices(site.channels, weights)[0]
            report = _report(rng, now, channel)
            report_keys, report_conflicts = _keys_and_conflicts(
                rng, report, readers[channel.pk], external[channel.pk], site.measured
            )
            reports.append(report)
            keys += report_keys
            conflicts += report_conflicts
            tally[f"status {report.status}"] += 1
            overdue = report.next_deadline is not None and report.next_deadline < now
            if overdue:
                tally[f"overdue {report.status}"] += 1
            if report.assignee_id:
                tally["assigned"] += 1
        with transaction.atomic():
            Report.objects.bulk_create(reports, batch_size=1000)
            ReportKey.objects.bulk_create(keys, batch_size=2000)
            Conflict.objects.bulk_create(conflicts, batch_size=1000)
        tally["reports"] += len(reports)
        tally["keys"] += len(keys)
        tally["conflicts"] += len(conflicts)
        done += size
        if done % 20000 == 0 or done == count:
            log(f"  {done} reports, {tally['keys']} keys ({time.perf_counter() - start:.0f} s)")
    return tally
