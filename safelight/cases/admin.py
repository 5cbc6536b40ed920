"""Staff administration of reply templates. Every save goes through save_template (versioned,
audited). An administrator who is not a superuser sees and writes only their own organisation's
templates."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.db.models import Model
from django.http import HttpRequest
from django.template.defaultfilters import linebreaksbr
from django.utils import formats, timezone
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from safelight.accounts.admin_scoping import ScopedAdmin, ScopedInline, admin_user, scope_of
from safelight.accounts.models import Organisation
from safelight.cases.models import ReplyTemplate, ReplyTemplateRevision
from safelight.cases.reply_templates import (
    kind_order,
    placeholder_help,
    review_status,
    template_errors,
    validate_placeholders,
)
from safelight.cases.template_actions import save_template


def _own_organisation(request: HttpRequest) -> Organisation | None:
    return scope_of(request).organisation


def _sees_every_organisation(request: HttpRequest) -> bool:
    return scope_of(request).operator


class ReplyTemplateForm(forms.ModelForm):
    keep_review = forms.BooleanField(
        label=gettext_lazy("The reviewer has read the changed text"),
        required=False,
        help_text=gettext_lazy(
            "A review is of one text. Leave this unticked when you change the text without a "
            "new review: the new version is then shown as not yet reviewed."
        ),
    )

    class Meta:
        model = ReplyTemplate
        fields = ("organisation", "kind", "name", "language", "active", "body", "reviewer",
                  "reviewed_on")
        help_texts = {
            "language": gettext_lazy("The language of the text: a code such as en, fr or pt-br."),
            "active": gettext_lazy("Switch off to stop offering it; replies that used it keep "
                                   "their record."),
            "reviewer": gettext_lazy("The expert who reviewed this exact text. Leave empty until "
                                     "someone has."),
            "reviewed_on": gettext_lazy("When they reviewed it. A review counts for two years."),
        }

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        body = self.fields["body"]
        body.validators.append(validate_placeholders)
        body.help_text = gettext_lazy(
            "Words in [square brackets] are notes for the handler to replace. Curly brackets are "
            "only for the placeholders listed above."
        )

    def clean(self) -> dict[str, Any]:
        super().clean()
        cleaned = self.cleaned_data
        errors = template_errors(
            body=None,  # the field's validator already checked it
            reviewer=cleaned.get("reviewer", ""),
            reviewed_on=cleaned.get("reviewed_on"),
            language=cleaned.get("language", ""),
        )
        for field, messages in errors.items():
            for message in messages:
                self.add_error(field, message)
        return cleaned


class RevisionInline(ScopedInline, admin.TabularInline):
    """Every version of the text, newest first; read only."""

    model = ReplyTemplateRevision
    extra = 0
    can_delete = False
    ordering = ("-version",)
    fields = ("version_number", "saved", "reviewed_by", "review_date", "text")
    readonly_fields = fields
    verbose_name = gettext_lazy("version")
    verbose_name_plural = gettext_lazy("versions, newest first")

    @admin.display(description=gettext_lazy("version"))
    def version_number(self, obj: ReplyTemplateRevision) -> int:
        return obj.version

    @admin.display(description=gettext_lazy("saved"))
    def saved(self, obj: ReplyTemplateRevision) -> str:
        return formats.date_format(timezone.localtime(obj.saved_at), "DATETIME_FORMAT")

    @admin.display(description=gettext_lazy("reviewed by"))
    def reviewed_by(self, obj: ReplyTemplateRevision) -> str:
        return obj.reviewer or "—"

    @admin.display(description=gettext_lazy("review date"))
    def review_date(self, obj: ReplyTemplateRevision) -> str:
        return formats.date_format(obj.reviewed_on) if obj.reviewed_on else "—"

    @admin.display(description=gettext_lazy("text"))
    def text(self, obj: ReplyTemplateRevision) -> str:
        return linebreaksbr(obj.body)  # escapes the text, then marks the line breaks

    def has_add_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    # Whoever may see the template may see its versions (ScopedInline: the parent's scope).


@admin.register(ReplyTemplate)
class ReplyTemplateAdmin(ScopedAdmin):
    form = ReplyTemplateForm
    inlines = [RevisionInline]
    search_fields = ("name",)

    @admin.display(description=gettext_lazy("review"))
    def review(self, obj: ReplyTemplate) -> str:
        if obj.pk is None:
            return "—"
        return review_status(obj).label

    @admin.display(description=gettext_lazy("review"))
    def review_label(self, obj: ReplyTemplate) -> str:
        return review_status(obj).short_label

    def get_list_display(self, request: HttpRequest):
        columns = ("name", "kind", "language", "version", "review_label", "active")
        if _sees_every_organisation(request):
            return ("organisation", *columns)
        return columns

    def get_ordering(self, request: HttpRequest):
        return ("organisation__name", kind_order().asc(), "language", "name")

    def get_list_filter(self, request: HttpRequest):
        filters = ("kind", "language", "active")
        if _sees_every_organisation(request):
            return ("organisation", *filters)
        return filters

    def get_fieldsets(self, request: HttpRequest, obj: ReplyTemplate | None = None):
        placeholders = format_html(
            "<p>{}</p><ul>{}</ul>",
            _("These placeholders are filled in when a handler starts a reply from the template:"),
            format_html_join("", "<li><code>{}</code>: {}</li>", placeholder_help()),
        )
        review_fields = ("reviewer", "reviewed_on") + (("keep_review", "review") if obj else ())
        return (
            (None, {"fields": ("organisation", "kind", "name", "language", "active")}),
            (_("Text"), {"fields": ("body",), "description": placeholders}),
            (_("Expert review"), {
                "fields": review_fields,
                "description": _(
                    "Record a review only when someone who knows the field has read this exact "
                    "text. Handlers see who reviewed it and when; until then they see that it "
                    "has not been reviewed. A change of the text, reviewer or date makes a new "
                    "version."
                ),
            }),
            (_("Version"), {"fields": ("version", "updated_at")}),
        )

    def get_readonly_fields(self, request: HttpRequest, obj: ReplyTemplate | None = None):
        fields = ("version", "updated_at", "review")
        if obj is not None:
            return ("organisation", *fields)  # a template never moves to another organisation
        return fields

    def get_queryset(self, request: HttpRequest):
        templates = super().get_queryset(request).select_related("organisation")
        if _sees_every_organisation(request):
            return templates
        organisation = _own_organisation(request)
        if organisation is None:
            return templates.none()
        return templates.filter(organisation=organisation)

    def formfield_for_foreignkey(self, db_field, request: HttpRequest, **kwargs):
        if db_field.name == "organisation" and not _sees_every_organisation(request):
            organisation = _own_organisation(request)
            kwargs["queryset"] = (
                Organisation.objects.filter(pk=organisation.pk)
                if organisation is not None else Organisation.objects.none()
            )
            kwargs["empty_label"] = None
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def get_changeform_initial_data(self, request: HttpRequest) -> dict:
        initial = super().get_changeform_initial_data(request)
        organisation = _own_organisation(request)
        if organisation is not None:
            initial.setdefault("organisation", organisation.pk)
        return initial

    def get_inline_instances(self, request: HttpRequest, obj: ReplyTemplate | None = None):
        return super().get_inline_instances(request, obj) if obj is not None else []

    def save_model(self, request: HttpRequest, obj: ReplyTemplate, form, change: bool) -> None:
        save_template(template=obj, actor=admin_user(request),
                      keep_review=form.cleaned_data.get("keep_review", False))

    def has_delete_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False  # replies record the template they used; switch it off instead
