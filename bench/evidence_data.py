"""Synthetic exports for ``bench.evidence``: a WhatsApp chat .txt and an mbox, streamed to a path.

Everything here is invented (no real person's messages); the same seed gives the same bytes.

* ``write_whatsapp_export``: an Android export, day-first dates and a 24-hour clock
  ("31/12/2024, 21:41 - Name: text"), as most of the world's Android phones write it. A cast of
  four people (one shown by phone number, as WhatsApp does for someone not in the contacts); a
  message every minute on average, more by day; 8 % of messages run over two or three lines, 3 %
  carry a photo, voice note or document ("IMG-20240101-WA0007.jpg (file attached)"), 0.5 % are
  "<Media omitted>", 1 % are lines the app writes (group changes, deleted messages), which the
  importer yields as system messages. Texts: 90 % neutral, then insulting 3.5 %, controlling
  2.5 %, threatening 2 %, sexual 1 %, doxxing 1 %, drawn from templates with varied fillers.
* ``write_mbox``: an mboxrd file of realistic emails (Received, Date, From, To, Subject,
  Message-ID, MIME headers; plain text, some multipart/alternative with HTML, 10 % with a small
  base64 attachment, body lines starting "From " quoted as ">From "), up to a target size.

Both return what they wrote: ``{"messages": ..., "bytes": ..., "categories": {...}}``, where
``messages`` is the number of Message items the importer should yield (and, for the mbox,
``attachments`` the number of MediaFile items).
"""

from __future__ import annotations

import base64
import datetime
import random
from collections import Counter
from pathlib import Path

CAST = ["Alex", "Sam Taylor", "Jordan \U0001f499", "+44 7700 900123"]

PLACES = ["the gym", "Maria's", "the station", "work", "the shop", "your sister's", "the park",
          "the pub on Mill Lane", "the library", "the bus stop"]
THINGS = ["the keys", "milk", "the charger", "your jacket", "the tickets", "bread", "the car",
          "the dog's food", "the letter", "my headphones"]
TIMES = ["6", "half 7", "8ish", "noon", "tonight", "tomorrow", "after work", "Friday", "later",
         "in 10 min"]
NAMES = ["Chris", "Priya", "Tom", "Nadia", "your mum", "Ben", "Leila", "the kids", "Dan", "Ola"]

