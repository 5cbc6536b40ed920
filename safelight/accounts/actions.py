"""Every write to organisations and handlers: atomic, one audit event each."""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.core.validators import validate_email
from django.db import transaction
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _
from django_otp.plugins.otp_totp.models import TOTPDevice

from safelight.accounts.models import AccountReset, Handler, NotifyWhen, Organisation, ResetKind
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
    *,
    name: str,
    slug: str,
    introduction: str = "",
    urgent_help: str = "",
    quick_exit_url: str = "",
    default_language: str = settings.LANGUAGE_CODE,
) -> Organisation:
    """A new organisation. Its texts are written in `default_language`, the language a reader
    gets where there is no translation into theirs; the other languages are added in the
    administration."""
    organisation = Organisation(
        name=name, slug=slug, quick_exit_url=quick_exit_url, default_language=default_language
    )
    organisation.set_current_language(default_language)
    organisation.introduction = introduction
    organisation.urgent_help = urgent_help
    save_organisation(organisation=organisation)
    organisation.set_current_language(translation.get_language())  # read as the page's language
    return organisation


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
    """A handler account. `administrator` also opens the staff administration of the handler's
    own organisation (never a superuser: see admin_scoping.py)."""
    user_model = get_user_model()
    user = user_model(username=username, email=email, is_staff=administrator, is_superuser=False)
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
def unconfirmed_authenticator(*, handler: Handler | None, user) -> TOTPDevice:
    """The authenticator being set up at first sign-in (made on the first visit, the same one on
    every later visit until confirmed) for a handler or, with handler None, a platform operator.
    Its making is audited once; an unconfirmed device opens nothing, and its confirmation is an
    event of its own (confirm_authenticator)."""
    device, created = TOTPDevice.objects.get_or_create(
        user=user, confirmed=False, defaults={"name": "authenticator"}
    )
    if created:
        if handler is not None:
            _audit(handler, "handler.totp.create")
        else:
            record(action="operator.totp.create", actor=user, target=user)
    return device


@transaction.atomic
def confirm_authenticator(*, handler: Handler | None, device, user=None) -> None:
    """A handler's (or, with handler None, a platform operator's) new authenticator."""
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    if handler is not None:
        _audit(handler, "handler.totp.confirm")
    else:
        record(action="operator.totp.confirm", actor=user, target=user)


def _audit(handler: Handler, action: str) -> None:
    """One audit event of a handler acting on their own account."""
    record(action=action, actor=handler.user, organisation=handler.organisation, target=handler)


@transaction.atomic
def create_operator(*, username: str, password: str, email: str = "", actor=None):
    """A platform operator: manages organisations in the administration, handles no report (no
    handler account, no key pair). Signs in with a password and an authenticator app."""
    user_model = get_user_model()
    user = user_model(username=username, email=email, is_staff=True, is_superuser=True)
    validate_password(password, user)
    user.set_password(password)
    user.full_clean()
    user.save()
    record(action="operator.create", actor=actor, target=user)
    return user


@transaction.atomic
def set_own_email(*, handler: Handler, email: str) -> Handler:
    """The handler's own address, where resets of their account are announced. Only the handler
    sets it (an administrator cannot)."""
    handler = Handler.objects.select_for_update().get(pk=handler.pk)
    if email:
        validate_email(email)
    handler.own_email = email
    handler.save(update_fields=["own_email"])
    _audit(handler, "handler.own_email.change")
    return handler


# Resets by an administrator ---------------------------------------------------------------------

RESET_LINK_DAYS = 7
SIGN_IN_ALERT_PATH = "/staff/sign-in/"


class ResetRefused(Exception):
    """The reset cannot be done as asked; the message says why, in plain words."""


class InvalidResetLink(Exception):
    """The link is unknown, already used or too old."""


def reset_token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def reset_approver(handler: Handler, actor) -> Handler | None:
    """The organisation's named second administrator, when it is someone other than the one who
    resets and the handler reset."""
    approver = handler.organisation.reset_approver
    if approver is None or approver.pk == handler.pk or approver.user_id == actor.pk:
        return None
    return approver


@transaction.atomic
def reset_handler_account(
    *, handler: Handler, kind: str, actor, new_password: str | None = None
) -> AccountReset:
    """An administrator resets a handler's password, second factor, or both.

    The account is then closed (no sign-in, no report key sealed to it) until the handler
    confirms through the link emailed to their own address, or the organisation's named approver
    approves. The handler sees who reset what and when at their next sign-in.
    """
    handler = Handler.objects.select_for_update().select_related("user", "organisation").get(
        pk=handler.pk
    )
    user = handler.user
    if actor is None or actor.pk == user.pk:
        raise ResetRefused(_("You cannot reset your own account here: change it on your page."))
    if kind not in ResetKind.values:
        raise ResetRefused(_("Choose what to reset."))
    if not handler.own_email and reset_approver(handler, actor) is None:
        raise ResetRefused(_(
            "This handler has not given their own email address, and the organisation names no "
            "second administrator who approves resets, so nobody could open the account again. "
            "Ask the handler to add their address on their page, or ask the platform operator "
            "to name an approver."
        ))
    if kind in (ResetKind.PASSWORD, ResetKind.BOTH):
        if not new_password:
            raise ValidationError(_("Give a temporary password."))
        validate_password(new_password, user)
        user.set_password(new_password)  # ends the handler's sessions too
        user.save(update_fields=["password"])
    if kind in (ResetKind.SECOND_FACTOR, ResetKind.BOTH):
        TOTPDevice.objects.filter(user=user).delete()
    token = secrets.token_urlsafe(32)
    reset = AccountReset.objects.create(
        handler=handler, kind=kind, reset_by=actor, token_hash=reset_token_hash(token)
    )
    record(
        action=f"handler.reset.{kind}", actor=actor, organisation=handler.organisation,
        target=handler,
    )
    if handler.own_email:
        address = handler.own_email
        transaction.on_commit(lambda: _send_reset_mail(address, reset, token))
    return reset


