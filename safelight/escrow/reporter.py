"""The reporter's side of "report together" on intake's pages: the question's field, the step's
inputs for the identifiers of the person they name (a Django form), the review page's summary
and the follow-up page's status. Intake asks for them through its interfaces
(safelight.intake.step_extensions, followup_page), declared in settings, and imports nothing
from here.

An identifier is turned into its OPRF output at once and then forgotten: with JavaScript the
browser did it and sends only the output; without, the server does it here, in memory. The draft
keeps the output, the kind and the path, never the identifier itself.
"""

from __future__ import annotations

import base64
import binascii
from dataclasses import dataclass, field
from typing import Any

from django import forms
from django.http import QueryDict
from django.urls import reverse
from django.utils.translation import gettext as _

from safelight.accounts.models import Organisation
from safelight.crypto import InvalidInput, escrow
from safelight.escrow import access, identifiers, keyservices, together
from safelight.escrow.models import EntryPath
from safelight.intake.audience import Audience
from safelight.intake.drafts import OpenDraft
from safelight.intake.questions import TOGETHER, display_name
from safelight.reports.models import Channel, Question, Report, Status
from safelight.reports.sealing import b64


@dataclass
class Taken:
    answers: dict[str, Any]
    errors: list[str] = field(default_factory=list)
    # What the person typed, shown again when it could not be added.
    kept: dict[str, str] = field(default_factory=dict)


class ReportTogetherQuestion:
    """The "report together" question kind on intake's pages (safelight.intake.step_extensions,
    settings.SAFELIGHT_QUESTION_EXTENSIONS)."""

    def field(self, question: Question, channel: Channel,
              common: dict[str, Any]) -> forms.Field | None:
        if not access.available(channel.organisation):
            return None  # the organisation does not offer it (now): nothing to ask
        return forms.ChoiceField(choices=TOGETHER, widget=forms.RadioSelect, **common)

    def step_part(self, *, draft: OpenDraft, data: QueryDict | None) -> TogetherForm:
        return TogetherForm(data, draft=draft)

    def review(self, *, channel: Channel, answers: dict[str, Any], questions: list[Question],
               step: int | None, who: Audience) -> dict[str, Any]:
        return {
            "together": review_summary(answers, questions, who, channel.organisation),
            "together_step": step,
        }


class TogetherForm(forms.Form):
    """The identifiers' inputs of a step with a report-together question, as
    templates/escrow/together_fields.html writes them: add one (typed, or its output from the
    browser's script), or remove one. A part of the step's form (safelight.intake.step_extensions.
    StepPart)."""

    go = forms.CharField(required=False, strip=False)
    together_kind = forms.CharField(required=False, strip=False)
    together_value = forms.CharField(required=False, strip=False)
    together_output = forms.CharField(required=False)
    together_path = forms.CharField(required=False, strip=False)
    together_remove = forms.CharField(required=False)

    name = "together"
    # libsodium.js compiles WebAssembly for the browser's OPRF steps (safelight.middleware).
    allows_wasm = True

    def __init__(self, data: QueryDict | None = None, *, draft: OpenDraft) -> None:
        super().__init__(data)
        self.draft = draft
        self.taken: Taken | None = None

    def _value(self, name: str) -> str:
        """A field as cleaned ("" when not sent, or not valid: a NUL character, say)."""
        self.is_valid()
        return self.cleaned_data.get(name) or ""

    def _removing(self) -> bool:
        # The Remove button pressed: its name is there, whatever its value.
        return "together_remove" in self.data

    def wants_to_stay(self) -> bool:
        """Adding or removing an identifier keeps the person on the same step. So does Enter with
        a detail typed: the browser presses the form's first button, the hidden "default" one
        (templates/intake/step.html), which adds the detail rather than removing one."""
        go = self._value("go")
        if go == "default" and (self._value("together_value").strip()
                                or self._value("together_output")):
            return True
        return go == "together_add" or self._removing()

    def take(self, answers: dict[str, Any]) -> dict[str, Any]:
        self.taken = self._take(answers)
        return self.taken.answers

    def blocks(self) -> bool:
        return bool(self.taken and self.taken.errors)

    def context(self, answers: dict[str, Any], *, asked: bool) -> dict[str, Any] | None:
        return step_context(self.draft.channel, answers, self.taken) if asked else None

    def _take(self, answers: dict[str, Any]) -> Taken:
        if not self.is_valid():
            return Taken(answers, [_("Something went wrong adding this. Please try again.")])
        if self._removing():
            try:
                index = int(self.cleaned_data["together_remove"])
            except ValueError:
                return Taken(answers)
            return Taken(together.without_identifier(answers, index))
        kind = self._value("together_kind")
        value = self._value("together_value")
        output = self._value("together_output")
        if not value.strip() and not output:
            return Taken(answers)
        kept = {"kind": kind, "value": value}
        if kind not in identifiers.KIND_LABELS:
            return Taken(answers, [_("Choose what kind of detail this is (for example "
                                     "“Instagram” or “Phone number”).")], kept)
        if len(together.identifiers(answers)) >= together.MAX_IDENTIFIERS:
            return Taken(answers, [_("You can give up to %(count)d details. Remove one to add "
                                     "another.") % {"count": together.MAX_IDENTIFIERS}], kept)
        result: bytes | str | None
        if output and self._value("together_path") == EntryPath.BROWSER:
            result, path = _from_browser(output), EntryPath.BROWSER
            if result is None:
                return Taken(answers, [_("Something went wrong adding this. Please try again.")],
                             kept)
        else:
            result, path = _on_server(self.draft, kind, value), EntryPath.SERVER
            if isinstance(result, str):
                return Taken(answers, [result], kept)
        item = {"kind": kind, "output": b64(result), "path": path}
        if any(existing["output"] == item["output"]
               for existing in together.identifiers(answers)):
            return Taken(answers, [_("You have already added this one.")])
        return Taken(together.with_identifier(answers, item))


