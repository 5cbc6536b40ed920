from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

# First path segments that belong to Safelight itself, so no organisation's address can shadow them.
RESERVED_SLUGS = frozenset({"staff", "static", "media", "i18n", "admin", "api", "receipt", "help",
                            "locker", "exit"})


def validate_slug_not_reserved(value: str) -> None:
    if value in RESERVED_SLUGS:
        raise ValidationError(
            _("“%(slug)s” is used by Safelight itself; choose another address."),
            params={"slug": value},
        )


class Organisation(models.Model):
    """A workplace, platform or support service that receives reports through Safelight."""

    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(
        _("address"),
        unique=True,
        validators=[validate_slug_not_reserved],
        help_text=_("The reporter side of this organisation lives at /<address>/."),
    )
    introduction = models.TextField(
        _("introduction"),
        blank=True,
        help_text=_("Shown on the reporter landing page: who you are and what reports are for."),
    )
    urgent_help = models.TextField(
        _("urgent help"),
        blank=True,
        help_text=_("Where to get help now: emergency numbers and services, one per line."),
    )
    quick_exit_url = models.URLField(
        _("quick exit address"),
        blank=True,
        help_text=_(
            "A neutral page that the quick exit opens (for example a weather site). "
            "Empty: the server's default."
        ),
    )
    page_title = models.CharField(
        _("page title"),
        max_length=100,
        blank=True,
        help_text=_(
            "The title of every reporter page, as the browser's tabs and history show it. Keep "
            "it neutral: it must not say what the site is for. Empty: “Online form”."
        ),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


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

    class Meta:
        verbose_name = _("handler")
        verbose_name_plural = _("handlers")
        ordering = ["user__username"]

    def __str__(self) -> str:
        return f"{self.user.get_username()} ({self.organisation})"
