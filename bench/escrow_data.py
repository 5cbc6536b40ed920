"""The escrow load of ``bench.escrow``: one organisation that offers "report together", two escrow
counsellors, and ``entries`` escrow entries (1,000,000 by default) for held and released reports,
written fast with raw bulk inserts (executemany on SQLite, COPY on PostgreSQL).

Needs Django set up (the bench's child process). Assumptions, stated:

* One organisation holds every entry (the worst case for the match index, which is per
  organisation) and has two escrow counsellors with key pairs, so every entry has two
  EscrowShare rows, as ``add_entries`` makes them.
* A report names 1 to 4 people (1: 50 %, 2: 30 %, 3: 15 %, 4: 5 %; 1.75 on average), so
  1,000,000 entries belong to about 570,000 reports.
* 3 % of the entries name a person that other reports name too (2.5 reports per such person on
  average); the others name someone nobody else named. Every person named by two or more reports
  has an EscrowMatch: 90 % of them released (their reports are cases now, their entries
  ``matched_at``), 10 % waiting for a counsellor (their reports still held).
* π is 32 random bytes for a person nobody else named, and the real HKDF-derived π of a random
  64-byte OPRF output for the others, so that the measured adds can name them again.

Only what is measured runs the real code. The filler's ciphertexts are random bytes: a report's
answers, identity and receipt keys of the sizes bench.cases uses; an entry's sealed data and
its two sealed shares of the sizes real ``seal_entry`` calls gave in this run (``real_sizes``
seals a few hundred entries as ``add_entries`` builds them: the data JSON with the report's id
and keys, an identity key for 30 %, the kind).
"""

from __future__ import annotations

import base64
import datetime
import json
import random
import sys
import time
import uuid
from collections import Counter
from dataclasses import dataclass, field

from django.db import connection, transaction
from django.utils import timezone

from safelight.accounts.actions import create_handler, create_organisation, sign_in_handler
from safelight.accounts.models import Handler, Organisation
from safelight.crypto import PublicKey, escrow
from safelight.escrow.models import (
    EntryPath,
    EscrowEntry,
    EscrowMatch,
    EscrowSettings,
    EscrowShare,
    MatchState,
)
from safelight.intake.setup_actions import create_channel, create_default_questionnaire
from safelight.reports.models import Channel, Report, Status

PASSWORD = "bench-password-not-secret"  # noqa: S105 - a throw-away benchmark account
COUNSELLORS = ("carla", "cole")
ENTRIES_PER_REPORT = ((1, 0.50), (2, 0.30), (3, 0.15), (4, 0.05))
SHARED_SHARE = 0.03  # entries that name a person whom other reports name too
REPORTS_PER_SHARED_PERSON = 2.5
PENDING_SHARE = 0.10  # matches not opened yet
BROWSER_SHARE = 0.7  # entries made with JavaScript
IDENTITY_SHARE = 0.3  # reports with identity details (their own key, in the entry's data)
KINDS = (("email", 25), ("phone", 20), ("instagram", 15), ("facebook", 5), ("x", 5),
         ("tiktok", 5), ("snapchat", 5), ("linkedin", 5), ("reddit", 2), ("discord", 2),
         ("telegram", 2), ("youtube", 2), ("internal", 7))
# As bench.cases_data: the report's own ciphertexts.
ANSWERS_BYTES = 600
IDENTITY_BYTES = 220
REPORTER_KEYS_BYTES = 160
SPAN_DAYS = 730
DAY = datetime.timedelta(days=1)


def log(message: str) -> None:
    print(f"bench.escrow: {message}", file=sys.stderr, flush=True)


def b64(data: bytes) -> str:
    """As safelight.reports.sealing.b64 (URL-safe base64), which add_entries reads back."""
    return base64.urlsafe_b64encode(data).decode("ascii")


@dataclass
class Site:
    organisation: Organisation
    channel: Channel
    counsellors: list[Handler]