NEUTRAL = [
    "Are you home for dinner?", "Can you pick up {thing} on the way back?", "ok",
    "On my way, there in {time}", "Did you see the match last night?", "Thanks \U0001f60a",
    "Running late, traffic is awful", "Can we talk {time}?", "Love you too x", "haha yes",
    "What time is {name} coming round?", "I left {thing} at {place}", "Sure, sounds good",
    "Happy birthday!! \U0001f382\U0001f389", "Just landed", "Who's picking up {name}?",
    "Remember the appointment at {time}", "Can you call me when you're free", "Good night",
    "I'll be at {place} until {time}", "Don't forget {thing}", "That's hilarious \U0001f602",
    "The heating is broken again", "Meeting {name} at {place}", "Send me the photos from Sunday",
    "Not sure yet, will let you know", "Yes please", "Morning! Sleep well?", "\U0001f44d",
    "Is {name} still ill?", "Dinner's in the oven", "Can you transfer the rent money",
]
INSULT = [
    "You're pathetic", "you stupid bitch", "Nobody likes you, you useless idiot",
    "You're a worthless piece of shit", "God you're so dumb", "fat ugly cow",
    "You disgust me", "What a loser, honestly", "shut up you moron", "You're a joke, everyone "
    "laughs at you", "fucking idiot", "You're nothing without me",
]
CONTROLLING = [
    "Why were you at {place}?", "I know where you are", "Who were you talking to at {place}?",
    "Send me a photo right now so I know you're at {place}", "You don't go out without asking me",
    "Why didn't you answer? I called 14 times", "Give me your phone password",
    "I saw you were online at 2am. Who with?", "You're not seeing {name} again",
    "Share your location. Now.", "I checked your messages, don't lie to me",
    "You have 10 minutes to be home",
]
THREAT = [
    "You'll regret this", "I'm going to kill you", "Wait till I find you",
    "If you leave I'll hurt you", "Watch your back", "I'll smash your face in",
    "You won't see the kids again, I'll make sure of it", "I know where {name} lives",
    "Go to the police and see what happens to you", "I'll burn your car",
    "Next time I won't stop", "You'd better be scared",
]
SEXUAL = [
    "Send nudes or I'll send the ones I have", "I want to see you naked", "send me pics of your "
    "tits", "I'll show everyone the video of us", "Take your clothes off on camera",
    "You owe me sex", "I'm going to post your nudes", "Show me what you're wearing underneath",
]
DOXXING = [
    "Everyone will know you live at 14 Elm Road, Leeds LS6 2AB",
    "I posted your address on the group: 22 Station Street, Flat 3",
    "Her number is 07700 900457, call her and tell her what she is",
    "I'll tell your boss at Hartley & Co what you did",
    "Your new address is 9 Church Lane, I've given it to everyone",
    "Posting your number 07700 900812 everywhere", "You work at the Tesco on Bridge St, right?",
    "I know your kid goes to St Mary's Primary",
]
CATEGORIES = [
    ("neutral", NEUTRAL, 0.90),
    ("insult", INSULT, 0.035),
    ("controlling", CONTROLLING, 0.025),
    ("threat", THREAT, 0.02),
    ("sexual", SEXUAL, 0.01),
    ("doxxing", DOXXING, 0.01),
]
CONTINUATIONS = ["and bring {thing}", "I mean it", "Call me", "\U0001f621\U0001f621", "seriously",
                 "whatever", "we need to talk about {name}", "x"]
SYSTEM = [
    "Messages and calls are end-to-end encrypted. No one outside of this chat, not even WhatsApp,"
    " can read or listen to them. Tap to learn more.",
    "Alex changed the group name from \u201cHome\u201d to \u201cHome \U0001f3e1\u201d",
    "Sam Taylor left", "Alex added Jordan \U0001f499", "You deleted this message",
    "Alex changed this group's icon", "Your security code with +44 7700 900123 changed. Tap to "
    "learn more.",
]


def _picker(rng: random.Random):
    cumulative = []
    total = 0.0
    for name, texts, weight in CATEGORIES:
        total += weight
        cumulative.append((total, name, texts))

    def pick() -> tuple[str, str]:
        r = rng.random() * total
        for bound, name, texts in cumulative:
            if r < bound:
                return name, rng.choice(texts)
        return cumulative[-1][1], rng.choice(cumulative[-1][2])

    return pick


def _fill(rng: random.Random, template: str) -> str:
    if "{" not in template:
        return template
    return template.format(
        place=rng.choice(PLACES), thing=rng.choice(THINGS), time=rng.choice(TIMES),
        name=rng.choice(NAMES),
    )


