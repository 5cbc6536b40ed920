"""Staff administration of channels and questionnaires. Reports are not here: nothing in the
admin can show what a reporter wrote. Every save goes through setup_actions (audited).

What reporters read (a channel's words, a step's, its questions') is written one language at a
time, with the language tabs above the form (safelight.accounts.content_admin); the form says
which languages are still missing, the lists show every row's languages. A questionnaire's name
is for staff only and has no translations.
"""

from django.contrib import admin
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from safelight.accounts.admin_scoping import ScopedAdmin, ScopedInline
from safelight.accounts.content_admin import TranslatedContentAdmin, TranslatedStackedInline
from safelight.intake.setup_actions import delete_setup, neutral_channel_slug, save_setup
from safelight.reports.models import Channel, Question, Questionnaire, Recipient, Step


class AuditedAdminMixin:
    def save_model(self, request: HttpRequest, obj, form, change: bool) -> None:
        save_setup(obj=obj, actor=request.user)

    def delete_model(self, request: HttpRequest, obj) -> None:
        delete_setup(obj=obj, actor=request.user)

    def delete_queryset(self, request: HttpRequest, queryset) -> None:
        for obj in queryset:
            delete_setup(obj=obj, actor=request.user)

    def save_formset(self, request: HttpRequest, form, formset, change: bool) -> None:
        instances = formset.save(commit=False)
        for obj in formset.deleted_objects:
            delete_setup(obj=obj, actor=request.user)
        for obj in instances:
            save_setup(obj=obj, actor=request.user)
        formset.save_m2m()


class RecipientInline(ScopedInline, admin.TabularInline):
    model = Recipient
    extra = 1
    autocomplete_fields = ("handler",)


@admin.register(Channel)
class ChannelAdmin(TranslatedContentAdmin, AuditedAdminMixin, ScopedAdmin):
    list_display = ("name", "organisation", "active", "questionnaire", "recipient_count",
                    "translated_languages")
    list_filter = ("organisation", "active")
    # No slug made from the name: the address is kept in browsers' history (neutral_channel_slug).
    inlines = [RecipientInline]
    readonly_fields = ("translation_status",)
    fieldsets = (
        (None, {"fields": ("translation_status", "organisation", "name", "slug", "position",
                           "active")}),
        (_("What reporters read"), {"fields": ("description", "who_reads")}),
        (_("Questions and limits"), {"fields": ("questionnaire", "max_file_mb", "max_report_mb")}),
        (_("Deadlines"), {"fields": ("acknowledge_days", "feedback_days", "checkin_days")}),
    )

    def get_changeform_initial_data(self, request: HttpRequest) -> dict:
        return {"slug": neutral_channel_slug(None), **super().get_changeform_initial_data(request)}

    def formfield_for_dbfield(self, db_field, request: HttpRequest, **kwargs):
        field = super().formfield_for_dbfield(db_field, request, **kwargs)
        if db_field.name == "slug" and field is not None:
            field.help_text = _(
                "Part of the address of every page of this channel, which browsers keep in their "
                "history. Keep it neutral, such as “form-1”: never what the channel is for."
            )
        return field

    def get_queryset(self, request: HttpRequest):
        return super().get_queryset(request).prefetch_related("translations")

    @admin.display(description=_("recipients"))
    def recipient_count(self, obj: Channel) -> int:
        return obj.recipient_set.count()

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return False  # reports hang off a channel; switch it off ("taking reports") instead


class StepInline(ScopedInline, admin.TabularInline):
    """A questionnaire's steps, in order. Their words are edited on each step's own page, one
    language a tab (a questionnaire itself has no languages to switch between)."""

    model = Step
    extra = 0
    fields = ("position", "step_title", "step_languages")
    readonly_fields = ("step_title", "step_languages")
    show_change_link = True

    def has_add_permission(self, request: HttpRequest, obj=None) -> bool:
        return False  # a new step is written on the step page, in a language

    def get_queryset(self, request: HttpRequest):
        return super().get_queryset(request).prefetch_related("translations")

    @admin.display(description=_("title"))
    def step_title(self, obj: Step) -> str:
        return obj.title if obj.pk else ""

    @admin.display(description=_("languages"))
    def step_languages(self, obj: Step) -> str:
        return TranslatedContentAdmin.translated_languages(self, obj)  # type: ignore[arg-type]


@admin.register(Questionnaire)
class QuestionnaireAdmin(AuditedAdminMixin, ScopedAdmin):
    list_display = ("name", "organisation")
    list_filter = ("organisation",)
    inlines = [StepInline]


class QuestionInline(ScopedInline, TranslatedStackedInline):
    """A step's questions, in the language of the step page's tab."""

    model = Question
    fk_name = "step"
    extra = 0
    fields = (
        ("position", "key", "kind", "required", "identity"),
        "label",
        "help_text",
        "choices",
        ("show_if", "show_if_value"),
    )

    def get_queryset(self, request: HttpRequest):
        return super().get_queryset(request).prefetch_related("translations")


@admin.register(Step)
class StepAdmin(TranslatedContentAdmin, AuditedAdminMixin, ScopedAdmin):
    list_display = ("title", "questionnaire", "position", "translated_languages")
    list_filter = ("questionnaire",)
    readonly_fields = ("translation_status",)
    fields = ("translation_status", "questionnaire", "position", "title", "introduction")
    inlines = [QuestionInline]

    def get_queryset(self, request: HttpRequest):
        return super().get_queryset(request).select_related(
            "questionnaire__organisation").prefetch_related("translations")
