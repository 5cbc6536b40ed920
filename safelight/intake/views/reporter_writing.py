"""Writing a report: start, one page per step, review, send. Works without JavaScript.

Every page is rendered from the encrypted draft, so Back, reload and a failed upload lose
nothing; errors are shown on the same page with everything the person typed still there.
"""

from __future__ import annotations

from typing import Any, cast

from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from safelight.intake import actions, audience, drafts, files, step_extensions, typed
from safelight.intake.forms import RemoveFilesForm
from safelight.intake.gone import no_longer_available
from safelight.intake.questions import (
    StepForm,
    answered_entries,
    condition_met,
    display_name,
    field_name,
)
from safelight.intake.step_extensions import StepPart
from safelight.intake.submission import Refused
from safelight.referrals.access import services_for_organisation
from safelight.reports import access
from safelight.reports.access import questions_of_kind, readers
from safelight.reports.models import Channel, Question, QuestionKind
from safelight.reports.uploads import EncryptedUpload

_NAV = ("back", "next", "stay")


def channel_start(request: HttpRequest, slug: str, channel: str) -> HttpResponse:
    """Before starting: what this channel is for, who reads it, what happens next."""
    the_channel = access.open_channel(slug, channel)
    draft = drafts.open_draft(request, the_channel)
    if request.method == "POST":
        if draft is None:
            row, key = actions.start_draft(channel=the_channel)
            response = redirect(_step_url(the_channel, 1))
            drafts.set_cookie(response, row, key)
            return response
        return redirect(_step_url(the_channel, 1))
    return _start_page(request, the_channel, draft=draft, lost=False)


def _context(channel: Channel, **extra: Any) -> dict[str, Any]:
    return {"organisation": channel.organisation, "channel": channel, **extra}


def _start_page(request: HttpRequest, channel: Channel, *, draft: drafts.OpenDraft | None,
                lost: bool) -> HttpResponse:
    names = [display_name(r.handler) for r in readers(channel, {})]
    return render(
        request, "intake/channel_start.html",
        _context(channel, draft=draft, lost=lost, reader_names=names), status=409 if lost else 200,
    )


def _step_url(channel: Channel, number: int) -> str:
    return reverse("intake:step", args=[channel.organisation.slug, channel.slug, number])


def _review_url(channel: Channel) -> str:
    return reverse("intake:review", args=[channel.organisation.slug, channel.slug])


def _lost(request: HttpRequest, channel: Channel) -> HttpResponse:
    """No draft: expired, discarded (Quick exit), already sent, or the browser kept no cookie.
    The neutral page, which shows nothing of the channel: Back after Quick exit lands here."""
    return no_longer_available(request)


def step(request: HttpRequest, slug: str, channel: str, number: int) -> HttpResponse:
    the_channel = access.open_channel(slug, channel)
    draft = drafts.open_draft(request, the_channel)
    if draft is None:
        return _lost(request, the_channel)
    steps = list(access.steps_of(the_channel.questionnaire))
    if not 1 <= number <= len(steps):
        raise Http404
    current = steps[number - 1]
    # The inputs of question kinds another app asks (safelight.intake.step_extensions).
    parts = step_extensions.parts_for(
        current, draft=draft, data=request.POST if request.method == "POST" else None)
    if request.method != "POST":
        waiting = typed.typed_for(draft.answers, current)
        form = StepForm(waiting, step=current, channel=the_channel, answers=draft.answers)
        if waiting is not None:
            form.is_valid()  # show again what needs a look, as it was typed
        return _step_page(request, the_channel, draft, form, parts, number=number,
                          count=len(steps))
    form = StepForm(request.POST, request.FILES, step=current, channel=the_channel,
                    answers=draft.answers)
    file_errors, status = _remove_files(request, draft)
    valid = form.is_valid()
    if valid:
        answers = typed.checked(form.answers(draft.answers), current)
        for _kind, part in parts:
            answers = part.take(answers)
    else:
        # Kept as typed, in the draft: Back (or any way off this page) loses nothing.
        answers = typed.keep(form, request.POST, draft.answers)
    actions.save_draft_answers(draft=draft, answers=answers)
    file_errors += _take_files(request, form, draft)
    if not file_errors and not any(part.blocks() for _kind, part in parts):
        moved = _moved(request, form, the_channel, answers, parts, valid=valid, number=number,
                       count=len(steps))
        if moved is not None:
            return moved
    draft = drafts.open_draft(request, the_channel) or draft
    return _step_page(request, the_channel, draft, form, parts, number=number, count=len(steps),
                      file_errors=file_errors, status=status)