def create_site() -> Site:
    organisation = create_organisation(
        name="Northwind Platform (bench)", slug="northwind",
        introduction="We read every report within two working days.",
    )
    handlers = {}
    for username in ("casey", *COUNSELLORS):
        handler = create_handler(organisation=organisation, username=username,
                                 password=PASSWORD, email=f"{username}@northwind.example")
        sign_in_handler(handler=handler, password=PASSWORD)  # the first sign-in makes the keys
        handler.refresh_from_db()
        handlers[username] = handler
    questionnaire = create_default_questionnaire(organisation=organisation,
                                                 name="Technology-facilitated abuse (default)")
    channel = create_channel(
        organisation=organisation, name="Abuse on the platform", slug="online-abuse",
        description="Tell us what happened.", who_reads="The trust and safety team.",
        questionnaire=questionnaire, recipients=[(handlers["casey"], True)],
    )
    found = EscrowSettings.objects.create(organisation=organisation, enabled=True,
                                          phone_region="GB")
    counsellors = [handlers[username] for username in COUNSELLORS]
    found.counsellors.add(*counsellors)
    channel = Channel.objects.select_related("organisation").get(pk=channel.pk)
    return Site(organisation=organisation, channel=channel, counsellors=counsellors)


def kind(rng: random.Random) -> str:
    return rng.choices([k for k, _ in KINDS], [w for _, w in KINDS])[0]


def entry_data(report_id: uuid.UUID, rng: random.Random, entry_kind: str) -> bytes:
    """The entry's data exactly as add_entries builds it."""
    return json.dumps({
        "report": str(report_id),
        "report_key": b64(rng.randbytes(32)),
        "identity_key": b64(rng.randbytes(32)) if rng.random() < IDENTITY_SHARE else None,
        "kind": entry_kind,
    }).encode()


def real_sizes(site: Site, count: int = 400, seed: int = 7) -> list[tuple[int, tuple[int, ...]]]:
    """(len(sealed data), len of each sealed share) of ``count`` entries sealed for real."""
    rng = random.Random(seed)
    keys = [PublicKey.from_bytes(bytes(h.public_key)) for h in site.counsellors]
    sizes = []
    start = time.perf_counter()
    for _ in range(count):
        report_id = uuid.uuid4()
        sealed = escrow.seal_entry(
            oprf_output=rng.randbytes(escrow.OPRF_OUTPUT_BYTES), reporter_id=str(report_id),
            entry_id=str(uuid.uuid4()), data=entry_data(report_id, rng, kind(rng)),
            counsellor_keys=keys,
        )
        sizes.append((len(sealed.sealed_data), tuple(len(s) for s in sealed.sealed_shares)))
    seconds = time.perf_counter() - start
    shown = ", ".join(f"data {d} + shares {'+'.join(map(str, s))}: {n}"
                      for (d, s), n in sorted(Counter(sizes).items()))
    log(f"seal_entry for real: {count} entries, {seconds / count * 1e6:.0f} µs each "
        f"(two counsellor keys); sizes in bytes: {shown}")
    return sizes


# The plan: which report names whom --------------------------------------------------------------


@dataclass
class Plan:
    """Every report's entries: None (a person no one else named) or a person's number."""

    reports: list[tuple[uuid.UUID, list[int | None]]]
    outputs: list[bytes]  # the known persons' OPRF outputs
    indexes: list[bytes]  # and their π
    released: set[int] = field(default_factory=set)  # persons whose match was released
    pending: set[int] = field(default_factory=set)  # persons whose match waits
    singles: list[int] = field(default_factory=list)  # persons named by exactly one report
    released_reports: set[uuid.UUID] = field(default_factory=set)

    @property
    def entries(self) -> int:
        return sum(len(people) for _, people in self.reports)


