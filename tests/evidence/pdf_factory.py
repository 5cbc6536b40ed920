"""Realistic PdfContent for the bundle PDF's tests (and for looking at the PDF by hand)."""

from __future__ import annotations

import hashlib

from safelight.evidence.bundle_content import (
    PdfContent,
    PdfIncident,
    PdfMessage,
    PdfTimelineEntry,
)

LOCKER_ID = "3f9c2a71-5d0e-4b8a-9c61-2e7f4d1a0b95"
ROOT_HASH = hashlib.sha256(b"root").hexdigest()
PUBLIC_KEY = hashlib.sha256(b"public key").hexdigest()


def sha(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def incidents() -> list[PdfIncident]:
    return [
        PdfIncident(
            title="Threat on Instagram after I blocked him",
            when="3 March 2026, 21:40",
            kind="Threats",
            platform="Instagram (direct messages)",
            who="@dm_kestrel_88, also texts from +44 7700 900123",
            what=(
                "After I blocked his main account he wrote to me from a new one. He said he knew "
                "which bus I take to work and that I should 'watch myself'.\n\nI took screenshots "
                "of the whole conversation before he deleted the account the next morning."
            ),
            impact="I stopped taking the bus and missed two days of work.",
            notes="My sister saw the messages the same evening and can confirm them.",
            urls=[
                ("https://www.instagram.com/dm_kestrel_88/", "3 March 2026, 21:55"),
                (
                    "https://example.org/a/very/long/path/that/keeps/going/and/going/to/check/"
                    "that/it/wraps/instead/of/running/off/the/page?with=query&and=more",
                    "4 March 2026, 08:02",
                ),
            ],
            files=[("screenshot-2026-03-03-2141.png", sha("screenshot 1"))],
            versions=3,
            sha256=sha("incident 1 v3"),
        ),
        PdfIncident(
            title="Tracker found in my car",
            when="1\u201314 March 2026",
            kind="Stalking or tracking",
            platform="AirTag-style tracker",
            who="Unknown; I think my ex-partner",
            what="A mechanic found a small tracker taped under the rear bumper.",
            impact="",
            notes="",
            files=[("tracker-photo.jpg", sha("tracker photo"))],
            versions=1,
            sha256=sha("incident 2 v1"),
        ),
    ]


def messages() -> list[PdfMessage]:
    return [
        PdfMessage(
            sent_at="2 March 2026, 18:02",
            sender="Sam",
            text="Are you coming to the party on Saturday?",
            source="WhatsApp export chat.txt, line 12",
            categories=[],
            sha256=sha("m1"),
        ),
        PdfMessage(
            sent_at="3 March 2026, 21:40",
            sender="dm_kestrel_88",
            text="I know which bus you take. Watch yourself or you will get hurt.",
            source="Instagram messages, message 3041",
            categories=["threat", "control"],
            sha256=sha("m2"),
        ),
        PdfMessage(
            sent_at="3 March 2026, 21:42",
            sender="dm_kestrel_88",
            text="You are a worthless idiot and everyone knows it.",
            source="Instagram messages, message 3042",
            categories=["insult"],
            sha256=sha("m3"),
        ),
        PdfMessage(
            sent_at="",
            sender="+44 7700 900123",
            text="Why were you at the library yesterday? Who were you with?",
            source="SMS Backup & Restore sms.xml, message 88",
            categories=["control"],
            sha256=sha("m4"),
        ),
        PdfMessage(
            sent_at="4 March 2026, 07:15",
            sender="Mum",
            text="Call me when you are up, love. Привет, Καλημέρα",
            source="SMS Backup & Restore sms.xml, message 90",
            categories=[],
            sha256=sha("m5"),
        ),
        PdfMessage(
            sent_at="4 March 2026, 07:20",
            sender="ليلى",
            text="صباح الخير، هل وصلتِ إلى العمل بأمان؟ (ok?)",
            source="WhatsApp export chat.txt, line 40",
            categories=[],
            sha256=sha("m6"),
        ),
        PdfMessage(
            sent_at="4 March 2026, 07:21",
            sender="נועה",
            text="בוקר טוב! I will call you at 9.",
            source="WhatsApp export chat.txt, line 41",
            categories=[],
            sha256=sha("m7"),
        ),
    ]


def timeline() -> list[PdfTimelineEntry]:
    return [
        PdfTimelineEntry("1\u201314 March 2026", "Incident: Tracker found in my car"),
        PdfTimelineEntry(
            "3 March 2026, 21:40", "Incident: Threat on Instagram after I blocked him"
        ),
        PdfTimelineEntry("4 March 2026, 09:10", "Imported 7 messages from WhatsApp and SMS"),
    ]


def items_for(content_incidents, content_messages) -> list[tuple[str, str, str]]:
    items = []
    for number, incident in enumerate(content_incidents, start=1):
        items.append((f"items/incidents/{number:04d}-v{incident.versions}.json", "incident",
                      incident.sha256))
        for name, digest in incident.files:
            items.append((f"items/files/{digest[:12]}-{name}", "file", digest))
    for number, message in enumerate(content_messages, start=1):
        items.append((f"items/messages/{number:06d}.bin", "message", message.sha256))
    items.append(("items/imports/whatsapp-chat.txt", "import", sha("whatsapp export")))
    return items


def counts_for(content_messages) -> dict[str, int]:
    counts = {key: 0 for key in ("threat", "sexual", "insult", "exposure", "control")}
    for message in content_messages:
        for key in message.categories:
            counts[key] += 1
    return counts


def pdf_content(**changes) -> PdfContent:
    """A small bundle: two incidents, seven messages (three flagged), a timeline."""
    chosen_incidents = changes.pop("incidents", None)
    chosen_incidents = incidents() if chosen_incidents is None else chosen_incidents
    chosen_messages = changes.pop("messages", None)
    chosen_messages = messages() if chosen_messages is None else chosen_messages
    fields = {
        "locker_id": LOCKER_ID,
        "exported_at": "5 March 2026, 10:30 UTC",
        "tree_size": 42,
        "root_hash": ROOT_HASH,
        "public_key": PUBLIC_KEY,
        "timeline": timeline(),
        "incidents": chosen_incidents,
        "counts": counts_for(chosen_messages),
        "messages": chosen_messages,
        "items": items_for(chosen_incidents, chosen_messages),
    }
    fields.update(changes)
    return PdfContent(**fields)


def many_messages(count: int, *, flag_every: int = 10) -> list[PdfMessage]:
    """`count` messages; every `flag_every`-th one flagged (insult, then threat, ...)."""
    cycle = ["insult", "threat", "control", "sexual", "exposure"]
    out = []
    for number in range(count):
        flagged = number % flag_every == 0
        out.append(
            PdfMessage(
                sent_at=f"{1 + number % 28} March 2026, {number % 24:02d}:{number % 60:02d}",
                sender="dm_kestrel_88" if number % 2 else "Me",
                text=(f"Message {number}: you never answer me, where are you right now?"
                      if flagged else f"Message {number}: ok, see you at six then."),
                source=f"WhatsApp export chat.txt, line {number + 1}",
                categories=[cycle[(number // flag_every) % len(cycle)]] if flagged else [],
                sha256=sha(f"message {number}"),
            )
        )
    return out