def _from_browser(text: str) -> bytes | None:
    try:
        raw = base64.b64decode(text, validate=True)
    except (binascii.Error, ValueError):
        return None
    return raw if len(raw) == escrow.OPRF_OUTPUT_BYTES else None


def _on_server(draft: OpenDraft, kind: str, value: str) -> bytes | str:
    """The no-JavaScript path: canonicalise, blind, evaluate, finalise, all in memory. Returns
    the output, or the message to show."""
    organisation = draft.channel.organisation
    found = access.escrow_settings(organisation)
    region = found.phone_region if found else ""
    try:
        canonical = identifiers.canonicalise(kind, value, default_region=region)
        return keyservices.oprf_output(
            escrow.oprf_input(keyservices.namespace(organisation), canonical),
            session=keyservices.session_tag(draft.draft.pk),
        )
    except identifiers.InvalidIdentifier as invalid:
        return str(invalid.message)
    except (keyservices.KeyServiceLimit, keyservices.KeyServiceUnavailable) as refused:
        return str(refused.message)
    except InvalidInput:
        return _("Something went wrong adding this. Please try again.")


def step_context(channel: Channel, answers: dict[str, Any],
                 taken: Taken | None) -> dict[str, Any]:
    """What the together section of a step shows (items added, kinds, the scripts' data)."""
    organisation = channel.organisation
    found = access.escrow_settings(organisation)
    labels = identifiers.KIND_LABELS
    return {
        "items": [
            {"index": i, "kind": labels.get(item["kind"], item["kind"]),
             "browser": item["path"] == EntryPath.BROWSER}
            for i, item in enumerate(together.identifiers(answers))
        ],
        "kinds": identifiers.KINDS,
        "max": together.MAX_IDENTIFIERS,
        "errors": taken.errors if taken else [],
        "kept": taken.kept if taken else {},
        "namespace": keyservices.namespace(organisation),
        "region": found.phone_region if found else "",
        "evaluate_url": reverse("intake:together-evaluate",
                                args=[organisation.slug, channel.slug]),
        "services": identifiers.load_services(),
        "error_messages": {
            **{code: str(message) for code, message in identifiers.ERROR_MESSAGES.items()},
            "unavailable": _("Report together is not available just now. You can send your "
                             "report now, or try again later."),
            "failed": _("Something went wrong adding this. Please try again."),
        },
    }


def review_summary(answers: dict[str, Any], questions: list[Question],
                   who: Audience | None = None,
                   organisation: Organisation | None = None) -> dict[str, Any] | None:
    """What the review page says about holding the report: the details' kinds, and the escrow
    counsellors who, on a match, open the held report (its key and the key to the name, if one
    was given, are sealed to them: safelight.escrow.actions.add_entries) and pass it on.
    `who` is the report's safelight.intake.audience.Audience: a named person who counsels is
    said to be one, since naming does not keep an escrow counsellor out of a held report."""
    if not together.holds(answers, questions):
        return None
    labels = identifiers.KIND_LABELS
    counsellors = []
    if organisation is not None:
        counsellors = [(handler.pk, display_name(handler))
                       for handler, _key in access.counsellor_keys(organisation)]
    named = {p.handler_id for p in who.excluded} if who is not None else set()
    return {
        "kinds": [labels.get(i["kind"], i["kind"]) for i in together.identifiers(answers)],
        "counsellors": [name for _pk, name in counsellors],
        "named_counsellors": [name for pk, name in counsellors if pk in named],
    }


def followup_section(report: Report) -> dict[str, Any]:
    """What the follow-up page shows of report together (safelight.intake.followup_page): whether
    the report is held in escrow or was matched and released; None when it was not escrowed."""
    entries = report.escrow_entries.count()
    if not entries:
        return {"together": None}
    return {"together": {"held": report.status == Status.HELD, "entries": entries}}
