"""`safelight demo`: idempotent seeding, and a real server that answers on the printed address."""

import os
import socket
import subprocess
import sys
import time
import urllib.request

import pytest
from django.conf import settings
from django.core.management import call_command

from safelight import demo
from safelight.accounts.models import Handler, Organisation
from safelight.audit.models import Event
from safelight.escrow import access as escrow_access
from safelight.escrow.models import EscrowSettings
from safelight.reports import access
from safelight.reports.models import Channel, Recipient


@pytest.mark.django_db
def test_it_seeds_demo_data_idempotently():
    demo.seed()
    counts = (
        Organisation.objects.count(), Handler.objects.count(), Channel.objects.count(),
        Event.objects.count(),
    )
    demo.seed()
    assert (
        Organisation.objects.count(), Handler.objects.count(), Channel.objects.count(),
        Event.objects.count(),
    ) == counts
    assert counts[:3] == (1, 4, 2)
    # Both channels take reports at once: the demo's readers already have key pairs.
    assert all(h.public_key is not None for h in Handler.objects.all())
    assert access.open_channels(Organisation.objects.get()).count() == 2
    admin = Handler.objects.get(user__username="demo-admin")
    assert admin.user.is_staff and not admin.user.is_superuser  # its organisation only
    assert admin.user.check_password(demo.DEMO_PASSWORD)
    assert not Handler.objects.get(user__username="demo-handler").user.is_staff
    # Case handling: an on-call coordinator, an external investigator, and the libraries.
    work = Channel.objects.get(slug="form-1")
    roles = {r.handler.user.username: (r.role, r.on_call) for r in work.recipient_set.all()}
    assert roles == {"demo-handler": ("coordinator", True), "demo-admin": ("investigator", False),
                     "demo-investigator": ("external", False)}
    organisation = Organisation.objects.get()
    assert organisation.reply_templates.count() == 6 * len(settings.LANGUAGES)
    assert organisation.services.count() == 8
    # Report together: offered, with a counsellor who reads no channel and already has a key.
    together = EscrowSettings.objects.get(organisation=organisation)
    assert together.enabled and together.phone_region == "GB"
    assert [h.user.username for h in together.counsellors.all()] == ["demo-counsellor"]
    assert not Recipient.objects.filter(handler__user__username="demo-counsellor").exists()
    assert escrow_access.available(organisation)


@pytest.mark.django_db
def test_it_gives_the_demo_channels_neutral_addresses():
    """Addresses are kept in browsers' history: /demo/form-2/, never /demo/partner-abuse/."""
    organisation = demo.seed()
    slugs = {c.name: c.slug for c in Channel.objects.language("en")}
    assert slugs == {"Harassment at work": "form-1", "Abuse by a partner or ex-partner": "form-2"}
    # Demo data seeded before the change is given the neutral addresses.
    Channel.objects.filter(slug="form-2").update(slug="partner-abuse")
    demo.seed()
    channel = Channel.objects.get(organisation=organisation,
                                  translations__language_code="en",
                                  translations__name__startswith="Abuse")
    assert channel.slug == "form-2"


@pytest.mark.django_db
def test_it_refuses_to_seed_a_database_named_by_database_url(monkeypatch):
    monkeypatch.setenv("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/production")
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="unset DATABASE_URL"):
        call_command("demo", no_serve=True)


def _free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_it_serves_the_demo_and_prints_both_addresses(tmp_path):
    port = _free_port()
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("SAFELIGHT_", "DJANGO_")) and k != "DATABASE_URL"
    }
    env["SAFELIGHT_DATA_DIR"] = str(tmp_path)
    log = tmp_path / "demo.log"
    with log.open("w") as out:
        process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "safelight.cli",
                "demo",
                "--bind",
                f"127.0.0.1:{port}",
                "--workers",
                "1",
            ],
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    try:
        body = None
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and body is None:
            try:
                with urllib.request.urlopen(
                    f"http://127.0.0.1:{port}/demo/", timeout=5
                ) as response:
                    body = response.read().decode()
                    headers = response.headers
            except OSError:
                assert process.poll() is None, log.read_text()
                time.sleep(0.3)
        assert body is not None, log.read_text()
        assert "Northwind Workplace (demo)" in body and "Quick exit" in body
        assert headers["Cache-Control"] == "no-store"
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/staff/admin/login/", timeout=5) as r:
            assert r.status == 200
    finally:
        process.terminate()
        process.wait(timeout=30)
    printed = log.read_text()
    assert f"Reporter side:  http://127.0.0.1:{port}/demo/" in printed
    assert f"Staff side:     http://127.0.0.1:{port}/staff/" in printed
    # The requests above came from 127.0.0.1; no log line may carry a client address. The
    # server's own bind address, with its port, is the operator's to see ("Listening at").
    assert f"Listening at: http://127.0.0.1:{port}" in printed
    for line in printed.splitlines():
        if "side:" not in line:
            assert "127.0.0.1" not in line.replace(f"127.0.0.1:{port}", ""), line
    assert (tmp_path / "safelight.sqlite3").exists()


@pytest.mark.django_db
def test_it_prints_a_demo_account_code_only_in_demo_mode(settings):
    import io

    from django.core.management.base import CommandError
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from tests.conftest import totp_code

    organisation = demo.seed()
    user = organisation.handlers.get(user__username="demo-admin").user
    with pytest.raises(CommandError, match="sign in with the password first"):
        call_command("democode", "demo-admin")
    device = TOTPDevice.objects.create(user=user, name="app", confirmed=False)
    out = io.StringIO()
    call_command("democode", "demo-admin", stdout=out)
    assert out.getvalue().strip() == totp_code(device)
    settings.SAFELIGHT_MODE = "production"
    with pytest.raises(CommandError, match="only in demo mode"):
        call_command("democode", "demo-admin")
