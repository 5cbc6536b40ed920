"""The `safelight` console script: Django's commands, and a clear refusal when misconfigured."""

import os
import secrets
import subprocess
import sys

import pytest

SAFELIGHT = [sys.executable, "-m", "safelight.cli"]


def _clean_env(tmp_path, **extra):
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("SAFELIGHT_", "DJANGO_")) and k != "DATABASE_URL"
    }
    env["SAFELIGHT_DATA_DIR"] = str(tmp_path)
    env.update(extra)
    return env


def test_it_refuses_to_start_in_production_without_a_secret_and_says_what_to_set(tmp_path):
    result = subprocess.run(
        [*SAFELIGHT, "check"],
        env=_clean_env(tmp_path),
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 2
    assert result.stderr.startswith("safelight: SAFELIGHT_SECRET_KEY is not set")
    assert "Traceback" not in result.stderr


def test_it_runs_django_commands_with_safelight_settings(tmp_path):
    result = subprocess.run(
        [*SAFELIGHT, "help"],
        env=_clean_env(tmp_path, SAFELIGHT_MODE="demo"),
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    for command in ("demo", "democode", "serve", "createhandler", "migrate"):
        assert command in result.stdout


def test_it_passes_the_production_checks_when_configured(tmp_path):
    env = _clean_env(
        tmp_path,
        SAFELIGHT_SECRET_KEY=secrets.token_urlsafe(48),
        SAFELIGHT_RECEIPT_PEPPER="cd" * 32,
        SAFELIGHT_EVIDENCE_SIGNING_KEY="ce" * 32,
        SAFELIGHT_ALLOWED_HOSTS="reports.example.org",
    )
    result = subprocess.run(
        [*SAFELIGHT, "check", "--deploy", "--fail-level", "WARNING"],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize("argv0", ["safelight"])
def test_it_is_installed_as_a_console_script(argv0):
    from importlib.metadata import entry_points

    (script,) = [ep for ep in entry_points(group="console_scripts") if ep.name == argv0]
    assert script.value == "safelight.cli:main"


def test_it_explains_serve_without_production_secrets(tmp_path):
    """Issue 20, item 14: reading how to start the server needs no configuration."""
    result = subprocess.run(
        [*SAFELIGHT, "serve", "--help"],
        env=_clean_env(tmp_path),
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "usage: safelight serve" in result.stdout
    assert "--bind" in result.stdout
    assert not (tmp_path / "secrets").exists()  # nothing was generated in the real data dir
