"""Helpers for the browser report flow: evidence files, a handler's authenticator, signing in."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from django_otp.plugins.otp_totp.models import TOTPDevice
from PIL import Image
from playwright.sync_api import Page, expect

from tests.conftest import PASSWORD, totp_code

GPS_IFD = 0x8825
MAKE = 0x010F
MAKER = "PhoneMaker"
JPEG_MAGIC = b"\xff\xd8\xff"


def gps_jpeg() -> bytes:
    """A small photo that says where it was taken and which phone took it."""
    exif = Image.Exif()
    exif[MAKE] = MAKER
    gps = exif.get_ifd(GPS_IFD)
    gps[1] = "N"
    gps[2] = (51.0, 30.0, 0.0)
    gps[3] = "W"
    gps[4] = (0.0, 7.0, 0.0)
    out = io.BytesIO()
    Image.new("RGB", (64, 48), (200, 120, 40)).save(out, "JPEG", exif=exif)
    data = out.getvalue()
    # The test is only worth something if the details are really there to begin with.
    assert MAKER.encode() in data
    with Image.open(io.BytesIO(data)) as image:
        assert image.getexif().get_ifd(GPS_IFD)[2] == (51.0, 30.0, 0.0)
    return data


def small_png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (32, 32), (20, 90, 160)).save(out, "PNG")
    return out.getvalue()


def javascript_on(request: pytest.FixtureRequest) -> bool:
    """Which way the `visit` fixture was parametrized for this test."""
    return request.node.callspec.params["visit"]


def confirmed_device(handler) -> TOTPDevice:
    """The handler's authenticator app, already connected, so sign-in asks for a code."""
    device, _ = TOTPDevice.objects.get_or_create(
        user=handler.user, confirmed=True, defaults={"name": "authenticator"}
    )
    allow_code_again(device)
    return device


def allow_code_again(device: TOTPDevice) -> None:
    """Let the same 30-second code be used again within one test."""
    device.refresh_from_db()
    device.last_t = -1
    device.save()


def staff_sign_in(page: Page, base: str, handler, device: TOTPDevice) -> None:
    """Go to /staff/, get sent to the sign-in form, fill it and land on the staff home page."""
    page.goto(base + "/staff/")
    expect(page.get_by_role("heading", name="Sign in to handle reports")).to_be_visible()
    page.get_by_label("Username").fill(handler.user.username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_label("Code from your authenticator app").fill(totp_code(device))
    page.get_by_role("button", name="Sign in").click()
    expect(page).to_have_url(base + "/staff/")
    expect(
        page.get_by_role("heading", name=f"Signed in as {handler.user.username}")
    ).to_be_visible()


def stored_files(root) -> list[Path]:
    return [path for path in Path(root).rglob("*") if path.is_file()]
