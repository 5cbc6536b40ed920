"""Demo data: an organisation and two handlers. Idempotent: seeding twice changes nothing."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction

from safelight.accounts.actions import create_handler, create_organisation
from safelight.accounts.models import Handler, Organisation

DEMO_ORGANISATION = "demo"
DEMO_PASSWORD = "demo-password-not-secret"  # demo mode only, and printed on the console


@dataclass(frozen=True)
class DemoAccount:
    username: str
    administrator: bool


DEMO_ACCOUNTS = (DemoAccount("demo-admin", True), DemoAccount("demo-handler", False))


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
                administrator=account.administrator,
            )
    return organisation
