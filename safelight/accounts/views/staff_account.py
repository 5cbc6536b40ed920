"""The signed-in handler's own account: the staff home page and its notification choice, the
password, their own email address, and confirming a reset of the account from the emailed link."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from safelight.accounts import actions
from safelight.accounts.access import HandlerRequest, handler_required
from safelight.accounts.forms import ChangePasswordForm, ConfirmResetForm, NotifyForm, OwnEmailForm
from safelight.accounts.language_actions import set_email_language


@handler_required
def home(request: HandlerRequest, notify_form: NotifyForm | None = None) -> HttpResponse:
    # Known here, on the landing page, rather than asked on every staff page for the navigation.
    counsellor = request.handler.counselling_escrow.exists()
    notify_form = notify_form or NotifyForm(initial={"notify": request.handler.notify})
    return render(request, "accounts/home.html",
                  {"handler": request.handler, "counsellor": counsellor,
                   "notify_form": notify_form},
                  status=400 if notify_form.is_bound else 200)


@handler_required
@require_POST
def notifications(request: HandlerRequest) -> HttpResponse:
    form = NotifyForm(request.POST)
    if not form.is_valid():
        return home(request, notify_form=form)
    actions.set_notification_preference(handler=request.handler,
                                        notify=form.cleaned_data["notify"])
    messages.success(request, _("Your choice is saved."))
    return redirect("accounts:home")


@handler_required
def change_password(request: HandlerRequest) -> HttpResponse:
    form = ChangePasswordForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if not request.user.check_password(data["old_password"]):
            form.add_error("old_password", _("That is not your current password."))
        else:
            try:
                user = actions.change_handler_password(
                    handler=request.handler,
                    old_password=data["old_password"],
                    new_password=data["new_password"],
                )
            except ValidationError as exc:
                form.add_error("new_password", exc)
            else:
                update_session_auth_hash(request, user)
                messages.success(request, _("Your password is changed."))
                return redirect("accounts:home")
    return render(request, "accounts/change_password.html", {"form": form})


def confirm_reset(request: HttpRequest, token: str) -> HttpResponse:
    """The link emailed to the handler's own address after an administrator reset their account:
    a page that says who reset what and when, and a button (a GET alone never confirms, so a mail
    scanner that follows links confirms nothing)."""
    try:
        reset = actions.reset_for_link(token)
    except actions.InvalidResetLink:
        return render(request, "accounts/confirm_reset.html", {"invalid": True}, status=404)
    form = ConfirmResetForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            actions.confirm_reset(token=token)
        except actions.InvalidResetLink:
            return render(request, "accounts/confirm_reset.html", {"invalid": True}, status=404)
        return render(request, "accounts/confirm_reset.html", {"confirmed": True})
    return render(request, "accounts/confirm_reset.html",
                  {"form": form, "description": actions.describe_reset(reset)})


@handler_required
def own_email(request: HandlerRequest) -> HttpResponse:
    """The handler's own address: only they set it; resets of their account are announced there.
    And the language that notifications to them are written in."""
    handler = request.handler
    form = OwnEmailForm(request.POST or None,
                        initial={"email": handler.own_email, "language": handler.language})
    if request.method == "POST" and form.is_valid():
        actions.set_own_email(handler=handler, email=form.cleaned_data["email"])
        if form.cleaned_data["language"]:
            set_email_language(handler=handler, language=form.cleaned_data["language"])
        messages.success(request, _("Your own address is saved."))
        return redirect("accounts:home")
    return render(request, "accounts/own_email.html", {"form": form})