def _who(user) -> str:
    handler = Handler.objects.filter(user=user).first()
    name = (handler.display_name if handler else "") or user.get_full_name()
    username = user.get_username()
    return f"{name} ({username})" if name else username


def describe_reset(reset: AccountReset) -> str:
    """“On <date>, <who> reset your <what>.” For the email and the sign-in banner."""
    return _("On %(when)s, %(who)s reset your %(what)s.") % {
        "when": formats.date_format(timezone.localtime(reset.reset_at), "DATETIME_FORMAT"),
        "who": _who(reset.reset_by),
        "what": reset.get_kind_display(),
    }


def _send_reset_mail(address: str, reset: AccountReset, token: str) -> None:
    link = f"{settings.SAFELIGHT_STAFF_URL}/staff/reset/{token}/"
    with translation.override(reset.handler.language or settings.LANGUAGE_CODE):
        body = "\n\n".join([
            describe_reset(reset),
            _("Until you confirm it, nobody can sign in to your account and no new report is "
              "sealed to it. If you asked for this, confirm here (the link works once, for "
              "%(days)d days):") % {"days": RESET_LINK_DAYS},
            link,
            _("If you did not ask for it, do not confirm: tell someone you trust in your "
              "organisation and the platform operator. Nothing about any report is in this "
              "message."),
        ])
        send_mail(_("Your Safelight account was reset"), body, None, [address])


def reset_for_link(token: str) -> AccountReset:
    """The pending reset a link names; InvalidResetLink when it is unknown, used or too old."""
    reset = (
        AccountReset.objects.select_related("handler__user", "handler__organisation", "reset_by")
        .filter(token_hash=reset_token_hash(token))
        .first()
    )
    if (
        reset is None
        or not reset.pending
        or reset.reset_at < timezone.now() - timedelta(days=RESET_LINK_DAYS)
    ):
        raise InvalidResetLink
    return reset


@transaction.atomic
def confirm_reset(*, token: str) -> AccountReset:
    """The handler confirms a reset through their emailed link: single use."""
    reset = reset_for_link(token)
    reset = AccountReset.objects.select_for_update().get(pk=reset.pk)
    if not reset.pending:
        raise InvalidResetLink
    reset.confirmed_at = timezone.now()
    reset.save(update_fields=["confirmed_at"])
    handler = reset.handler
    record(action="handler.reset.confirm", actor=handler.user,
           organisation=handler.organisation, target=handler)
    return reset


@transaction.atomic
def approve_reset(*, reset: AccountReset, actor) -> AccountReset:
    """The organisation's named second administrator approves a reset made by someone else."""
    reset = AccountReset.objects.select_for_update().select_related(
        "handler__organisation"
    ).get(pk=reset.pk)
    handler = reset.handler
    approver = handler.organisation.reset_approver
    if approver is None or approver.user_id != actor.pk:
        raise ResetRefused(_("Only the administrator the organisation names may approve resets."))
    if reset.reset_by_id == actor.pk or handler.user_id == actor.pk:
        raise ResetRefused(_("A reset is approved by someone other than who made it or whom "
                             "it concerns."))
    if not reset.pending:
        raise ResetRefused(_("This reset is already confirmed or approved."))
    reset.approved_at = timezone.now()
    reset.approved_by = actor
    reset.save(update_fields=["approved_at", "approved_by"])
    record(action="handler.reset.approve", actor=actor, organisation=handler.organisation,
           target=handler)
    return reset


@transaction.atomic
def mark_resets_seen(*, handler: Handler) -> list[AccountReset]:
    """The resets the handler has not been shown yet; they are shown once, at sign-in."""
    unseen = list(
        AccountReset.objects.select_for_update()
        .select_related("reset_by")
        .filter(handler=handler, seen_at=None)
        .exclude(confirmed_at=None, approved_at=None)
        .order_by("reset_at")
    )
    if unseen:
        AccountReset.objects.filter(pk__in=[r.pk for r in unseen]).update(seen_at=timezone.now())
        _audit(handler, "handler.reset.shown")
    return unseen


@transaction.atomic
def alert_failed_sign_ins(*, handler: Handler) -> None:
    """Tell the handler that many sign-ins to their account failed (no address, no detail)."""
    record(action="handler.sign_in.failures_alert", organisation=handler.organisation,
           target=handler)
    address = handler.email_address
    if not address:
        return
    with translation.override(settings.LANGUAGE_CODE):
        subject = _("Failed sign-ins to your Safelight account")
        body = _(
            "Several attempts to sign in to your Safelight account failed in the last minutes. "
            "If that was not you, your password may be known or guessed: sign in and change it "
            "(%(link)s), and tell your organisation. Your account is not locked: a correct "
            "password with your authenticator code still signs you in."
        ) % {"link": settings.SAFELIGHT_STAFF_URL + SIGN_IN_ALERT_PATH}
    transaction.on_commit(lambda: send_mail(subject, body, None, [address]))


@transaction.atomic
def set_notification_preference(*, handler: Handler, notify: str) -> None:
    """At once or in the daily digest: how the handler hears of new reports and messages."""
    if notify not in NotifyWhen.values:
        raise ValueError(notify)
    handler.notify = notify
    handler.save(update_fields=["notify"])
    _audit(handler, "handler.notify.change")