def write_whatsapp_export(path: str | Path, messages: int, seed: int = 1) -> dict:
    """Write an Android WhatsApp chat export of `messages` messages to `path`."""
    rng = random.Random(seed)
    pick = _picker(rng)
    when = datetime.datetime(2023, 1, 1, 8, 0)
    categories: Counter[str] = Counter()
    written = 0
    media = 0
    out: list[str] = []
    with open(path, "w", encoding="utf-8", newline="\n") as file:
        for i in range(messages):
            # a message a minute on average, quieter at night
            gap = rng.expovariate(1 / 45) if 8 <= when.hour < 23 else rng.expovariate(1 / 400)
            when += datetime.timedelta(seconds=gap)
            stamp = when.strftime("%d/%m/%Y, %H:%M")
            if i == 0:
                out.append(f"{stamp} - {SYSTEM[0]}\n")
                categories["system"] += 1
                continue
            r = rng.random()
            if r < 0.01:
                out.append(f"{stamp} - {rng.choice(SYSTEM[1:])}\n")
                categories["system"] += 1
            elif r < 0.04:
                media += 1
                day = when.strftime("%Y%m%d")
                kind = rng.random()
                if kind < 0.7:
                    name = f"IMG-{day}-WA{media:04d}.jpg"
                elif kind < 0.9:
                    name = f"PTT-{day}-WA{media:04d}.opus"
                else:
                    name = f"DOC-{day}-WA{media:04d}.pdf"
                caption = "\n" + _fill(rng, rng.choice(NEUTRAL)) if rng.random() < 0.3 else ""
                out.append(f"{stamp} - {rng.choice(CAST)}: {name} (file attached){caption}\n")
                categories["neutral"] += 1
            elif r < 0.045:
                out.append(f"{stamp} - {rng.choice(CAST)}: <Media omitted>\n")
                categories["neutral"] += 1
            else:
                category, template = pick()
                categories[category] += 1
                text = _fill(rng, template)
                if rng.random() < 0.08:
                    for _ in range(rng.randint(1, 2)):
                        text += "\n" + _fill(rng, rng.choice(CONTINUATIONS))
                out.append(f"{stamp} - {rng.choice(CAST)}: {text}\n")
            if len(out) >= 10000:
                written += file.write("".join(out))
                out.clear()
        written += file.write("".join(out))
    return {"messages": messages, "bytes": Path(path).stat().st_size,
            "categories": dict(categories)}


# --- mbox -----------------------------------------------------------------------------------

PEOPLE = [
    ("Alex Morgan", "alex.morgan@example.org"), ("Sam Taylor", "sam.t@example.net"),
    ("Jordan Lee", "jordan.lee@example.com"), ("Priya Shah", "priya@example.org"),
    ("Human Resources", "hr@hartley-co.example"), ("Nadia Benali", "nadia.b@example.net"),
]
ME = ("Robin Ellis", "robin.ellis@example.com")
SUBJECTS = ["Re: this weekend", "Rent", "Fwd: photos", "Why didn't you answer", "the kids",
            "Meeting notes", "Your behaviour", "Re: Re: dinner", "Invoice 2024-117", "Tonight",
            "Caf\u00e9 on Friday?", "Last warning"]
PARAGRAPH = [
    "I've attached the document we talked about. Let me know if anything is missing.",
    "Thanks for yesterday, it was good to see everyone again.",
    "Please can you confirm the dates before Friday so I can book the tickets.",
    "The landlord called again about the boiler; someone is coming on Tuesday morning.",
    "From what I remember the meeting moved to 3pm, but check with Priya.",
    "From now on I want to know where you are every evening.",
]


