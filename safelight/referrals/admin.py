"""Staff administration of the referrals directory: entries, their checking, HSDS import/export.

Every save goes through referrals.actions (validated, audited). Entries not verified for 12 months
are flagged: a column, a filter, and a message at the top of the list. A service's words are
written one language at a time (the language tabs above the form); the form and the list say
which languages are still missing.
"""

from __future__ import annotations

import io
from typing import TypeVar, cast

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db import models
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from parler.forms import TranslatableModelForm

from safelight.accounts.admin_scoping import ScopedAdmin, scope_of, scope_queryset
from safelight.accounts.content_admin import TranslatedContentAdmin
from safelight.downloads import attachment
from safelight.referrals import hsds_json
from safelight.referrals.actions import delete_service, import_hsds, mark_verified, save_service
from safelight.referrals.exports import export_file
from safelight.referrals.forms import ExportForm, ImportForm
from safelight.referrals.models import Category, Service

MAX_UPLOAD_BYTES = hsds_json.MAX_BYTES
AnyForm = TypeVar("AnyForm", bound=forms.Form)


def _formfield(field: models.Field, **kwargs) -> forms.Field | None:
    if isinstance(field, models.URLField):
        kwargs.setdefault("assume_scheme", "https")
    return field.formfield(**kwargs)


