"""The reporter's side of "report together" on a questionnaire step: adding and removing the
identifiers of the person they name, and what the page shows about them.

An identifier is turned into its OPRF output at once and then forgotten: with JavaScript the
browser did it and sends only the output; without, the server does it here, in memory. The draft
keeps the output, the kind and the path, never the identifier itself.
"""

from __future__ import annotations

import base64
import binascii
import contextlib
from dataclasses import dataclass, field
from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext as _

from safelight.crypto import InvalidInput, escrow
from safelight.escrow import actions, identifiers, keyservices, together
from safelight.escrow.models import EntryPath
from safelight.intake.questions import display_name
from safelight.reports.models import QuestionKind
from safelight.reports.sealing import b64


@dataclass
class Taken:
    answers: dict[str, Any]
    errors: list[str] = field(default_factory=list)
    # What the person typed, shown again when it could not be added.
    kept: dict[str, str] = field(default_factory=dict)


def on_step(step) -> bool:
    return any(q.kind == QuestionKind.REPORT_TOGETHER for q in step.questions.all())


def wants_to_stay(post) -> bool:
    """Adding or removing an identifier keeps the person on the same step. So does Enter with a
    detail typed: the browser presses the form's first button, the hidden "default" one
    (templates/intake/step.html), which adds the detail rather than removing one."""
    go = post.get("go")
    if go == "default" and (post.get("together_value", "").strip()
                            or post.get("together_output", "").strip()):
        return True
    return go == "together_add" or "together_remove" in post


def take_identifiers(request: HttpRequest, draft, answers: dict[str, Any]) -> Taken:
    post = request.POST
    if "together_remove" in post:
        with contextlib.suppress(ValueError):
            answers = together.without_identifier(answers, int(post["together_remove"]))
        return Taken(answers)
    kind = post.get("together_kind", "")
    value = post.get("together_value", "")
    output = post.get("together_output", "").strip()
    if not value.strip() and not output:
        return Taken(answers)
    kept = {"kind": kind, "value": value}
    if kind not in identifiers.KIND_LABELS:
        return Taken(answers, [_("Choose what kind of detail this is (for example "
                                 "“Instagram” or “Phone number”).")], kept)
    if len(together.identifiers(answers)) >= together.MAX_IDENTIFIERS:
        return Taken(answers, [_("You can give up to %(count)d details. Remove one to add "
                                 "another.") % {"count": together.MAX_IDENTIFIERS}], kept)
    if output and post.get("together_path") == EntryPath.BROWSER:
        result, path = _from_browser(output), EntryPath.BROWSER
        if result is None:
            return Taken(answers, [_("Something went wrong adding this. Please try again.")],
                         kept)
    else:
        result, path = _on_server(draft, kind, value), EntryPath.SERVER
        if isinstance(result, str):
            return Taken(answers, [result], kept)
    item = {"kind": kind, "output": b64(result), "path": path}
    if any(existing["output"] == item["output"] for existing in together.identifiers(answers)):
        return Taken(answers, [_("You have already added this one.")])
    return Taken(together.with_identifier(answers, item))


def _from_browser(text: str) -> bytes | None:
    try:
        raw = base64.b64decode(text, validate=True)
    except (binascii.Error, ValueError):
        return None
    return raw if len(raw) == escrow.OPRF_OUTPUT_BYTES else None


def _on_server(draft, kind: str, value: str) -> bytes | str:
    """The no-JavaScript path: canonicalise, blind, evaluate, finalise, all in memory. Returns
    the output, or the message to show."""
    organisation = draft.channel.organisation
    found = actions.escrow_settings(organisation)
    region = found.phone_region if found else ""
    try:
        canonical = identifiers.canonicalise(kind, value, default_region=region)
        return keyservices.oprf_output(
            escrow.oprf_input(actions.namespace(organisation), canonical),
            session=actions.session_tag(draft.draft.pk),
        )
    except identifiers.InvalidIdentifier as invalid:
        return str(invalid.message)
    except (keyservices.KeyServiceLimit, keyservices.KeyServiceUnavailable) as refused:
        return str(refused.message)
    except InvalidInput:
        return _("Something went wrong adding this. Please try again.")


def step_context(channel, answers: dict[str, Any], taken: Taken | None) -> dict[str, Any]:
    """What the together section of a step shows (items added, kinds, the scripts' data)."""
    organisation = channel.organisation
    found = actions.escrow_settings(organisation)
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
        "namespace": actions.namespace(organisation),
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


def review_summary(answers: dict[str, Any], questions, who=None,
                   organisation=None) -> dict[str, Any] | None:
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
                       for handler, _key in actions.counsellor_keys(organisation)]
    named = {p.handler_id for p in who.excluded} if who is not None else set()
    return {
        "kinds": [labels.get(i["kind"], i["kind"]) for i in together.identifiers(answers)],
        "counsellors": [name for _pk, name in counsellors],
        "named_counsellors": [name for pk, name in counsellors if pk in named],
    }
