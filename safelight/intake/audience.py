"""Who can read a report: now, later, and who may see the reporter's name. What the landing,
start and review pages say, derived from the same rules that seal the keys, so they stay true.

- **Now**: the readers the report key is sealed to when it is sent (safelight.intake.actions.
  readers): the channel's intake coordinators and investigators who have a key pair, minus the
  people the reporter named.
- **Later**: a case is handed on only by assignment (safelight.cases.actions.assign_case), which
  only an intake coordinator holding the report can do, and only to one of the channel's
  recipients with a key pair who was not named by the reporter and declared no conflict. So when a
  coordinator reads it now, everyone else on the channel who was not named may be given it later:
  external investigators (who get reports only by assignment) and recipients who have not signed
  in yet. Someone added to the channel later could be given it too.
- **The name**: the identity key goes to readers allowed to see who reported; on assignment it
  goes to the new reader only if their role allows it and the coordinator handing it on holds it.
- **Named people**: never sealed to, never assignable (assign_case's eligible_assignees and _grant
  refuse them), whatever their role.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from safelight.intake.questions import display_name
from safelight.reports.access import channel_recipients, questions_of_kind, readers
from safelight.reports.models import Channel, QuestionKind, Recipient, Role


@dataclass(frozen=True)
class Person:
    handler_id: int
    name: str
    role: str  # the channel role's label, e.g. "External investigator"
    sees_identity: bool


@dataclass
class Audience:
    now: list[Person] = field(default_factory=list)
    # Coordinators among the readers now: the ones who may hand the report on.
    assigners: list[Person] = field(default_factory=list)
    later: list[Person] = field(default_factory=list)
    identity_now: list[Person] = field(default_factory=list)
    identity_later: list[Person] = field(default_factory=list)
    excluded: list[Person] = field(default_factory=list)

    @property
    def names_now(self) -> list[str]:
        return [p.name for p in self.now]

    @property
    def names_excluded(self) -> list[str]:
        return [p.name for p in self.excluded]

    @property
    def names_assigners(self) -> list[str]:
        return [p.name for p in self.assigners]

    @property
    def names_identity_now(self) -> list[str]:
        return [p.name for p in self.identity_now]

    @property
    def names_identity_later(self) -> list[str]:
        return [p.name for p in self.identity_later]


def _person(recipient: Recipient) -> Person:
    return Person(
        handler_id=recipient.handler_id,
        name=display_name(recipient.handler),
        role=str(Role(recipient.role).label),
        sees_identity=recipient.sees_identity,
    )


def excluded_ids(channel: Channel, answers: dict[str, Any]) -> set[str]:
    """The handler ids (as text) the reporter named as people who must not see the report."""
    found: set[str] = set()
    for question in questions_of_kind(channel, QuestionKind.EXCLUDED_RECIPIENTS):
        found.update(str(v) for v in answers.get(question.key) or [])
    return found


def audience(channel: Channel, answers: dict[str, Any]) -> Audience:
    recipients = list(channel_recipients(channel))
    named = excluded_ids(channel, answers)
    reading = readers(channel, answers)
    reading_ids = {r.handler_id for r in reading}
    assigners = [r for r in reading if r.role == Role.COORDINATOR]
    later = [
        r for r in recipients
        if r.handler_id not in reading_ids and str(r.handler_id) not in named
    ] if assigners else []
    passes_name_on = any(r.sees_identity for r in assigners)
    return Audience(
        now=[_person(r) for r in reading],
        assigners=[_person(r) for r in assigners],
        later=[_person(r) for r in later],
        identity_now=[_person(r) for r in reading if r.sees_identity],
        identity_later=[_person(r) for r in later if r.sees_identity] if passes_name_on else [],
        excluded=[_person(r) for r in recipients if str(r.handler_id) in named],
    )


def other_channels(channel: Channel, answers: dict[str, Any], channels) -> list[Channel]:
    """Other open channels of the organisation that someone named here does not read, and that
    someone can read: ways on when naming people left this channel with no reader."""
    named = excluded_ids(channel, answers)
    found = []
    for other in channels:
        if other.pk == channel.pk:
            continue
        ids = {str(r.handler_id) for r in channel_recipients(other)}
        if ids & named:
            continue
        if readers(other, {}):
            found.append(other)
    return found
