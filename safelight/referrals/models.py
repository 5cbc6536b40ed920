"""The referrals directory: services an organisation sends people on to, and referrals given.

Directory entries are the organisation's own published data, not anything a reporter wrote, so
they are stored in clear. A Referral records which service a handler's reply pointed to.

A service's words that people read (what it offers, who it is for, hours, cost, accessibility)
are written once a language (safelight.accounts.content): a reader gets them in the page's
language, else in the organisation's default language. Its name, its provider's name, places,
numbers and addresses are the same in every language.
"""

from __future__ import annotations

import datetime
import uuid

from django.core.validators import RegexValidator, URLValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from parler.cache import is_missing
from parler.managers import TranslatableQuerySet
from parler.models import TranslatedFields

from safelight.accounts.content import TranslatedContent
from safelight.accounts.models import Organisation
from safelight.referrals import languages

STALE_AFTER_DAYS = 365

validate_phone = RegexValidator(
    r"^\+?[0-9][0-9 ()\-.]{2,38}$",
    _("Write a phone number with digits, spaces and an optional leading “+”."),
)
validate_web_address = URLValidator(schemes=["http", "https"])


class Category(models.TextChoices):
    LEGAL = "legal", _("Legal advice")
    MEDICAL = "medical", _("Medical care")
    MENTAL_HEALTH = "mental_health", _("Mental health and counselling")
    TECHNOLOGY_SAFETY = "technology_safety", _("Technology safety")
    POLICE = "police", _("Police")
    SHELTER_HOUSING = "shelter_housing", _("Shelter and housing")
    FINANCIAL = "financial", _("Money and financial help")


# The words written once a language (the `translations` of Service).
TRANSLATED_FIELDS = ("description", "hours", "accessibility", "eligibility", "cost")


def stale_before(today: datetime.date | None = None) -> datetime.date:
    """Entries last verified before this day have not been verified for 12 months."""
    return (today or timezone.localdate()) - datetime.timedelta(days=STALE_AFTER_DAYS)


class ServiceQuerySet(TranslatableQuerySet, models.QuerySet):
    """parler's queryset (objects fetched in one language); models.QuerySet named for the type
    checker, which sees parler as untyped."""

    def stale(self, today: datetime.date | None = None) -> ServiceQuerySet:
        return self.filter(
            models.Q(last_verified__isnull=True) | models.Q(last_verified__lt=stale_before(today))
        )

    def active(self) -> ServiceQuerySet:
        return self.filter(active=True)


