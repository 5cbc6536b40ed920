"""Every write to organisations and handlers: atomic, one audit event each."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.db import transaction

from safelight.accounts.models import Handler, Organisation
from safelight.audit.actions import record
from safelight.crypto import (
    DecryptionError,
    KeyPair,
    PrivateKey,
    needs_rewrap,
    rewrap_private_key,
    unwrap_private_key,
    wrap_private_key,
)


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


@transaction.atomic
def sign_in_handler(*, handler: Handler, password: str) -> PrivateKey:
    """Unlock the handler's private key with the password they just signed in with.

    First sign-in: create the key pair. Stored Argon2id cost below today's default: rewrap at the
    new cost. A wrapped key that the password does not open means an administrator reset the
    password: the old key is lost to this handler, so a new pair replaces it and the audit log
    says so (reports sealed to the old key must be shared with them again).
    """
    handler = Handler.objects.select_for_update().get(pk=handler.pk)
    wrapped = bytes(handler.wrapped_private_key) if handler.wrapped_private_key else None
    if wrapped is None:
        return _new_key_pair(handler, password, action="handler.keys.create")
    try:
        private_key = unwrap_private_key(wrapped, password)
    except DecryptionError:
        return _new_key_pair(handler, password, action="handler.keys.replace")
    if needs_rewrap(wrapped):
        handler.wrapped_private_key = wrap_private_key(private_key, password)
        handler.save(update_fields=["wrapped_private_key"])
    _audit(handler, "handler.sign_in")
    return private_key


def _new_key_pair(handler: Handler, password: str, *, action: str) -> PrivateKey:
    pair = KeyPair.generate()
    handler.public_key = pair.public_key.to_bytes()
    handler.wrapped_private_key = wrap_private_key(pair.private_key, password)
    handler.save(update_fields=["public_key", "wrapped_private_key"])
    _audit(handler, action)
    return pair.private_key


@transaction.atomic
def change_handler_password(*, handler: Handler, old_password: str, new_password: str):
    """New password, same key pair: the private key is rewrapped, never regenerated.

    Returns the updated user, whose new password hash the caller's session must take on."""
    handler = Handler.objects.select_for_update().get(pk=handler.pk)
    user = handler.user
    validate_password(new_password, user)
    if handler.wrapped_private_key:
        handler.wrapped_private_key = rewrap_private_key(
            bytes(handler.wrapped_private_key), old_password, new_password
        )
        handler.save(update_fields=["wrapped_private_key"])
    user.set_password(new_password)
    user.save(update_fields=["password"])
    _audit(handler, "handler.password.change")
    return user


@transaction.atomic
def confirm_authenticator(*, handler: Handler, device) -> None:
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    _audit(handler, "handler.totp.confirm")


def _audit(handler: Handler, action: str) -> None:
    """One audit event of a handler acting on their own account."""
    record(action=action, actor=handler.user, organisation=handler.organisation, target=handler)