def plan(entries: int, *, singles: int, rng: random.Random) -> Plan:
    """The reports and whom their entries name. ``singles`` extra known persons are each named
    by exactly one entry of the load, so that a measured add can name them again."""
    shared = max(2, round(entries * SHARED_SHARE / REPORTS_PER_SHARED_PERSON))
    known = shared + singles
    outputs = [rng.randbytes(escrow.OPRF_OUTPUT_BYTES) for _ in range(known)]
    indexes = [escrow.derive_entry_keys(output).match_index for output in outputs]
    counts, weights = zip(*ENTRIES_PER_REPORT, strict=True)
    reports: list[tuple[uuid.UUID, list[int | None]]] = []
    left = entries
    while left > 0:
        people: list[int | None] = []
        for _ in range(min(left, rng.choices(counts, weights)[0])):
            person = None
            if rng.random() < SHARED_SHARE:
                person = rng.randrange(shared)
                if person in people:  # the same person twice in one report is one entry
                    person = None
            people.append(person)
        reports.append((uuid.UUID(int=rng.getrandbits(128), version=4), people))
        left -= len(people)
    # Each single known person replaces one "no one else" entry, somewhere in the load.
    placed = 0
    while placed < singles:
        _id, people = reports[rng.randrange(len(reports))]
        slot = rng.randrange(len(people))
        if people[slot] is None:
            people[slot] = shared + placed
            placed += 1
    result = Plan(reports=reports, outputs=outputs, indexes=indexes,
                  singles=list(range(shared, known)))
    named: dict[int, set[uuid.UUID]] = {}
    for report_id, people in reports:
        for person in people:
            if person is not None:
                named.setdefault(person, set()).add(report_id)
    for person, report_ids in named.items():
        if len(report_ids) < 2:
            if person < shared:
                result.singles.append(person)
            continue
        if rng.random() < PENDING_SHARE:
            result.pending.add(person)
        else:
            result.released.add(person)
            result.released_reports |= report_ids
    return result


# Writing rows fast ------------------------------------------------------------------------------