def _email(rng: random.Random, n: int, when: datetime.datetime, pick) -> tuple[bytes, str, int]:
    sender = rng.choice(PEOPLE)
    to = ME
    if rng.random() < 0.3:
        sender, to = ME, sender
    category, template = pick()
    lines = [_fill(rng, template)]
    for _ in range(rng.randint(1, 6)):
        lines.append(rng.choice(PARAGRAPH))
    lines.append(f"\n{sender[0].split()[0]}")
    body = "\n\n".join(lines)
    date = when.strftime("%a, %d %b %Y %H:%M:%S +0000")
    subject = rng.choice(SUBJECTS)
    headers = (
        f"Return-Path: <{sender[1]}>\n"
        f"Received: from mail.example.net (mail.example.net [192.0.2.{n % 250 + 1}])\n"
        f"\tby mx.example.com with ESMTPS id {rng.getrandbits(48):x}\n"
        f"\tfor <{to[1]}>; {date}\n"
        f"Received: from [10.0.0.{n % 200 + 2}] by mail.example.net with ESMTPSA; {date}\n"
        f"Date: {date}\n"
        f"From: {sender[0]} <{sender[1]}>\n"
        f"To: {to[0]} <{to[1]}>\n"
        f"Subject: {_encode_subject(subject)}\n"
        f"Message-ID: <{rng.getrandbits(64):016x}.{n}@example.net>\n"
        "MIME-Version: 1.0\n"
    )
    kind = rng.random()
    attached = 0
    if kind < 0.1:
        attached = 1
        boundary = f"=_b{rng.getrandbits(40):x}"
        payload = rng.randbytes(rng.randint(1500, 6000))
        encoded = base64.encodebytes(payload).decode()
        name = rng.choice(["scan.pdf", "photo.jpg", "screenshot.png", "letter.docx"])
        text = (
            headers + f'Content-Type: multipart/mixed; boundary="{boundary}"\n\n'
            "This is a multi-part message in MIME format.\n"
            f"--{boundary}\nContent-Type: text/plain; charset=utf-8\n"
            "Content-Transfer-Encoding: 8bit\n\n"
            f"{body}\n--{boundary}\nContent-Type: application/octet-stream; name=\"{name}\"\n"
            "Content-Transfer-Encoding: base64\n"
            f'Content-Disposition: attachment; filename="{name}"\n\n{encoded}--{boundary}--\n'
        )
    elif kind < 0.35:
        boundary = f"=_a{rng.getrandbits(40):x}"
        html = "".join(f"<p>{line}</p>" for line in lines)
        text = (
            headers + f'Content-Type: multipart/alternative; boundary="{boundary}"\n\n'
            f"--{boundary}\nContent-Type: text/plain; charset=utf-8\n"
            "Content-Transfer-Encoding: 8bit\n\n"
            f"{body}\n--{boundary}\nContent-Type: text/html; charset=utf-8\n"
            "Content-Transfer-Encoding: 8bit\n\n"
            f"<html><body>{html}</body></html>\n--{boundary}--\n"
        )
    else:
        text = (
            headers + "Content-Type: text/plain; charset=utf-8\n"
            "Content-Transfer-Encoding: 8bit\n\n" + body + "\n"
        )
    # mboxrd: a body line starting with "From " (after any ">") gets one more ">"
    out = []
    for line in text.split("\n"):
        stripped = line.lstrip(">")
        if stripped.startswith("From "):
            line = ">" + line
        out.append(line)
    from_line = f"From {sender[1]} {when.strftime('%a %b %d %H:%M:%S %Y')}\n"
    return (from_line + "\n".join(out) + "\n").encode(), category, attached


def _encode_subject(subject: str) -> str:
    if subject.isascii():
        return subject
    return "=?utf-8?b?" + base64.b64encode(subject.encode()).decode() + "?="


def write_mbox(path: str | Path, target_bytes: int, seed: int = 1) -> dict:
    """Write an mboxrd file of realistic emails to `path`, stopping once it holds `target_bytes`."""
    rng = random.Random(seed)
    pick = _picker(rng)
    when = datetime.datetime(2023, 1, 1, 9, 0, tzinfo=datetime.UTC)
    size = 0
    count = 0
    categories: Counter[str] = Counter()
    attachments = 0
    with open(path, "wb") as file:
        out: list[bytes] = []
        pending = 0
        while size < target_bytes:
            when += datetime.timedelta(seconds=rng.expovariate(1 / 3600))
            message, category, attached = _email(rng, count, when, pick)
            categories[category] += 1
            attachments += attached
            count += 1
            out.append(message + b"\n")  # the empty line that ends each message of an mbox
            size += len(message) + 1
            pending += 1
            if pending >= 500:
                file.write(b"".join(out))
                out.clear()
                pending = 0
        file.write(b"".join(out))
    return {"messages": count, "bytes": size, "attachments": attachments,
            "categories": dict(categories)}