def _remove_files(request: HttpRequest, draft: drafts.OpenDraft) -> tuple[list[str], int]:
    """Remove the files the step's boxes name; (errors, the page's status)."""
    removing = RemoveFilesForm(request.POST)
    if not removing.is_valid():
        # A malformed id: nothing removed, nothing logged, the rest of the page kept.
        return [str(error) for error in removing.errors["remove_file"]], 400
    for file_id in removing.cleaned_data["remove_file"]:
        actions.remove_draft_file(draft=draft, file_id=file_id)
    return [], 200


def _moved(request: HttpRequest, form: StepForm, channel: Channel, answers: dict[str, Any],
           parts: list[tuple[str, StepPart]], *, valid: bool, number: int,
           count: int) -> HttpResponse | None:
    """Where the person asked to go, once what they sent was taken; None: stay on the page."""
    go = _move(request.POST, parts)
    if go == "back":
        # Back never validates: the answers that could not be checked wait in the draft.
        if number == 1:
            return redirect("intake:channel", channel.organisation.slug, channel.slug)
        return redirect(_step_url(channel, number - 1))
    if valid and go == "next":
        missing = form.missing_required(answers)
        for name in missing:
            form.add_error(name, _("Please answer this question to go on."))
        if not missing:
            if number == count:
                return redirect(_review_url(channel))
            return redirect(_step_url(channel, number + 1))
    elif valid and go == "stay":
        return redirect(_step_url(channel, number))
    return None


def _step_page(request: HttpRequest, channel: Channel, draft: drafts.OpenDraft, form: StepForm,
               parts: list[tuple[str, StepPart]], *, number: int, count: int,
               file_errors: list[str] | None = None, status: int = 200) -> HttpResponse:
    for shown in form.shown:
        shown.files = draft.files_for(shown.question.key)
    asked = {shown.question.kind for shown in form.shown}
    response = render(
        request,
        "intake/step.html",
        {
            **_context(channel, draft=draft),
            "form": form,
            "step": form.step,
            "number": number,
            "count": count,
            "file_errors": file_errors or [],
            "limits": {"file": channel.max_file_bytes, "report": channel.max_report_bytes},
            **{part.name: part.context(draft.answers, asked=kind in asked)
               for kind, part in parts},
        },
        status=status,
    )
    if any(part.allows_wasm for _kind, part in parts):
        response.allows_wasm = True  # type: ignore[attr-defined]
    return response


def _move(post: QueryDict, parts: list[tuple[str, StepPart]]) -> str:
    """Where the person asked to go. "default" is the hidden first button of the step form, which
    a browser presses on Enter: a part of the page may take it (adding a detail typed there, say),
    or else it continues."""
    go = post.get("go", "next")
    if any(part.wants_to_stay() for _kind, part in parts):
        return "stay"
    return go if go in _NAV else "next"


def _take_files(request: HttpRequest, form: StepForm, draft: drafts.OpenDraft) -> list[str]:
    errors: list[str] = []
    keep = request.POST.get("keep_details") == "yes"
    channel = draft.channel
    used = draft.total_size
    for shown in form.shown:
        question = shown.question
        if question.kind != QuestionKind.FILE:
            continue
        for upload in request.FILES.getlist(field_name(question)):
            try:
                # Every upload arrives encrypted (settings.FILE_UPLOAD_HANDLERS).
                prepared = files.prepare(
                    cast(EncryptedUpload, upload), max_bytes=channel.max_file_bytes,
                    room_left=channel.max_report_bytes - used, keep_details=keep,
                    question=question.key,
                )
                actions.add_draft_file(draft=draft, prepared=prepared)
            except files.FileRejected as rejected:
                errors.append(rejected.message)
                continue
            except OSError:
                errors.append(
                    _("We could not store “%(name)s” just now. Nothing else was lost; please "
                      "try adding it again.") % {"name": upload.name}
                )
                continue
            used += prepared.size
    return errors


