"""Organisations, handlers and account resets in the staff administration.

Django's raw user admin, group admin and django-otp's device admin are not reachable: through
them an administrator could set a handler's password or remove their authenticator in silence,
then sign in as them. Resetting a password or second factor is a Safelight action instead
(actions.reset_handler_account): audited, announced to the handler at their own address and at
their next sign-in, and the account stays closed until the handler confirms (or the
organisation's named approver approves).
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_otp.plugins.otp_totp.models import TOTPDevice

from safelight.accounts import actions
from safelight.accounts.admin_scoping import ScopedAdmin, scope_of
from safelight.accounts.content_admin import TranslatedContentAdmin
from safelight.accounts.language_status import MarksDraftLanguages
from safelight.accounts.models import AccountReset, Handler, Organisation, ResetKind

for _model in (get_user_model(), Group, TOTPDevice):
    if admin.site.is_registered(_model):
        admin.site.unregister(_model)


@admin.register(Organisation)
class OrganisationAdmin(MarksDraftLanguages, TranslatedContentAdmin, ScopedAdmin):
    list_display = ("name", "slug", "default_language", "translated_languages", "created_at")
    search_fields = ("name", "slug")
    prepopulated_fields = {"slug": ("name",)}
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    # The default language's help text says what a reporter sees where a translation is missing;
    # the texts below it are those of the language tab chosen above the form.
    fieldsets = (
        (None, {"fields": ("name", "slug", "default_language", "quick_exit_url",
                           "reset_approver")}),
        (gettext_lazy("What reporters read"),
         {"fields": ("translation_status", "introduction", "urgent_help", "page_title")}),
    )
    readonly_fields = ("translation_status",)
    # Only the platform operator names who approves resets: an administrator who could name
    # themselves would approve their own takeover.
    operator_only_fields = ("reset_approver",)

    def get_queryset(self, request: HttpRequest):
        return super().get_queryset(request).prefetch_related("translations")

    def save_model(self, request: HttpRequest, obj: Organisation, form, change: bool) -> None:
        actions.save_organisation(organisation=obj, actor=request.user)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return scope_of(request).operator and super().has_add_permission(request)

    def has_delete_permission(self, request: HttpRequest, obj: models.Model | None = None
                              ) -> bool:
        return False  # reports and audit events hang off an organisation; never cascade them away


class ResetForm(forms.Form):
    kind = forms.ChoiceField(
        label=gettext_lazy("What to reset"), choices=ResetKind.choices, widget=forms.RadioSelect
    )
    new_password = forms.CharField(
        label=gettext_lazy("Temporary password (when the password is reset)"),
        required=False,
        strip=False,
        widget=forms.PasswordInput,
        help_text=gettext_lazy(
            "Give it to the handler in person or by phone. They should change it at once."
        ),
    )

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        if data.get("kind") in (ResetKind.PASSWORD, ResetKind.BOTH) and not data.get(
            "new_password"
        ):
            self.add_error("new_password", _("Give a temporary password."))
        return data


@admin.register(Handler)
class HandlerAdmin(MarksDraftLanguages, ScopedAdmin):
    list_display = ("user", "display_name", "organisation", "administrator", "created_at")
    list_filter = ("organisation",)
    search_fields = ("user__username", "display_name")
    fields = ("user", "display_name", "language", "organisation", "own_email", "created_at",
              "reset_link")
    readonly_fields = ("user", "organisation", "own_email", "created_at", "reset_link")

    @admin.display(description=gettext_lazy("administrator"), boolean=True)
    def administrator(self, obj: Handler) -> bool:
        return obj.user.is_staff

    @admin.display(description=gettext_lazy("password or second factor"))
    def reset_link(self, obj: Handler) -> str:
        if obj.pk is None:
            return "—"
        return format_html(
            '<a href="{}">{}</a>',
            reverse("admin:accounts_handler_reset", args=[obj.pk]),
            _("Reset the password or second factor…"),
        )

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # `safelight createhandler` creates handlers, with their password checked

    def has_delete_permission(self, request: HttpRequest, obj: models.Model | None = None
                              ) -> bool:
        return False  # audit events and reports name the handler; remove recipients instead

    def get_urls(self):
        return [
            path("<int:handler_id>/reset/", self.admin_site.admin_view(self.reset_view),
                 name="accounts_handler_reset"),
            *super().get_urls(),
        ]

    def reset_view(self, request: HttpRequest, handler_id: int) -> HttpResponse:
        handler = self.get_queryset(request).select_related("user").filter(pk=handler_id).first()
        if handler is None:
            raise Http404
        if not self.has_change_permission(request, handler):
            raise PermissionDenied
        form = ResetForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            try:
                actions.reset_handler_account(
                    handler=handler,
                    kind=form.cleaned_data["kind"],
                    new_password=form.cleaned_data["new_password"] or None,
                    actor=request.user,
                )
            except actions.ResetRefused as refusal:
                form.add_error(None, str(refusal))
            except ValidationError as error:
                form.add_error("new_password", error)
            else:
                self.message_user(request, _(
                    "Reset. The handler was told at their own address; the account opens again "
                    "when they confirm (or the organisation's approver approves)."
                ), messages.SUCCESS)
                return HttpResponseRedirect(
                    reverse("admin:accounts_handler_change", args=[handler.pk])
                )
        context = {
            **self.admin_site.each_context(request),
            "title": _("Reset the password or second factor of %(handler)s")
            % {"handler": handler.user.get_username()},
            "opts": self.model._meta,
            "original": handler,
            "form": form,
        }
        return TemplateResponse(request, "admin/accounts/handler_reset.html", context)


@admin.register(AccountReset)
class AccountResetAdmin(ScopedAdmin):
    list_display = ("handler", "kind", "reset_by", "reset_at", "confirmed_at", "approved_by",
                    "approved_at")
    list_filter = ("kind",)
    fields = list_display
    readonly_fields = list_display
    actions = ["approve"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    @admin.action(description=gettext_lazy("Approve (as the organisation's named approver)"),
                  permissions=["view"])
    def approve(self, request: HttpRequest, queryset) -> None:
        for reset in queryset:
            try:
                actions.approve_reset(reset=reset, actor=request.user)
            except actions.ResetRefused as refusal:
                self.message_user(request, str(refusal), messages.ERROR)
            else:
                self.message_user(request, _("Approved: %(reset)s") % {"reset": reset},
                                  messages.SUCCESS)
