"""A small demo directory for the fictional county of Westmoor. Every name, number and address is
made up: phone numbers are from the ranges Ofcom keeps for drama (0808 157 0xxx, 01632 960xxx,
07700 900xxx), addresses are example.org. Never shown outside demo mode."""

from __future__ import annotations

import datetime
import uuid

from django.db import transaction
from django.utils import timezone

from safelight.accounts.models import Organisation
from safelight.referrals.actions import save_service
from safelight.referrals.hsds import NAMESPACE
from safelight.referrals.models import Category, Service

# key, days since last verified (None: never), categories, fields
DEMO_SERVICES: list[tuple[str, int | None, list[str], dict[str, str]]] = [
    ("family-law-line", 40, [Category.LEGAL], {
        "name": "Family Law Advice Line (demo)",
        "provider": "Westmoor Law Centre (demo)",
        "description": "Free legal advice on protective orders, child arrangements, divorce and "
                       "housing rights for people experiencing abuse.",
        "regions": "Westmoor",
        "languages": "en, pl, ur",
        "phone": "0808 157 0101",
        "email": "advice@lawcentre.example.org",
        "website": "https://lawcentre.example.org/",
        "hours": "Monday to Friday 10:00-16:00\nWednesday evenings 18:00-20:00",
        "accessibility": "Interpreters on request. Text relay calls welcome.",
        "eligibility": "Anyone living or working in Westmoor.",
        "cost": "Free",
    }),
    ("sarc", 120, [Category.MEDICAL, Category.POLICE], {
        "name": "Westmoor Sexual Assault Referral Centre (demo)",
        "description": "Medical care, emergency contraception and forensic examination after "
                       "sexual assault, with or without reporting to the police.",
        "regions": "Westmoor\nNorth Dale",
        "languages": "en",
        "phone": "01632 960 210",
        "email": "sarc@health.example.org",
        "website": "https://health.example.org/sarc",
        "hours": "Every day, 24 hours",
        "accessibility": "Step-free access and a hearing loop. A female doctor on request.",
        "cost": "Free",
    }),
    ("harbour-counselling", 200, [Category.MENTAL_HEALTH], {
        "name": "Harbour Counselling (demo)",
        "description": "Trauma-informed counselling, one to one or in small groups, for adults "
                       "who have experienced abuse or harassment, online or offline.",
        "regions": "Westmoor",
        "languages": "en, cy, bsl",
        "phone": "01632 960 345",
        "text_number": "07700 900 345",
        "email": "hello@harbour.example.org",
        "website": "https://harbour.example.org/",
        "chat_url": "https://harbour.example.org/chat",
        "hours": "Monday to Thursday 09:00-19:00\nFriday 09:00-15:00",
        "accessibility": "Sessions by video with British Sign Language interpreters.",
        "eligibility": "Adults aged 18 and over.",
        "cost": "Free; donations welcome",
    }),
    ("tech-safety-clinic", 15, [Category.TECHNOLOGY_SAFETY], {
        "name": "Tech Safety Clinic (demo)",
        "provider": "Safer Devices Project (demo)",
        "description": "Help to check a phone, laptop or car for stalkerware and trackers, "
                       "secure accounts, and collect evidence of online abuse safely.",
        "languages": "en, ar",
        "phone": "0808 157 0404",
        "email": "clinic@saferdevices.example.org",
        "website": "https://saferdevices.example.org/",
        "chat_url": "https://saferdevices.example.org/chat",
        "hours": "Tuesday and Thursday 10:00-18:00",
        "accessibility": "By phone, chat or in person; bring the device if it is safe to.",
        "cost": "Free",
    }),
    ("police-da-unit", 60, [Category.POLICE], {
        "name": "Westmoor Police Domestic Abuse Unit (demo)",
        "description": "Specialist officers for domestic abuse, stalking and harassment. In an "
                       "emergency call 999.",
        "regions": "Westmoor\nNorth Dale",
        "languages": "en",
        "phone": "01632 960 101",
        "text_number": "07700 900 101",
        "website": "https://police.example.org/westmoor/domestic-abuse",
        "hours": "Every day, 24 hours",
        "accessibility": "Emergency SMS for deaf and speech-impaired people.",
    }),
    ("safe-haven-refuge", 400, [Category.SHELTER_HOUSING], {
        "name": "Safe Haven Refuge (demo)",
        "description": "Emergency refuge places and help to find safe housing for women and "
                       "their children.",
        "regions": "Westmoor\nNorth Dale\nSouth Fen",
        "languages": "en, pl, so",
        "phone": "0808 157 0606",
        "email": "referrals@safehaven.example.org",
        "website": "https://safehaven.example.org/",
        "hours": "Every day, 24 hours",
        "accessibility": "Two ground-floor rooms with accessible bathrooms.",
        "eligibility": "Women, with or without children.",
        "cost": "Free",
    }),
    ("fresh-start-money", None, [Category.FINANCIAL], {
        "name": "Fresh Start Money Advice (demo)",
        "description": "Help with debts run up in your name, separating bank accounts, "
                       "benefits and emergency grants.",
        "regions": "Westmoor",
        "languages": "en",
        "phone": "01632 960 707",
        "email": "money@freshstart.example.org",
        "website": "https://freshstart.example.org/",
        "hours": "Monday to Friday 09:30-16:30",
        "cost": "Free",
    }),
    ("national-helpline", 30, [Category.SHELTER_HOUSING, Category.MENTAL_HEALTH], {
        "name": "National Abuse Helpline (demo)",
        "description": "Someone to talk to, day or night, about abuse and what you can do; they "
                       "can also find a refuge place anywhere in the country.",
        "languages": "en, cy, ar, pl, ur, pa",
        "phone": "0808 157 0000",
        "email": "support@helpline.example.org",
        "website": "https://helpline.example.org/",
        "chat_url": "https://helpline.example.org/chat",
        "hours": "Every day, 24 hours",
        "accessibility": "Text relay and British Sign Language video calls.",
        "cost": "Free, and not shown on phone bills",
    }),
]


def demo_hsds_id(key: str) -> uuid.UUID:
    return uuid.uuid5(NAMESPACE, f"demo-service:{key}")


@transaction.atomic
def install_demo_services(organisation: Organisation) -> list[Service]:
    """Add the demo services the organisation does not have yet; returns those added.
    Installing twice changes nothing."""
    today = timezone.localdate()
    added = []
    for key, days, categories, fields in DEMO_SERVICES:
        hsds_id = demo_hsds_id(key)
        if Service.objects.filter(organisation=organisation, hsds_id=hsds_id).exists():
            continue
        verified = today - datetime.timedelta(days=days) if days is not None else None
        service = Service(organisation=organisation, hsds_id=hsds_id, last_verified=verified)
        service.set_current_language("en")  # the demo's words are English, whatever the page's
        for name, value in fields.items():
            setattr(service, name, value)
        added.append(save_service(service=service, categories=categories))
    return added
