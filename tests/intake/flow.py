"""Walking the reporter's path through the test client, as a browser without JavaScript would."""

from __future__ import annotations

import re

from django.core.files.uploadedfile import SimpleUploadedFile

from safelight.reports.models import Channel

RECEIPT = re.compile(r'<p class="receipt" id="receipt"><code>([0-9 ]+)</code></p>')


def step_url(channel: Channel, number: int) -> str:
    return f"/{channel.organisation.slug}/{channel.slug}/step/{number}/"


def review_url(channel: Channel) -> str:
    return f"/{channel.organisation.slug}/{channel.slug}/review/"


def start(client, channel: Channel):
    response = client.post(f"/{channel.organisation.slug}/{channel.slug}/")
    assert response.status_code == 302, response.status_code
    return response


def answer(client, channel: Channel, number: int, data: dict, go: str = "next"):
    return client.post(step_url(channel, number), {**data, "go": go})


def report(client, channel: Channel, steps: dict[int, dict], *, submit: bool = True) -> str | None:
    """Start a draft, post the given steps (others left empty), review and send.

    Returns the receipt shown on the receipt page."""
    start(client, channel)
    count = channel.questionnaire.steps.count()
    for number in range(1, count + 1):
        response = answer(client, channel, number, steps.get(number, {}))
        assert response.status_code == 302, response.content.decode()[:3000]
    if not submit:
        return None
    response = client.post(review_url(channel))
    assert response.status_code == 200, response.content.decode()[:3000]
    match = RECEIPT.search(response.content.decode())
    assert match, response.content.decode()[:3000]
    return match.group(1)


def upload(name: str, data: bytes, content_type: str = "application/octet-stream"):
    return SimpleUploadedFile(name, data, content_type=content_type)
