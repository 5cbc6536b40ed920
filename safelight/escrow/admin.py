"""Staff administration of "report together": whether it is offered, the default country for
phone numbers, and who the escrow counsellors are.

Entries and matches are not here: nothing useful about them is in clear, and counsellors open
matches on their own pages (/staff/escrow/). Every save is audited (intake.setup_actions).
"""

from __future__ import annotations

import re

import phonenumbers
from django import forms
from django.contrib import admin, messages
from django.http import HttpRequest
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from safelight.accounts.admin_scoping import ScopedAdmin
from safelight.accounts.models import Handler
from safelight.escrow import keyservices
from safelight.escrow.models import EscrowSettings
from safelight.intake.setup_actions import save_setup

_REGION = re.compile(r"[A-Z]{2}")


def known_region(code: str) -> bool:
    if not _REGION.fullmatch(code):
        return False
    return code in phonenumbers.SUPPORTED_REGIONS


class EscrowSettingsForm(forms.ModelForm):
    class Meta:
        model = EscrowSettings
        fields = ["organisation", "enabled", "phone_region", "counsellors"]

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        counsellors = self.fields.get("counsellors")
        if isinstance(counsellors, forms.ModelChoiceField) and self.instance.pk:
            counsellors.queryset = Handler.objects.filter(
                organisation_id=self.instance.organisation_id
            ).select_related("user")

    def clean_phone_region(self) -> str:
        code = self.cleaned_data.get("phone_region", "").strip().upper()
        if code and not known_region(code):
            raise forms.ValidationError(
                _("Write the country as its two-letter code, for example GB, DE or KE, or leave "
                  "it empty."),
                code="region",
            )
        return code

    def clean(self):
        data = super().clean()
        organisation = data.get("organisation") or (
            self.instance.organisation if self.instance.pk else None
        )
        chosen = data.get("counsellors")
        if organisation is not None and chosen is not None:
            others = [h for h in chosen if h.organisation_id != organisation.pk]
            if others:
                self.add_error("counsellors", _(
                    "Counsellors must be handlers of %(organisation)s: %(names)s is not."
                ) % {"organisation": organisation,
                     "names": ", ".join(h.user.get_username() for h in others)})
        return data


@admin.register(EscrowSettings)
class EscrowSettingsAdmin(ScopedAdmin):
    form = EscrowSettingsForm
    list_display = ("organisation", "enabled", "phone_region", "counsellor_names")
    list_filter = ("enabled",)
    filter_horizontal = ("counsellors",)

    def get_readonly_fields(self, request: HttpRequest, obj=None):
        # Settings belong to one organisation for good: counsellors are its handlers.
        return ("organisation",) if obj is not None else ()

    @admin.display(description=gettext_lazy("escrow counsellors"))
    def counsellor_names(self, obj: EscrowSettings) -> str:
        return ", ".join(h.user.get_username() for h in obj.counsellors.select_related("user"))

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return False  # held reports wait on these counsellors; switch it off instead

    def save_model(self, request: HttpRequest, obj: EscrowSettings, form, change: bool) -> None:
        save_setup(obj=obj, actor=request.user)

    def save_related(self, request: HttpRequest, form, formsets, change: bool) -> None:
        super().save_related(request, form, formsets, change)
        for note in setup_notes(form.instance):
            self.message_user(request, note, messages.WARNING)


def setup_notes(found: EscrowSettings) -> list[str]:
    """What still stops reporters from using "report together", in plain words."""
    notes: list[str] = []
    counsellors = list(found.counsellors.select_related("user"))
    if found.enabled and not keyservices.configured():
        notes.append(_(
            "“Report together” is switched on, but two key services are not configured, so "
            "reporters will not be offered it yet. See docs/escrow.md."
        ))
    if found.enabled and not any(h.public_key is not None for h in counsellors):
        notes.append(_(
            "“Report together” is switched on, but no counsellor has signed in yet, so there is "
            "no key to seal entries to and reporters will not be offered it. Choose a counsellor "
            "and ask them to sign in once."
        ))
    waiting = [h.user.get_username() for h in counsellors if h.public_key is None]
    if waiting and any(h.public_key is not None for h in counsellors):
        notes.append(_(
            "Entries are sealed only to counsellors who have signed in at least once. Not yet "
            "signed in: %(names)s."
        ) % {"names": ", ".join(waiting)})
    return notes
