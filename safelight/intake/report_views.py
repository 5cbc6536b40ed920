"""Writing a report: start, one page per step, review, send. Works without JavaScript.

Every page is rendered from the encrypted draft, so Back, reload and a failed upload lose
nothing; errors are shown on the same page with everything the person typed still there.
"""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from safelight.escrow import reporter as together_step
from safelight.intake import actions, audience, drafts, files, typed
from safelight.intake.forms import RemoveFilesForm
from safelight.intake.gone import no_longer_available
from safelight.intake.questions import (
    StepForm,
    answered_entries,
    condition_met,
    display_name,
    field_name,
)
from safelight.intake.submission import Refused
from safelight.referrals.access import services_for_organisation
from safelight.reports import access
from safelight.reports.access import questions_of_kind, readers
from safelight.reports.models import Channel, QuestionKind

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


def _context(channel: Channel, **extra) -> dict:
    return {"organisation": channel.organisation, "channel": channel, **extra}


def _start_page(request: HttpRequest, channel: Channel, *, draft, lost: bool) -> HttpResponse:
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
    steps = list(the_channel.questionnaire.steps.all())
    if not 1 <= number <= len(steps):
        raise Http404
    current = steps[number - 1]
    file_errors: list[str] = []
    has_together = together_step.on_step(current)
    taken = None
    status = 200
    if request.method == "POST":
        form = StepForm(request.POST, request.FILES, step=current, channel=the_channel,
                        answers=draft.answers)
        removing = RemoveFilesForm(request.POST)
        if removing.is_valid():
            for file_id in removing.cleaned_data["remove_file"]:
                actions.remove_draft_file(draft=draft, file_id=file_id)
        else:
            # A malformed id: nothing removed, nothing logged, the rest of the page kept.
            file_errors.extend(removing.errors["remove_file"])
            status = 400
        valid = form.is_valid()
        if valid:
            answers = typed.checked(form.answers(draft.answers), current)
            if has_together:
                taken = together_step.take_identifiers(request, draft, answers)
                answers = taken.answers
        else:
            # Kept as typed, in the draft: Back (or any way off this page) loses nothing.
            answers = typed.keep(form, request.POST, draft.answers)
        actions.save_draft_answers(draft=draft, answers=answers)
        file_errors += _take_files(request, form, draft)
        go = _move(request.POST, has_together)
        if not file_errors and not (taken and taken.errors):
            if go == "back":
                # Back never validates: the answers that could not be checked wait in the draft.
                if number == 1:
                    return redirect("intake:channel", slug, channel)
                return redirect(_step_url(the_channel, number - 1))
            if valid and go == "next":
                missing = form.missing_required(answers)
                for name in missing:
                    form.add_error(name, _("Please answer this question to go on."))
                if not missing:
                    if number == len(steps):
                        return redirect(_review_url(the_channel))
                    return redirect(_step_url(the_channel, number + 1))
            elif valid and go == "stay":
                return redirect(_step_url(the_channel, number))
        draft = drafts.open_draft(request, the_channel) or draft
    else:
        waiting = typed.typed_for(draft.answers, current)
        form = StepForm(waiting, step=current, channel=the_channel, answers=draft.answers)
        if waiting is not None:
            form.is_valid()  # show again what needs a look, as it was typed
    for shown in form.shown:
        shown.files = draft.files_for(shown.question.key)
    response = render(
        request,
        "intake/step.html",
        {
            **_context(the_channel, draft=draft),
            "form": form,
            "step": current,
            "number": number,
            "count": len(steps),
            "file_errors": file_errors,
            "limits": {"file": the_channel.max_file_bytes, "report": the_channel.max_report_bytes},
            "together": (together_step.step_context(the_channel, draft.answers, taken)
                         if has_together and _asks_together(form) else None),
        },
        status=status,
    )
    if has_together:
        # libsodium.js compiles WebAssembly for the browser's OPRF steps (safelight.middleware).
        response.allows_wasm = True
    return response


def _move(post, has_together: bool) -> str:
    """Where the person asked to go. "default" is the hidden first button of the step form, which
    a browser presses on Enter: it adds a typed report-together detail, or else continues."""
    go = post.get("go", "next")
    if has_together and together_step.wants_to_stay(post):
        return "stay"
    return go if go in _NAV else "next"


def _asks_together(form: StepForm) -> bool:
    return any(s.question.kind == QuestionKind.REPORT_TOGETHER for s in form.shown)


def _take_files(request: HttpRequest, form: StepForm, draft: drafts.OpenDraft) -> list[str]:
    errors = []
    keep = request.POST.get("keep_details") == "yes"
    channel = draft.channel
    used = draft.total_size
    for shown in form.shown:
        question = shown.question
        if question.kind != QuestionKind.FILE:
            continue
        for upload in request.FILES.getlist(field_name(question)):
            try:
                prepared = files.prepare(
                    upload, max_bytes=channel.max_file_bytes,
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


def _missing(draft: drafts.OpenDraft) -> list[tuple[int, object]]:
    """Required questions not answered anywhere (someone skipped ahead): (step number, question)."""
    missing = []
    steps = draft.channel.questionnaire.steps.prefetch_related("questions__show_if")
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


def _review_context(draft: drafts.OpenDraft) -> dict:
    channel = draft.channel
    questionnaire = channel.questionnaire
    steps = []
    entries = answered_entries(questionnaire, draft.answers, channel, identity=False)
    identity = answered_entries(questionnaire, draft.answers, channel, identity=True)
    together_questions = questions_of_kind(channel, QuestionKind.REPORT_TOGETHER)
    excluded_questions = questions_of_kind(channel, QuestionKind.EXCLUDED_RECIPIENTS)
    waiting = typed.steps_waiting(draft.answers)
    together_number = None
    excluded_number = None
    unchecked = []
    for number, step_ in enumerate(questionnaire.steps.all(), start=1):
        step_entries = [e for e in entries + identity if e["step"] == step_.title]
        steps.append({"number": number, "title": step_.title, "entries": step_entries})
        if str(step_.pk) in waiting:
            unchecked.append({"number": number, "title": step_.title})
        if together_number is None and any(q.step_id == step_.pk for q in together_questions):
            together_number = number
        if excluded_number is None and any(q.step_id == step_.pk for q in excluded_questions):
            excluded_number = number
    who = audience.audience(channel, draft.answers)
    organisation = channel.organisation
    ways_on = None
    if not who.now:
        ways_on = {
            "channels": audience.other_channels(channel, draft.answers,
                                                access.open_channels(organisation)),
            "has_services": services_for_organisation(organisation).exists(),
        }
    return {
        "steps": steps,
        "together": together_step.review_summary(draft.answers, together_questions, who,
                                                 organisation),
        "together_step": together_number,
        "excluded_step": excluded_number,
        "unchecked": unchecked,
        "identity": identity,
        "who": who,
        "ways_on": ways_on,
        "files": draft.files,
    }


@require_POST
def discard(request: HttpRequest, slug: str, channel: str) -> HttpResponse:
    the_channel = access.open_channel(slug, channel)
    draft = drafts.open_draft(request, the_channel)
    if draft is not None:
        actions.discard_draft(draft=draft.draft)
    response = render(request, "intake/discarded.html", {"organisation": the_channel.organisation})
    drafts.delete_cookie(response)
    return response
