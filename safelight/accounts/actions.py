"""Every write to organisations and handlers: atomic, one audit event each."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.db import transaction

from safelight.accounts.models import Handler, Organisation
from safelight.audit.actions import record


@transaction.atomic
def create_organisation(
    *, name: str, slug: str, introduction: str = "", urgent_help: str = "", quick_exit_url: str = ""
) -> Organisation:
    organisation = Organisation(
        name=name,
        slug=slug,
        introduction=introduction,
        urgent_help=urgent_help,
        quick_exit_url=quick_exit_url,
    )
    return save_organisation(organisation=organisation)


@transaction.atomic
def save_organisation(*, organisation: Organisation, actor=None) -> Organisation:
    """Validate and store a new or edited organisation (the admin's forms call this too)."""
    created = organisation.pk is None
    organisation.full_clean()
    organisation.save()
    action = "organisation.create" if created else "organisation.change"
    record(action=action, actor=actor, organisation=organisation, target=organisation)
    return organisation


@transaction.atomic
def create_handler(
    *,
    organisation: Organisation,
    username: str,
    password: str,
    email: str = "",
    administrator: bool = False,
    actor=None,
) -> Handler:
    """A handler account. `administrator` also opens the staff administration (Django admin)."""
    user_model = get_user_model()
    user = user_model(
        username=username, email=email, is_staff=administrator, is_superuser=administrator
    )
    validate_password(password, user)
    user.set_password(password)
    user.full_clean()
    user.save()
    handler = Handler.objects.create(user=user, organisation=organisation)
    record(action="handler.create", actor=actor, organisation=organisation, target=handler)
    return handler