class ServiceAdminForm(TranslatableModelForm):
    categories = forms.MultipleChoiceField(
        label=gettext_lazy("kinds of help"), choices=Category.choices, required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = Service
        fields = [
            "organisation", "name", "provider", "description", "regions", "languages", "phone",
            "text_number", "email", "website", "chat_url", "hours", "accessibility", "eligibility",
            "cost", "last_verified", "active",
        ]
        formfield_callback = _formfield

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.initial["categories"] = self.instance.category_codes()


class StaleFilter(admin.SimpleListFilter):
    title = gettext_lazy("not verified for 12 months")
    parameter_name = "stale"

    def lookups(self, request, model_admin):
        return [("yes", gettext_lazy("Yes")), ("no", gettext_lazy("No"))]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.stale()
        if self.value() == "no":
            return queryset.exclude(pk__in=Service.objects.stale().values("pk"))
        return queryset


@admin.register(Service)
class ServiceAdmin(TranslatedContentAdmin, ScopedAdmin):
    form = ServiceAdminForm
    change_list_template = "referrals/admin/service_change_list.html"
    list_display = ("name", "organisation", "kinds", "active", "last_verified", "is_stale",
                    "translated_languages")
    list_filter = ("organisation", "active", StaleFilter, "categories__code")
    search_fields = ("name", "provider", "translations__description", "regions")
    readonly_fields = ("translation_status", "hsds_id", "created_at", "updated_at")
    actions = ["mark_verified_today"]
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    fieldsets = (
        (None, {"fields": ("translation_status", "organisation", "name", "provider",
                           "categories", "description", "active")}),
        (gettext_lazy("How to reach it"),
         {"fields": ("phone", "text_number", "email", "website", "chat_url", "hours")}),
        (gettext_lazy("Who and where"),
         {"fields": ("regions", "languages", "eligibility", "cost", "accessibility")}),
        (gettext_lazy("Checking"),
         {"fields": ("last_verified", "hsds_id", "created_at", "updated_at")}),
    )

    def get_queryset(self, request: HttpRequest):
        return super().get_queryset(request).prefetch_related("categories", "translations")

    @admin.display(description=gettext_lazy("kinds of help"))
    def kinds(self, obj: Service) -> str:
        return ", ".join(obj.category_labels())

    @admin.display(description=gettext_lazy("stale (not verified for 12 months)"), boolean=True)
    def is_stale(self, obj: Service) -> bool:
        return obj.stale

    @admin.action(description=gettext_lazy("Mark as verified today"))
    def mark_verified_today(self, request: HttpRequest, queryset) -> None:
        count = mark_verified(services=queryset, actor=request.user)
        self.message_user(request, ngettext(
            "%(count)d entry marked as verified today.",
            "%(count)d entries marked as verified today.", count,
        ) % {"count": count}, messages.SUCCESS)

    def save_model(self, request: HttpRequest, obj: Service, form, change: bool) -> None:
        save_service(service=obj, categories=form.cleaned_data.get("categories", []),
                     actor=request.user)

    def delete_model(self, request: HttpRequest, obj: Service) -> None:
        delete_service(service=obj, actor=request.user)

    def delete_queryset(self, request: HttpRequest, queryset) -> None:
        for obj in queryset:
            delete_service(service=obj, actor=request.user)

    def changelist_view(self, request: HttpRequest, extra_context=None):
        if request.method == "GET":
            stale = Service.objects.active().stale().count()
            if stale:
                self.message_user(request, ngettext(
                    "%(count)d listed entry has not been verified for 12 months. Check it with "
                    "the service, then choose “Mark as verified today”.",
                    "%(count)d listed entries have not been verified for 12 months. Check them "
                    "with the services, then choose “Mark as verified today”.", stale,
                ) % {"count": stale}, messages.WARNING)
        return super().changelist_view(request, extra_context)

    def get_urls(self):
        return [
            path("hsds/", self.admin_site.admin_view(self.hsds_view),
                 name="referrals_service_hsds"),
            path("hsds/export/", self.admin_site.admin_view(self.export_view),
                 name="referrals_service_export"),
            *super().get_urls(),
        ]

    def _scoped(self, request: HttpRequest, form: AnyForm) -> AnyForm:
        return _scoped_form(request, form)

    def hsds_view(self, request: HttpRequest) -> HttpResponse:
        """Upload an HSDS file to import; the result is shown on the same page."""
        if not (self.has_add_permission(request) and self.has_change_permission(request)):
            raise PermissionDenied
        own = scope_of(request).organisation
        initial = {"organisation": own} if own else {}
        result = None
        if request.method == "POST":
            form = self._scoped(request, ImportForm(request.POST, request.FILES))
            if form.is_valid():
                content = _upload_content(form)
                if content is not None:
                    result = import_hsds(
                        organisation=form.cleaned_data["organisation"],
                        file=io.BytesIO(content), actor=request.user,
                    )
                    if result.file_error:
                        form.add_error("file", result.file_error)
                        result = None
        else:
            form = self._scoped(request, ImportForm(initial=initial))
        context = {
            **self.admin_site.each_context(request),
            "title": _("Import or export the directory (Open Referral HSDS)"),
            "opts": self.model._meta,
            "form": form,
            "export_form": self._scoped(request, ExportForm(initial=initial)),
            "result": result,
        }
        return TemplateResponse(request, "referrals/admin/hsds.html", context)

    def export_view(self, request: HttpRequest) -> HttpResponse:
        if not self.has_view_permission(request):
            raise PermissionDenied
        form = self._scoped(request, ExportForm(request.GET))
        if not form.is_valid():
            self.message_user(request, _("Choose a directory and a format to export."),
                              messages.ERROR)
            return HttpResponseRedirect(reverse("admin:referrals_service_hsds"))
        export = export_file(form.cleaned_data["organisation"], form.cleaned_data["format"])
        response = HttpResponse(export.content, content_type=export.content_type)
        response["Content-Disposition"] = attachment(export.filename)
        return response


def _scoped_form(request: HttpRequest, form: AnyForm) -> AnyForm:
    """An organisation administrator imports into and exports only their own directory."""
    if not scope_of(request).operator:
        field = cast(forms.ModelChoiceField, form.fields["organisation"])
        if field.queryset is None:  # a model choice field always has one
            raise TypeError("the organisation field has no queryset")
        field.queryset = scope_queryset(field.queryset, scope_of(request).organisation)
    return form


def _upload_content(form: ImportForm) -> bytes | None:
    """The uploaded file's bytes, or None with the reason added to the form."""
    upload = form.cleaned_data["file"]
    if getattr(upload, "too_large", False) or upload.size > MAX_UPLOAD_BYTES:
        form.add_error("file", _("The file is larger than %(mb)d MB.")
                       % {"mb": MAX_UPLOAD_BYTES // 2**20})
        return None
    if getattr(upload, "storage_failed", False):
        form.add_error("file", _("The file could not be received. Please try again."))
        return None
    # Uploads arrive encrypted (safelight.reports.uploads); this one is read once, then dropped.
    if hasattr(upload, "read_plaintext"):
        return upload.read_plaintext()
    return upload.read()