class Service(TranslatedContent):
    organisation: models.ForeignKey = models.ForeignKey(
        Organisation, verbose_name=_("organisation"), on_delete=models.PROTECT,
        related_name="services",
    )
    hsds_id: models.UUIDField = models.UUIDField(
        _("HSDS id"), default=uuid.uuid4, editable=False,
        help_text=_("The entry's id in Open Referral (HSDS) exports; imports match on it."),
    )
    name: models.CharField = models.CharField(_("name"), max_length=200)
    provider: models.CharField = models.CharField(
        _("run by"), max_length=200, blank=True,
        help_text=_("The organisation that runs the service, if it has another name."),
    )
    regions: models.TextField = models.TextField(
        _("where it helps"), blank=True,
        help_text=_("One place per line. Empty: anywhere (a national or online service)."),
    )
    languages: models.CharField = models.CharField(
        _("languages"), max_length=200, blank=True, validators=[languages.validate_codes],
        help_text=_("ISO 639 codes separated by commas, for example “en, cy, bsl”."),
    )
    phone: models.CharField = models.CharField(
        _("phone"), max_length=40, blank=True, validators=[validate_phone]
    )
    text_number: models.CharField = models.CharField(
        _("text message (SMS) number"), max_length=40, blank=True, validators=[validate_phone]
    )
    email: models.EmailField = models.EmailField(_("email"), blank=True)
    website: models.URLField = models.URLField(
        _("website"), max_length=500, blank=True, validators=[validate_web_address]
    )
    chat_url: models.URLField = models.URLField(
        _("web chat address"), max_length=500, blank=True, validators=[validate_web_address]
    )
    last_verified: models.DateField = models.DateField(
        _("last verified"), null=True, blank=True,
        help_text=_("When someone last checked these details with the service. Empty: never."),
    )
    active: models.BooleanField = models.BooleanField(
        _("listed"), default=True, help_text=_("Shown to reporters and handlers.")
    )
    created_at: models.DateTimeField = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at: models.DateTimeField = models.DateTimeField(_("updated"), auto_now=True)

    translations = TranslatedFields(
        description=models.TextField(_("what it offers"), blank=True),
        hours=models.TextField(_("opening hours"), blank=True),
        accessibility=models.TextField(
            _("accessibility"), blank=True,
            help_text=_("Step-free access, hearing loop, interpreters, relay services, and so on."),
        ),
        eligibility=models.TextField(_("who it is for"), blank=True),
        cost=models.TextField(_("cost"), blank=True),
    )

    objects = ServiceQuerySet.as_manager()

    class Meta:
        verbose_name = _("service")
        verbose_name_plural = _("services")
        ordering = ["name", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "hsds_id"], name="referrals_service_hsds_id_unique"
            )
        ]
        indexes = [models.Index(fields=["organisation", "active", "name"])]

    def __str__(self) -> str:
        return self.name

    def content_organisation(self) -> Organisation | None:
        return self.organisation

    # The next three belong in TranslatedContent (safelight.accounts.content), for every content
    # model; they are here until they are there.

    def clean(self) -> None:
        # Only the translations held in memory (those a save writes): reading a missing
        # language here would copy the fallback's words into it.
        for translation in self._translations_cache[self._parler_meta.root_model].values():
            if is_missing(translation):
                continue
            for name in TRANSLATED_FIELDS:
                value = getattr(translation, name)
                setattr(translation, name,
                        value.replace("\r\n", "\n").replace("\r", "\n").strip())
        self.languages = languages.join_codes(languages.split_codes(self.languages))
        self.regions = "\n".join(self.region_list())

    @property
    def stale(self) -> bool:
        return self.last_verified is None or self.last_verified < stale_before()

    def region_list(self) -> list[str]:
        return [line.strip() for line in self.regions.splitlines() if line.strip()]

    def language_codes(self) -> list[str]:
        return languages.split_codes(self.languages)

    def language_names(self) -> list[str]:
        return [languages.language_name(code) for code in self.language_codes()]

    def category_codes(self) -> list[str]:
        """In the order of Category (uses the prefetched categories when there are any)."""
        codes = {c.code for c in self.categories.all()}
        return [value for value in Category.values if value in codes]

    def category_labels(self) -> list[str]:
        return [str(Category(code).label) for code in self.category_codes()]


class ServiceCategory(models.Model):
    service = models.ForeignKey(
        Service, verbose_name=_("service"), on_delete=models.CASCADE, related_name="categories"
    )
    code = models.CharField(_("category"), max_length=30, choices=Category.choices)

    class Meta:
        verbose_name = _("category")
        verbose_name_plural = _("categories")
        constraints = [
            models.UniqueConstraint(fields=["service", "code"], name="referrals_category_unique")
        ]
        indexes = [models.Index(fields=["code"])]

    def __str__(self) -> str:
        return self.get_code_display()


class Referral(models.Model):
    """A service that a handler's reply pointed the reporter to."""

    message = models.ForeignKey(
        "intake.Message", on_delete=models.CASCADE, related_name="referrals"
    )
    service = models.ForeignKey(
        Service, null=True, on_delete=models.SET_NULL, related_name="referrals"
    )
    # The directory's own name for the service, kept should the entry later be deleted.
    service_name = models.CharField(max_length=200)
    given_at = models.DateTimeField()

    class Meta:
        ordering = ["given_at", "pk"]

    def __str__(self) -> str:
        return self.service_name