def insert_rows(model, objects: list) -> None:
    """INSERT ``objects`` (unsaved model instances) without the ORM's per-batch SQL building:
    executemany on SQLite, COPY on PostgreSQL. Values go through each field's
    get_db_prep_save, as the ORM would send them. An auto primary key left None is the
    database's to give."""
    if not objects:
        return
    fields = [f for f in model._meta.concrete_fields
              if not (f.primary_key and getattr(objects[0], f.attname) is None)]
    table = connection.ops.quote_name(model._meta.db_table)
    columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
    prep = [(f.attname, f.get_db_prep_save) for f in fields]
    rows = [tuple(save(getattr(obj, name), connection) for name, save in prep)
            for obj in objects]
    connection.ensure_connection()
    raw = connection.connection
    if connection.vendor == "postgresql":
        with raw.cursor() as cursor, cursor.copy(
                f"COPY {table} ({columns}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
    else:
        marks = ", ".join("?" for _ in fields)
        # Names from the model's own meta, values as parameters.
        raw.executemany(f"INSERT INTO {table} ({columns}) VALUES ({marks})", rows)  # noqa: S608


def held_report(rng: random.Random, channel: Channel, report_id: uuid.UUID,
                submitted: datetime.datetime) -> Report:
    """A report as the intake leaves a held one: sealed answers, no key row, no deadline."""
    acknowledge_by = submitted + channel.acknowledge_days * DAY
    report = Report(
        id=report_id, channel=channel, status=Status.HELD, submitted_at=submitted,
        acknowledge_by=acknowledge_by, feedback_by=acknowledge_by + channel.feedback_days * DAY,
        lookup_id=rng.randbytes(32),
        answers=rng.randbytes(ANSWERS_BYTES + rng.randrange(-200, 800)),
        identity=rng.randbytes(IDENTITY_BYTES) if rng.random() < IDENTITY_SHARE else None,
        reporter_keys=rng.randbytes(REPORTER_KEYS_BYTES),
    )
    report.set_next_deadline()
    return report


def _released(rng: random.Random, report: Report, now: datetime.datetime) -> None:
    """A report released by a counsellor some time ago, now handled as a case."""
    report.status = rng.choice((Status.ACKNOWLEDGED, Status.IN_PROGRESS, Status.CLOSED))
    released = report.submitted_at + rng.uniform(1, 60) * DAY
    released = min(released, now)
    report.acknowledge_by = released + report.channel.acknowledge_days * DAY
    report.acknowledged_at = released + rng.uniform(0, 3) * DAY
    report.feedback_by = report.acknowledged_at + report.channel.feedback_days * DAY
    if report.status == Status.CLOSED:
        report.feedback_at = report.acknowledged_at + rng.uniform(3, 30) * DAY
        report.closed_at = report.feedback_at + rng.uniform(0, 30) * DAY
    report.set_next_deadline()


def create_reports(site: Site, the_plan: Plan, *, batch: int = 10_000, seed: int = 2027
                   ) -> dict[uuid.UUID, datetime.datetime]:
    """Every report of the plan, held unless one of its people was matched and released;
    returns when each was sent."""
    rng = random.Random(seed)
    now = timezone.now()
    sent = {}
    start = time.perf_counter()
    for first in range(0, len(the_plan.reports), batch):
        rows = []
        for report_id, _people in the_plan.reports[first:first + batch]:
            submitted = now - rng.uniform(1, SPAN_DAYS) * DAY
            report = held_report(rng, site.channel, report_id, submitted)
            if report_id in the_plan.released_reports:
                _released(rng, report, now)
            sent[report_id] = submitted
            rows.append(report)
        with transaction.atomic():
            insert_rows(Report, rows)
        done = first + len(rows)
        if done % (batch * 10) == 0 or done == len(the_plan.reports):
            log(f"  {done} reports ({time.perf_counter() - start:.0f} s)")
    return sent


def create_entries(site: Site, the_plan: Plan, sent: dict[uuid.UUID, datetime.datetime],
                   sizes: list[tuple[int, tuple[int, ...]]], *, batch: int = 20_000,
                   seed: int = 2028) -> Counter:
    """Every entry of the plan with its two shares; then the matches. Returns counts."""
    rng = random.Random(seed)
    now = timezone.now()
    organisation_id = site.organisation.pk
    counsellor_ids = [h.pk for h in site.counsellors]
    tally: Counter = Counter()
    entries: list[EscrowEntry] = []
    shares: list[EscrowShare] = []
    start = time.perf_counter()

    def flush() -> None:
        with transaction.atomic():
            insert_rows(EscrowEntry, entries)
            insert_rows(EscrowShare, shares)
        tally["entries"] += len(entries)
        tally["shares"] += len(shares)
        if tally["entries"] % (batch * 10) == 0:
            log(f"  {tally['entries']} entries ({time.perf_counter() - start:.0f} s)")
        entries.clear()
        shares.clear()

    for report_id, people in the_plan.reports:
        for person in people:
            data_bytes, share_bytes = rng.choice(sizes)
            entry = EscrowEntry(
                id=uuid.UUID(int=rng.getrandbits(128), version=4),
                organisation_id=organisation_id, report_id=report_id,
                match_index=(rng.randbytes(32) if person is None
                             else the_plan.indexes[person]),
                path=EntryPath.BROWSER if rng.random() < BROWSER_SHARE else EntryPath.SERVER,
                created_at=sent[report_id], sealed_data=rng.randbytes(data_bytes),
            )
            if person in the_plan.released:
                entry.matched_at = now - rng.uniform(0, 300) * DAY
                tally["entries matched"] += 1
            elif person is not None:
                tally["entries naming a known person"] += 1
            entries.append(entry)
            shares += [
                EscrowShare(entry_id=entry.id, counsellor_id=counsellor, sealed=rng.randbytes(n))
                for counsellor, n in zip(counsellor_ids, share_bytes, strict=True)
            ]
            if len(entries) >= batch:
                flush()
    flush()
    matches = []
    for person in sorted(the_plan.released | the_plan.pending):
        released = person in the_plan.released
        found = now - rng.uniform(1, 300) * DAY
        matches.append(EscrowMatch(
            organisation_id=organisation_id, match_index=the_plan.indexes[person],
            state=MatchState.RELEASED if released else MatchState.PENDING, found_at=found,
            resolved_at=found + rng.uniform(0, 5) * DAY if released else None,
            resolved_by_id=counsellor_ids[0] if released else None,
        ))
    with transaction.atomic():
        insert_rows(EscrowMatch, matches)
    tally["matches released"] = len(the_plan.released)
    tally["matches pending"] = len(the_plan.pending)
    return tally


def new_held_reports(site: Site, count: int, *, seed: int = 2029) -> list[Report]:
    """``count`` held reports with no entry yet: the reports whose entries the bench adds."""
    rng = random.Random(seed)
    now = timezone.now()
    reports = [held_report(rng, site.channel, uuid.UUID(int=rng.getrandbits(128), version=4), now)
               for _ in range(count)]
    with transaction.atomic():
        insert_rows(Report, reports)
    for report in reports:
        report.channel = site.channel  # as at sending: the channel and its organisation in memory
    return reports
