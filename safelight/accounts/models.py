from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from parler.models import TranslatedFields

from safelight.accounts.content import TranslatedContent
from safelight.crypto import PublicKey

# First path segments that belong to Safelight itself, so no organisation's address can shadow them.
RESERVED_SLUGS = frozenset({"staff", "static", "media", "i18n", "admin", "api", "receipt", "help",
                            "locker", "exit"})


def validate_slug_not_reserved(value: str) -> None:
    if value in RESERVED_SLUGS:
        raise ValidationError(
            _("“%(slug)s” is used by Safelight itself; choose another address."),
            params={"slug": value},
        )


class Organisation(TranslatedContent):
    """A workplace, platform or support service that receives reports through Safelight.

    Its landing texts (introduction, urgent help, page title) are written once a language
    (safelight.accounts.content); a reader whose language has none gets the default language's.
    """

    name: models.CharField = models.CharField(_("name"), max_length=200)
    slug: models.SlugField = models.SlugField(
        _("address"),
        unique=True,
        validators=[validate_slug_not_reserved],
        help_text=_("The reporter side of this organisation lives at /<address>/."),
    )
    translations = TranslatedFields(
        introduction=models.TextField(
            _("introduction"),
            blank=True,
            help_text=_(
                "Shown on the reporter landing page: who you are and what reports are for."
            ),
        ),
        urgent_help=models.TextField(
            _("urgent help"),
            blank=True,
            help_text=_("Where to get help now: emergency numbers and services, one per line."),
        ),
        page_title=models.CharField(
            _("page title"),
            max_length=100,
            blank=True,
            help_text=_(
                "The title of every reporter page, as the browser's tabs and history show it. "
                "Keep it neutral: it must not say what the site is for. Empty: “Online form”."
            ),
        ),
    )
    quick_exit_url: models.URLField = models.URLField(
        _("quick exit address"),
        blank=True,
        help_text=_(
            "A neutral page that the quick exit opens (for example a weather site). "
            "Empty: the server's default."
        ),
    )
    # The language the organisation writes its own texts in (questionnaire, landing page, channels,
    # checklist): a text not yet translated into a reporter's language is shown in this one.
    default_language: models.CharField = models.CharField(
        _("default language"),
        max_length=10,
        choices=settings.LANGUAGES,
        default=settings.LANGUAGE_CODE,
        help_text=_(
            "The language your texts are written in first. Where a text has no translation into "
            "a reporter's language, the reporter sees it in this language."
        ),
    )
    created_at: models.DateTimeField = models.DateTimeField(_("created"), auto_now_add=True)
    # Set by the platform operator, never by the organisation's own administrators: where named,
    # this second administrator may approve a reset of a handler's password or second factor.
    reset_approver: models.ForeignKey = models.ForeignKey(
        "accounts.Handler",
        verbose_name=_("administrator who approves account resets"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_(
            "Optional. A reset of a handler's password or second factor then also opens when "
            "this administrator approves it (not only when the handler confirms by email)."
        ),
    )

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def content_organisation(self) -> Organisation:
        return self


class NotifyWhen(models.TextChoices):
    """When a handler hears of a new report or a reporter's new message (content-free email)."""

    AT_ONCE = "at_once", _("At once, one email each time")
    DIGEST = "digest", _("In the daily digest")


class Handler(models.Model):
    """A staff member who receives and handles reports for one organisation."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="handler"
    )
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        related_name="handlers",
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    # The handler's X25519 key pair, created at first sign-in: report keys are sealed to the public
    # key; the private key is stored only wrapped under Argon2id(password) (safelight.crypto).
    public_key = models.BinaryField(_("public key"), null=True, editable=False)
    wrapped_private_key = models.BinaryField(_("wrapped private key"), null=True, editable=False)
    notify = models.CharField(
        _("new reports and messages"), max_length=10, choices=NotifyWhen.choices,
        default=NotifyWhen.AT_ONCE,
    )
    # What reporters see instead of the username (which they never see).
    display_name = models.CharField(
        _("name shown to reporters"),
        max_length=150,
        blank=True,
        help_text=_("For example “Sam (people team)”. Reporters never see usernames."),
    )
    # Notification emails to the handler are written in this language (not the page's: an email is
    # sent by the worker, outside any request).
    language = models.CharField(
        _("language of emails"), max_length=10, choices=settings.LANGUAGES,
        default=settings.LANGUAGE_CODE,
    )
    # Set by the handler on their own page, never by an administrator: resets are announced here.
    own_email = models.EmailField(_("own email address"), blank=True, editable=False)

    class Meta:
        verbose_name = _("handler")
        verbose_name_plural = _("handlers")
        ordering = ["user__username"]

    def __str__(self) -> str:
        return f"{self.user.get_username()} ({self.organisation})"

    @property
    def email_address(self) -> str:
        """Where Safelight writes to the handler: the address they set themselves (which no
        administrator can change), else the one given when the account was made."""
        return self.own_email or self.user.email

    def sealing_key(self) -> PublicKey:
        """The public key that keys are sealed to. Only a handler who has signed in has one:
        whoever seals to handlers chooses those with a key pair (public_key__isnull=False)."""
        if self.public_key is None:
            raise ValueError(f"handler {self.pk} has no key pair yet")
        return PublicKey.from_bytes(bytes(self.public_key))


class ResetKind(models.TextChoices):
    PASSWORD = "password", _("password")
    SECOND_FACTOR = "second_factor", _("second factor (authenticator app)")
    BOTH = "both", _("password and second factor")


class AccountReset(models.Model):
    """An administrator reset a handler's password or second factor.

    Until the handler confirms it through the link emailed to their own address (only the
    link's hash is kept), or the organisation's named approver approves it, the account cannot
    be signed into and no report key is sealed to it. The handler sees who reset what and when
    at their next sign-in.
    """

    handler = models.ForeignKey(
        Handler, verbose_name=_("handler"), on_delete=models.CASCADE, related_name="resets"
    )
    kind = models.CharField(_("what was reset"), max_length=16, choices=ResetKind.choices)
    reset_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reset by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    reset_at = models.DateTimeField(_("reset at"), auto_now_add=True)
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    confirmed_at = models.DateTimeField(_("confirmed by the handler"), null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("approved by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True)
    seen_at = models.DateTimeField(_("shown to the handler"), null=True, blank=True)

    class Meta:
        verbose_name = _("account reset")
        verbose_name_plural = _("account resets")
        ordering = ["-reset_at", "-id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} — {self.handler}"

    @property
    def pending(self) -> bool:
        return self.confirmed_at is None and self.approved_at is None
