"""Staff administration of risk checklists. Every write goes through triage.actions (audited).

A checklist that an assessment used is shown read-only, items too: to change it, select it and
choose "Make a new version", edit the copy, then "Publish" it. Assessments themselves are not
here: what was ticked is sealed with the report.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, TypedDict

from django.contrib import admin, messages
from django.db.models import Count
from django.http import HttpRequest, HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from safelight.accounts.admin_scoping import ScopedAdmin, ScopedInline
from safelight.accounts.content_admin import TranslatedContentAdmin, TranslatedStackedInline
from safelight.triage import actions
from safelight.triage.access import checklist_in_use
from safelight.triage.models import RiskChecklist, RiskItem

if TYPE_CHECKING:
    from django_stubs_ext import WithAnnotations


class _Counts(TypedDict):
    """What the list's queryset annotates each checklist with."""

    _items: int
    _assessments: int


def _in_use(request: HttpRequest, checklist: RiskChecklist | None) -> bool:
    """Asked many times per page (each inline permission): remembered for the request."""
    if checklist is None or checklist.pk is None:
        return False
    cache = request.__dict__.setdefault("_triage_in_use", {})
    if checklist.pk not in cache:
        cache[checklist.pk] = checklist_in_use(checklist)
    return cache[checklist.pk]


class RiskItemInline(ScopedInline, TranslatedStackedInline):
    model = RiskItem
    extra = 0
    fields = (
        ("position", "key", "weight", "urgent_alone"),
        "handler_label",
        "question",
        "reason",
    )

    def has_add_permission(self, request: HttpRequest, obj=None) -> bool:
        return super().has_add_permission(request, obj) and not _in_use(request, obj)

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return super().has_change_permission(request, obj) and not _in_use(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return super().has_delete_permission(request, obj) and not _in_use(request, obj)


@admin.register(RiskChecklist)
class RiskChecklistAdmin(TranslatedContentAdmin, ScopedAdmin):
    list_display = ("name", "organisation", "version", "published", "item_count",
                    "assessment_count", "translated_languages")
    list_filter = ("organisation", "published")
    inlines = [RiskItemInline]
    actions = ["make_new_version", "publish_checklists"]
    fieldsets = (
        (None, {"fields": ("usage", "translation_status", "organisation", "name", "version",
                           "published")}),
        (gettext_lazy("What reporters read"), {"fields": ("introduction",)}),
        (gettext_lazy("Priority"), {"fields": ("elevated_at", "urgent_at")}),
    )

    def get_queryset(self, request: HttpRequest):
        return super().get_queryset(request).annotate(
            _items=Count("items", distinct=True), _assessments=Count("assessments", distinct=True)
        ).select_related("organisation").prefetch_related("translations")

    @admin.display(description=gettext_lazy("items"))
    def item_count(self, obj: WithAnnotations[RiskChecklist, _Counts]) -> int:
        return obj._items

    @admin.display(description=gettext_lazy("assessments"))
    def assessment_count(self, obj: WithAnnotations[RiskChecklist, _Counts]) -> int:
        return obj._assessments

    @admin.display(description=gettext_lazy("can it be edited?"))
    def usage(self, obj: RiskChecklist | None) -> str:
        if obj is None or obj.pk is None:
            return _("Yes. A new checklist gets the next version number and is not published "
                     "until you publish it.")
        count = obj.assessments.count()
        if count:
            return ngettext(
                "No: it was used for %(count)d assessment. To change it, select it in the list "
                "and choose “Make a new version”, edit the copy, then publish it.",
                "No: it was used for %(count)d assessments. To change it, select it in the list "
                "and choose “Make a new version”, edit the copy, then publish it.",
                count,
            ) % {"count": count}
        return _("Yes, until it is used for an assessment. Publish it from the list.")

    def get_readonly_fields(self, request: HttpRequest, obj=None):
        fields = ["usage", "translation_status", "version", "published"]
        if obj is not None:
            fields.append("organisation")
        return fields

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return super().has_change_permission(request, obj) and not _in_use(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return super().has_delete_permission(request, obj) and not _in_use(request, obj)

    # Writes, through actions ------------------------------------------------------------------

    def save_model(self, request: HttpRequest, obj: RiskChecklist, form, change: bool) -> None:
        actions.save_checklist(checklist=obj, actor=request.user)

    def delete_model(self, request: HttpRequest, obj: RiskChecklist) -> None:
        actions.delete_checklist(checklist=obj, actor=request.user)

    def delete_queryset(self, request: HttpRequest, queryset) -> None:
        for obj in queryset:
            actions.delete_checklist(checklist=obj, actor=request.user)

    def save_formset(self, request: HttpRequest, form, formset, change: bool) -> None:
        instances = formset.save(commit=False)
        for obj in formset.deleted_objects:
            actions.delete_item(item=obj, actor=request.user)
        for obj in instances:
            actions.save_item(item=obj, actor=request.user)
        formset.save_m2m()

    # List actions -----------------------------------------------------------------------------

    @admin.action(description=gettext_lazy("Make a new version (a copy to edit)"))
    def make_new_version(self, request: HttpRequest, queryset):
        made = [actions.new_version(checklist=checklist, actor=request.user)
                for checklist in queryset]
        for copy in made:
            self.message_user(
                request,
                _("Made “%(checklist)s”: edit it, then publish it.") % {"checklist": copy},
                messages.SUCCESS,
            )
        if len(made) == 1:
            return HttpResponseRedirect(
                reverse("admin:triage_riskchecklist_change", args=[made[0].pk])
            )
        return None

    @admin.action(description=gettext_lazy("Publish (reporters and handlers answer it)"))
    def publish_checklists(self, request: HttpRequest, queryset):
        chosen = list(queryset)
        if len({c.organisation_id for c in chosen}) != len(chosen):
            self.message_user(
                request,
                _("Publish one version per organisation at a time: only one version is "
                  "published."),
                messages.ERROR,
            )
            return
        for checklist in chosen:
            try:
                actions.publish(checklist=checklist, actor=request.user)
            except actions.CannotPublish as error:
                self.message_user(request, str(error), messages.ERROR)
            else:
                self.message_user(
                    request, _("Published “%(checklist)s”.") % {"checklist": checklist},
                    messages.SUCCESS,
                )