def _missing(draft: drafts.OpenDraft) -> list[tuple[int, Question]]:
    """Required questions not answered anywhere (someone skipped ahead): (step number, question)."""
    missing = []
    steps = access.steps_with_questions(draft.channel.questionnaire)
    for number, step_ in enumerate(steps, start=1):
        for question in step_.questions.all():
            if (
                question.required
                and question.kind != QuestionKind.FILE
                and condition_met(question, draft.answers)
                and question.key not in draft.answers
            ):
                missing.append((number, question))
    return missing


def review(request: HttpRequest, slug: str, channel: str) -> HttpResponse:
    the_channel = access.open_channel(slug, channel)
    draft = drafts.open_draft(request, the_channel)
    if draft is None:
        if request.method == "POST":
            return render(request, "intake/already_sent.html",
                          {"organisation": the_channel.organisation}, status=409)
        return _lost(request, the_channel)
    error = ""
    missing = _missing(draft)
    waiting = typed.steps_waiting(draft.answers)
    if request.method == "POST" and not missing and not waiting:
        try:
            report, receipt = actions.submit_report(draft=draft)
        except actions.DraftGone:
            return render(request, "intake/already_sent.html",
                          {"organisation": the_channel.organisation}, status=409)
        except Refused as refused:
            # A step of another app refused it (safelight.intake.submission): it says why.
            error = refused.message
        except actions.NoOneCanRead:
            error = _(
                "Your report was not sent: no one else reads this channel, so no one could "
                "read it. Your answers are still saved; see below for other ways on."
            )
        else:
            response = render(request, "intake/receipt.html", {
                "organisation": the_channel.organisation, "channel": the_channel,
                "receipt": receipt, "report": report,
            })
            drafts.delete_cookie(response)
            return response
    return render(request, "intake/review.html", {
        **_context(the_channel, draft=draft),
        **_review_context(draft),
        "missing": missing,
        "error": error,
    })


def _review_context(draft: drafts.OpenDraft) -> dict[str, Any]:
    channel = draft.channel
    questionnaire = channel.questionnaire
    steps = []
    entries = answered_entries(questionnaire, draft.answers, channel, identity=False)
    identity = answered_entries(questionnaire, draft.answers, channel, identity=True)
    # Question kinds another app asks (safelight.intake.step_extensions) have their own part.
    extended = {kind: (extension, questions_of_kind(channel, kind))
                for kind, extension in step_extensions.extensions().items()}
    excluded_questions = questions_of_kind(channel, QuestionKind.EXCLUDED_RECIPIENTS)
    waiting = typed.steps_waiting(draft.answers)
    unchecked = []
    numbers: dict[int, int] = {}
    for number, step_ in enumerate(access.steps_of(questionnaire), start=1):
        step_entries = [e for e in entries + identity if e["step"] == step_.title]
        steps.append({"number": number, "title": step_.title, "entries": step_entries})
        numbers[step_.pk] = number
        if str(step_.pk) in waiting:
            unchecked.append({"number": number, "title": step_.title})
    who = audience.audience(channel, draft.answers)
    organisation = channel.organisation
    ways_on = None
    if not who.now:
        ways_on = {
            "channels": audience.other_channels(channel, draft.answers,
                                                access.open_channels(organisation)),
            "has_services": services_for_organisation(organisation).exists(),
        }
    parts: dict[str, Any] = {}
    for extension, questions in extended.values():
        parts |= extension.review(channel=channel, answers=draft.answers, questions=questions,
                                  step=_first_step(questions, numbers), who=who)
    return {
        "steps": steps,
        **parts,
        "excluded_step": _first_step(excluded_questions, numbers),
        "unchecked": unchecked,
        "identity": identity,
        "who": who,
        "ways_on": ways_on,
        "files": draft.files,
    }


def _first_step(questions: list[Question], numbers: dict[int, int]) -> int | None:
    """The number of the first step asking one of the questions (None: no step does)."""
    asked = [numbers[q.step_id] for q in questions if q.step_id in numbers]
    return min(asked, default=None)


@require_POST
def discard(request: HttpRequest, slug: str, channel: str) -> HttpResponse:
    the_channel = access.open_channel(slug, channel)
    draft = drafts.open_draft(request, the_channel)
    if draft is not None:
        actions.discard_draft(draft=draft.draft)
    response = render(request, "intake/discarded.html", {"organisation": the_channel.organisation})
    drafts.delete_cookie(response)
    return response
