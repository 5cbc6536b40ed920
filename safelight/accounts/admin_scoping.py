"""Who sees what in the staff administration, and the audit of everything done there.

Two roles use the administration (docs/security.md, "What an administrator can and cannot do"):

- a platform operator (a Django superuser with no handler account) manages organisations and
  sees every organisation's setup, but is not a handler: no key pair, no report;
- an organisation administrator (a handler whose account is staff, never a superuser) sees and
  changes only what belongs to their own organisation, on every page, list, filter,
  autocomplete, form choice and action.

Every ModelAdmin of Safelight inherits `ScopedAdmin`. Everything an administration page adds,
changes or deletes, and every list action, also lands in Safelight's audit log (who, what, which
object, when; never content), not only in Django's own admin log.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable
from typing import Any

from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.models import User
from django.core.exceptions import FieldDoesNotExist, PermissionDenied
from django.db import models
from django.http import HttpRequest

from safelight.accounts.models import Handler, Organisation
from safelight.audit.actions import record

# Models whose way to their organisation is not a chain of forward foreign keys.
_EXPLICIT_PATHS: dict[str, str] = {
    "accounts.organisation": "pk",
    "otp_totp.totpdevice": "user__handler__organisation",
}


def is_operator(user: Any) -> bool:
    """A platform operator: an active staff superuser who is not a handler of any organisation."""
    return bool(
        user is not None
        and user.is_authenticated
        and user.is_active
        and user.is_staff
        and user.is_superuser
        and not Handler.objects.filter(user=user).exists()
    )


def administered_organisation(user: Any) -> Organisation | None:
    """The organisation a staff handler administers; None for anyone else (operators too)."""
    if user is None or not user.is_authenticated or not user.is_active or not user.is_staff:
        return None
    if user.is_superuser:
        return None  # a superuser who is also a handler is neither role: refused everywhere
    handler = Handler.objects.select_related("organisation").filter(user=user).first()
    return handler.organisation if handler is not None else None


def admin_user(request: HttpRequest) -> User:
    """The user of a request the administration let in (StaffAdminSite.has_permission): signed
    in, so never anonymous; the actor of what the administration writes."""
    user = request.user
    if not user.is_authenticated:
        raise PermissionDenied
    return user


def related_model(field: Any) -> type[models.Model]:
    """The model a relation field points to: a class once the app registry is ready (before,
    it may still be "self" or a model's name)."""
    related = field.related_model
    if not isinstance(related, type):
        raise TypeError(f"{field} points to {related!r}, not a model")
    return related


def organisation_path(model: type[models.Model]) -> str | None:
    """The lookup from `model` to its organisation ("organisation", "step__questionnaire__..."),
    found through forward foreign keys; None when the model has no organisation."""
    label = model._meta.label_lower
    if label in _EXPLICIT_PATHS:
        return _EXPLICIT_PATHS[label]
    if model is get_user_model():
        return "handler__organisation"
    queue: deque[tuple[type[models.Model], str, int]] = deque([(model, "", 0)])
    while queue:
        current, prefix, depth = queue.popleft()
        for field in current._meta.get_fields():
            if not (field.many_to_one or field.one_to_one) or not field.concrete:
                continue
            related = related_model(field)
            path = f"{prefix}{field.name}"
            if related is Organisation:
                return path
            if depth < 3 and related is not get_user_model():
                queue.append((related, f"{path}__", depth + 1))
    return None


def scope_queryset(queryset: models.QuerySet, organisation: Organisation | None) -> models.QuerySet:
    """Only the rows of `organisation`; nothing when the model has no organisation."""
    if organisation is None:
        return queryset.none()
    path = organisation_path(queryset.model)
    if path is None:
        return queryset.none()
    # Forward foreign keys (and the user's one handler) never repeat a row: no distinct(),
    # which delete() would refuse.
    return queryset.filter(**{path: organisation.pk})


def _belongs(obj: models.Model, organisation: Organisation) -> bool:
    """Whether a stored object belongs to `organisation`, asked of the database."""
    return scope_queryset(type(obj)._default_manager.filter(pk=obj.pk), organisation).exists()


def organisation_of(obj: models.Model) -> Organisation | None:
    """The organisation an object belongs to (for the audit event), read along its path."""
    if isinstance(obj, Organisation):
        return obj
    path = organisation_path(type(obj))
    if path is None:
        return None
    value: Any = obj
    for part in path.split("__"):
        if value is None:
            return None
        try:
            value = getattr(value, part)
        except (AttributeError, models.ObjectDoesNotExist):
            return None
    return value if isinstance(value, Organisation) else None


class _Scope:
    """The role of the request's user, worked out once per request."""

    def __init__(self, request: HttpRequest) -> None:
        self.operator = is_operator(request.user)
        self.organisation = None if self.operator else administered_organisation(request.user)

    @property
    def allowed(self) -> bool:
        return self.operator or self.organisation is not None


def scope_of(request: HttpRequest) -> _Scope:
    scope = getattr(request, "_safelight_admin_scope", None)
    if scope is None or scope.user_pk != getattr(request.user, "pk", None):
        scope = _Scope(request)
        scope.user_pk = getattr(request.user, "pk", None)  # type: ignore[attr-defined]
        request._safelight_admin_scope = scope  # type: ignore[attr-defined]
    return scope


class ScopedAdmin(admin.ModelAdmin):
    """The base of every Safelight ModelAdmin: organisation scoping and audit events.

    `operator_only`: only the platform operator may see the model at all.
    `operator_only_fields`: fields an organisation administrator sees read only.
    """

    operator_only: bool = False
    operator_only_fields: tuple[str, ...] = ()

    # Which rows ---------------------------------------------------------------------------------

    def get_queryset(self, request: HttpRequest):
        queryset = super().get_queryset(request)
        scope = scope_of(request)
        if scope.operator:
            return queryset
        if self.operator_only:
            return queryset.none()
        return scope_queryset(queryset, scope.organisation)

    def _owns(self, request: HttpRequest, obj: models.Model | None) -> bool:
        scope = scope_of(request)
        if scope.operator:
            return True
        if scope.organisation is None or self.operator_only:
            return False
        if obj is None or obj.pk is None:
            return True
        return _belongs(obj, scope.organisation)

    # Permissions ------------------------------------------------------------------------------
    # An organisation administrator has no Django model permissions: the role is the permission,
    # limited to the organisation. A ModelAdmin's own refusals (returning False) still apply.

    def has_module_permission(self, request: HttpRequest) -> bool:
        scope = scope_of(request)
        if scope.operator:
            return super().has_module_permission(request)
        return scope.organisation is not None and not self.operator_only

    def has_view_permission(self, request: HttpRequest, obj: models.Model | None = None) -> bool:
        if scope_of(request).operator:
            return super().has_view_permission(request, obj)
        return self._owns(request, obj)

    def has_add_permission(self, request: HttpRequest, *args: Any) -> bool:
        if scope_of(request).operator:
            return super().has_add_permission(request, *args)
        return self._owns(request, None)

    def has_change_permission(self, request: HttpRequest, obj: models.Model | None = None) -> bool:
        if scope_of(request).operator:
            return super().has_change_permission(request, obj)
        return self._owns(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: models.Model | None = None) -> bool:
        if scope_of(request).operator:
            return super().has_delete_permission(request, obj)
        return self._owns(request, obj)

    # Choices in forms, filters --------------------------------------------------------------------

    def _limit_choices(self, db_field: models.Field, request: HttpRequest, kwargs: dict) -> None:
        scope = scope_of(request)
        if scope.operator:
            return
        base = kwargs.get("queryset")
        if base is None:
            base = related_model(db_field)._default_manager.all()
        kwargs["queryset"] = scope_queryset(base, scope.organisation)

    def formfield_for_foreignkey(self, db_field, request: HttpRequest, **kwargs):
        self._limit_choices(db_field, request, kwargs)
        if db_field.related_model is Organisation and not scope_of(request).operator:
            kwargs.setdefault("empty_label", None)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(self, db_field, request: HttpRequest, **kwargs):
        self._limit_choices(db_field, request, kwargs)
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    def get_form(self, request: HttpRequest, obj=None, change: bool = False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        if scope_of(request).operator:
            return form
        return scoped_form(form, scope_of(request).organisation)

    def get_changeform_initial_data(self, request: HttpRequest) -> dict[str, Any]:
        initial: dict[str, Any] = super().get_changeform_initial_data(request)
        organisation = scope_of(request).organisation
        if organisation is not None and "organisation" in {
            f.name for f in self.model._meta.get_fields()
        }:
            initial.setdefault("organisation", organisation.pk)
        return initial

    def get_readonly_fields(self, request: HttpRequest, obj=None):
        fields = tuple(super().get_readonly_fields(request, obj))
        if scope_of(request).operator:
            return fields
        return fields + tuple(f for f in self.operator_only_fields if f not in fields)

    def get_list_filter(self, request: HttpRequest):
        filters = super().get_list_filter(request)
        if scope_of(request).operator:
            return filters
        scoped: list = []
        for item in filters:
            if isinstance(item, str):
                if item == "organisation" or item.endswith("__organisation"):
                    continue  # one organisation only: no filter, no other organisation's name
                field = _field_at(self.model, item)
                if field is not None and field.is_relation:
                    scoped.append((item, admin.RelatedOnlyFieldListFilter))
                    continue
            scoped.append(item)
        return scoped

    # Actions, audited ---------------------------------------------------------------------------

    def get_actions(self, request: HttpRequest):
        actions = super().get_actions(request)
        if not scope_of(request).allowed:
            return {}
        audited: dict[str, tuple[Callable[..., Any], str, str] | None] = {}
        for key, entry in actions.items():
            if entry is None:  # never from Django, but its types allow it
                audited[key] = entry
                continue
            func, name, text = entry
            audited[name] = (
                _audited_action(name, func) if name != "delete_selected" else func, name, text)
        return audited

    # Audit of what the administration pages write ------------------------------------------

    def log_addition(self, request: HttpRequest, obj: models.Model, message: Any):
        entry = super().log_addition(request, obj, message)
        audit_admin_event(request, "add", obj)
        return entry

    def log_change(self, request: HttpRequest, obj: models.Model, message: Any):
        entry = super().log_change(request, obj, message)
        audit_admin_event(request, "change", obj)
        return entry

    def log_deletions(self, request: HttpRequest, queryset):
        objects = list(queryset)
        for obj in objects:
            audit_admin_event(request, "delete", obj)
        # The rows as read before they are deleted; Django iterates whatever it is given, its
        # types say QuerySet only.
        return super().log_deletions(request, objects)  # type: ignore[arg-type]


def scoped_form(form: type, organisation: Organisation | None) -> type:
    """`form`, with every choice of objects (also fields the form declares itself, not made by
    formfield_for_*) limited to `organisation`. A subclass: the declared fields are shared."""

    class Scoped(form):  # type: ignore[valid-type, misc]
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            for field in self.fields.values():
                queryset = getattr(field, "queryset", None)
                if queryset is not None:
                    field.queryset = scope_queryset(queryset, organisation)

    Scoped.__name__ = form.__name__
    Scoped.__qualname__ = form.__qualname__
    return Scoped


class ScopedInline:
    """The base of every inline: the rows of an object the administrator may see, with the
    parent's permissions, and choices limited to the organisation (autocompletes included)."""

    def _parent_owned(self, request: HttpRequest, obj: models.Model | None) -> bool:
        scope = scope_of(request)
        if scope.organisation is None:
            return False
        if obj is None or obj.pk is None:
            return True
        return _belongs(obj, scope.organisation)

    def get_queryset(self, request: HttpRequest):
        queryset = super().get_queryset(request)  # type: ignore[misc]
        if scope_of(request).operator:
            return queryset
        return scope_queryset(queryset, scope_of(request).organisation)

    def has_view_permission(self, request: HttpRequest, obj: models.Model | None = None) -> bool:
        if scope_of(request).operator:
            return super().has_view_permission(request, obj)  # type: ignore[misc]
        return self._parent_owned(request, obj)

    def has_add_permission(self, request: HttpRequest, obj: models.Model | None = None) -> bool:
        if scope_of(request).operator:
            return super().has_add_permission(request, obj)  # type: ignore[misc]
        return self._parent_owned(request, obj)

    def has_change_permission(self, request: HttpRequest, obj: models.Model | None = None) -> bool:
        if scope_of(request).operator:
            return super().has_change_permission(request, obj)  # type: ignore[misc]
        return self._parent_owned(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: models.Model | None = None) -> bool:
        if scope_of(request).operator:
            return super().has_delete_permission(request, obj)  # type: ignore[misc]
        return self._parent_owned(request, obj)

    def formfield_for_foreignkey(self, db_field, request: HttpRequest, **kwargs):
        if not scope_of(request).operator:
            base = kwargs.get("queryset", db_field.related_model._default_manager.all())
            kwargs["queryset"] = scope_queryset(base, scope_of(request).organisation)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)  # type: ignore[misc]

    def formfield_for_manytomany(self, db_field, request: HttpRequest, **kwargs):
        if not scope_of(request).operator:
            base = kwargs.get("queryset", db_field.related_model._default_manager.all())
            kwargs["queryset"] = scope_queryset(base, scope_of(request).organisation)
        return super().formfield_for_manytomany(db_field, request, **kwargs)  # type: ignore[misc]


def _field_at(model: type[models.Model], lookup: str) -> models.Field | None:
    current: Any = model
    field = None
    for part in lookup.split("__"):
        try:
            field = current._meta.get_field(part)
        except FieldDoesNotExist:  # a method or a custom filter, not a model field
            return None
        current = field.related_model
        if current is None:
            break
    return field


def audit_admin_event(request: HttpRequest, verb: str, obj: models.Model) -> None:
    """One audit event for one object touched in the administration: who, what, which, when."""
    action = f"admin.{verb}:{obj._meta.label_lower}"[:64]
    record(action=action, actor=admin_user(request), organisation=organisation_of(obj),
           target=obj)


def _audited_action(name: str, func: Callable) -> Callable:
    def audited(modeladmin: admin.ModelAdmin, request: HttpRequest, queryset):
        chosen = list(queryset)
        for obj in chosen:
            audit_admin_event(request, f"action.{name}", obj)
        return func(modeladmin, request, queryset.filter(pk__in=[o.pk for o in chosen]))

    audited.__name__ = getattr(func, "__name__", name)
    for attribute in ("short_description", "allowed_permissions"):
        if hasattr(func, attribute):
            setattr(audited, attribute, getattr(func, attribute))
    return audited
