"""Demo data: an organisation, its handlers (one of them the escrow counsellor of "report
together") and two channels. Idempotent: seeding twice changes nothing."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction
from django.utils.translation import gettext

from safelight.accounts.actions import create_handler, create_organisation, sign_in_handler
from safelight.accounts.content import in_every_language
from safelight.accounts.models import Handler, Organisation
from safelight.cases.template_actions import install_default_templates
from safelight.escrow.models import EscrowSettings
from safelight.intake.setup_actions import (
    create_channel,
    create_default_questionnaire,
    save_setup,
)
from safelight.referrals.default_services import install_demo_services
from safelight.reports.models import Channel, Recipient, Role
from safelight.triage.actions import install_default_checklist

DEMO_ORGANISATION = "demo"
# Channel addresses are neutral (they show in browsers' history): "form-1", "form-2". Demo data
# made before that is given the neutral addresses when it is seeded again.
FORMER_DEMO_SLUGS = {"harassment-at-work": "form-1", "partner-abuse": "form-2"}
DEMO_PASSWORD = "demo-password-not-secret"  # demo mode only, and printed on the console


@dataclass(frozen=True)
class DemoAccount:
    username: str
    administrator: bool

    @property
    def email(self) -> str:
        # Notifications of the demo are written to files (data_dir/mail); .example is reserved.
        return f"{self.username}@northwind.example"


DEMO_ACCOUNTS = (
    DemoAccount("demo-admin", True),
    DemoAccount("demo-handler", False),
    DemoAccount("demo-investigator", False),
    # Reads no channel: opens report-together matches and releases the reports to the channels.
    DemoAccount("demo-counsellor", False),
)
COUNSELLOR = "demo-counsellor"
# What reporters see instead of usernames, which they never see.
DISPLAY_NAMES = {
    "demo-admin": "Alex (people team lead)",
    "demo-handler": "Sam (people team)",
    "demo-investigator": "Jo (independent investigator)",
    "demo-counsellor": "Kim (counsellor)",
}
PHONE_REGION = "GB"  # the demo's helpline numbers are British


@transaction.atomic
def seed() -> Organisation:
    organisation = Organisation.objects.filter(slug=DEMO_ORGANISATION).first()
    if organisation is None:
        organisation = create_organisation(
            name="Northwind Workplace (demo)",
            slug=DEMO_ORGANISATION,
            introduction=(
                "Northwind's people team and an independent investigator receive reports here "
                "about harassment at work, online or offline: threats, stalking, monitoring, "
                "intimate images shared without consent, or anything else that made you feel "
                "unsafe."
            ),
            urgent_help=(
                "Emergency services: 112\n"
                "National domestic abuse helpline (24 hours): 0808 2000 247"
            ),
        )
    for account in DEMO_ACCOUNTS:
        if not Handler.objects.filter(user__username=account.username).exists():
            create_handler(
                organisation=organisation,
                username=account.username,
                password=DEMO_PASSWORD,
                email=account.email,
                administrator=account.administrator,
            )
    handlers = {}
    for account in DEMO_ACCOUNTS:
        handler = Handler.objects.get(user__username=account.username)
        if not handler.user.email:
            # Demo data from before notifications: give the account its address.
            handler.user.email = account.email
            handler.user.save(update_fields=["email"])
        if handler.public_key is None:
            # A handler's key pair is made at first sign-in; the demo signs in once for them so
            # that its channels take reports before anyone has opened the staff side.
            sign_in_handler(handler=handler, password=DEMO_PASSWORD)
            handler.refresh_from_db()
        if not handler.display_name:
            handler.display_name = DISPLAY_NAMES[account.username]
            handler.save(update_fields=["display_name"])
        handlers[account.username] = handler
    if not Channel.objects.filter(organisation=organisation).exists():
        _seed_channels(organisation, handlers)
    for former, neutral in FORMER_DEMO_SLUGS.items():
        Channel.objects.filter(organisation=organisation, slug=former).update(slug=neutral)
    _use_current_questionnaire(organisation)
    _seed_report_together(organisation, handlers[COUNSELLOR])
    # Each adds only what is missing: reviewed-words templates (marked not yet reviewed), a
    # fictional directory of services, and the default risk checklist.
    install_default_templates(organisation=organisation)
    install_demo_services(organisation)
    install_default_checklist(organisation=organisation)
    return organisation


def _work_channel_words() -> dict[str, str]:
    return {
        "name": gettext("Harassment at work"),
        "description": gettext(
            "Harassment, threats or stalking by a colleague, manager or client, online or "
            "offline: messages, monitoring, images shared without consent, fake profiles."
        ),
        "who_reads": gettext(
            "Two trained people: Sam from the people team, who can see who you are if "
            "you tell us, and Alex, who reads the report but never sees your name. If a "
            "case needs an investigation, it may be given to Jo, an independent "
            "investigator from outside Northwind, who sees only the cases given to them."
        ),
    }


def _partner_channel_words() -> dict[str, str]:
    return {
        "name": gettext("Abuse by a partner or ex-partner"),
        "description": gettext(
            "Confidential support if a partner or ex-partner tracks your phone, controls your "
            "accounts or threatens you online. This is not reported to your manager."
        ),
        "who_reads": gettext("Sam from the confidential support team, and no one else."),
    }


def _seed_channels(organisation: Organisation, handlers: dict[str, Handler]) -> None:
    questionnaire = create_default_questionnaire(
        organisation=organisation, name="Technology-facilitated abuse (default)"
    )
    # The channels' words in every language, from the catalogues, like the questionnaire's.
    work_words = in_every_language(_work_channel_words)
    work = create_channel(
        organisation=organisation,
        position=0,
        **work_words[organisation.default_language],
        translations=work_words,
        questionnaire=questionnaire,
        recipients=[(handlers["demo-handler"], True), (handlers["demo-admin"], False)],
    )
    # On call: gets an immediate notification, without content, of each urgent report.
    Recipient.objects.filter(channel=work, handler=handlers["demo-handler"]).update(on_call=True)
    Recipient.objects.filter(channel=work, handler=handlers["demo-admin"]).update(
        role=Role.INVESTIGATOR)
    Recipient.objects.create(channel=work, handler=handlers["demo-investigator"],
                             role=Role.EXTERNAL, sees_identity=False)
    partner_words = in_every_language(_partner_channel_words)
    create_channel(
        organisation=organisation,
        position=1,
        **partner_words[organisation.default_language],
        translations=partner_words,
        questionnaire=questionnaire,
        recipients=[(handlers["demo-handler"], True)],
    )


def _seed_report_together(organisation: Organisation, counsellor: Handler) -> None:
    """Offer "report together", with demo-counsellor as the escrow counsellor (the demo's two
    key services are local, under the data directory: safelight.config)."""
    if EscrowSettings.objects.filter(organisation=organisation).exists():
        return
    found = EscrowSettings(organisation=organisation, enabled=True, phone_region=PHONE_REGION)
    save_setup(obj=found)
    found.counsellors.add(counsellor)


def _use_current_questionnaire(organisation: Organisation) -> None:
    """Demo data made before the default questionnaire asked whom it happened to gets the current
    default (reports already sent keep the words they were sent with)."""
    older = Channel.objects.filter(organisation=organisation).exclude(
        questionnaire__steps__questions__key="happened_to")
    if not older.exists():
        return
    questionnaire = create_default_questionnaire(
        organisation=organisation, name="Technology-facilitated abuse (default, asked once)"
    )
    for channel in older:
        channel.questionnaire = questionnaire
        save_setup(obj=channel)
