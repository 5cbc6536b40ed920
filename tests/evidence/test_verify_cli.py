"""`safelight verify BUNDLE.zip [--key HEX]`: runs without any Safelight configuration."""

from __future__ import annotations

import io
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from safelight.cli import main
from safelight.evidence.bundle import key_fingerprint
from tests.evidence.bundle_factory import KEY, build, bundle_bytes, write

SAFELIGHT = Path(sys.executable).parent / "safelight"
ROOT = Path(__file__).parents[2]


@pytest.fixture(scope="module")
def built():
    return build(5)


@pytest.fixture
def good(tmp_path, built) -> Path:
    return write(tmp_path, bundle_bytes(built), "evidence.zip")


@pytest.fixture
def changed(tmp_path, built) -> Path:
    data = bundle_bytes(built)
    path = built.content.items[2].path
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as old, zipfile.ZipFile(out, "w") as new:
        for info in old.infolist():
            body = old.read(info)
            new.writestr(info, body + b"!" if info.filename == path else body)
    return write(tmp_path, out.getvalue(), "changed.zip")


def _clean_env(tmp_path: Path) -> dict[str, str]:
    env = {name: value for name, value in os.environ.items()
           if not name.startswith(("SAFELIGHT_", "DJANGO_")) and name != "DATABASE_URL"}
    env["HOME"] = str(tmp_path)
    return env


def test_it_prints_each_part_and_a_plain_summary(good, built, capsys) -> None:
    assert main(["safelight", "verify", str(good)]) == 0
    out = capsys.readouterr().out
    public = built.content.public_key
    assert f"Signed with public key {public.hex()}\n" in out
    assert f"Key fingerprint: {key_fingerprint(public)}\n" in out
    for line in ("  ok    evidence.zip: opens as a ZIP archive of 8 files",
                 "  ok    manifest.json: signature verifies",
                 "  ok    items: 5 of 5 match the signed custody log",
                 "  ok    report.pdf: matches the signed manifest"):
        assert line in out
    assert "\nAll 5 items match the signed custody log.\n" in out
    assert "check that it is the one the organisation publishes" in out


def test_it_checks_the_key_it_is_given(good, built, capsys) -> None:
    assert main(["safelight", "verify", str(good), "--key", built.content.public_key.hex()]) == 0
    out = capsys.readouterr().out
    assert "  ok    public key: is the expected key" in out
    assert "check that it is the one" not in out
    other = "ab" * 32
    assert main(["safelight", "verify", str(good), "--key", other]) == 1
    out = capsys.readouterr().out
    assert "  FAIL  public key: is not the expected key" in out
    assert f"not with the expected key {other}" in out


def test_it_names_the_changed_item_and_fails(changed, built, capsys) -> None:
    assert main(["safelight", "verify", str(changed)]) == 1
    out = capsys.readouterr().out
    assert "  FAIL  items: 4 of 5 match" in out
    assert "\n1 problem found:\n" in out
    assert f"  - {built.content.items[2].path}: item item-2: the file was changed" in out
    assert "All 5 items" not in out


def test_it_lists_every_item_when_asked(changed, built, capsys) -> None:
    assert main(["safelight", "verify", "-v", str(changed)]) == 1
    out = capsys.readouterr().out
    for number, item in enumerate(built.content.items):
        assert f"  {'FAIL' if number == 2 else 'ok  '}  {item.path}\n" in out


def test_it_says_when_the_file_is_not_a_bundle(tmp_path, capsys) -> None:
    path = write(tmp_path, b"", "empty.zip")
    assert main(["safelight", "verify", str(path)]) == 1
    out = capsys.readouterr().out
    assert "  FAIL  empty.zip: cannot be opened as a ZIP archive" in out
    assert "  - empty.zip: cannot be opened as a ZIP archive: it is not one, or it is too " \
           "damaged (the file is empty)" in out


@pytest.mark.parametrize(
    ("argv", "error"),
    [
        ([], "the following arguments are required: bundle"),
        (["a.zip", "b.zip"], "unrecognized arguments: b.zip"),
        (["{good}", "--key", "not-hex"], "--key must be 64 hexadecimal digits"),
        (["{good}", "--key"], "expected one argument"),
        (["nowhere.zip"], "safelight verify: nowhere.zip: no such file"),
    ],
)
def test_it_exits_2_on_a_usage_error(good, capsys, argv, error) -> None:
    argv = [arg.format(good=good) for arg in argv]
    assert main(["safelight", "verify", *argv]) == 2
    captured = capsys.readouterr()
    assert error in captured.err
    assert captured.out == ""


def test_it_prints_help(capsys) -> None:
    assert main(["safelight", "verify", "--help"]) == 0
    assert "usage: safelight verify [-h] [--key HEX] [-v] bundle" in capsys.readouterr().out


def test_it_leaves_django_settings_alone(good, monkeypatch, capsys) -> None:
    monkeypatch.delenv("DJANGO_SETTINGS_MODULE", raising=False)
    assert main(["safelight", "verify", str(good)]) == 0
    assert "DJANGO_SETTINGS_MODULE" not in os.environ


def test_it_runs_as_the_installed_command_without_any_configuration(tmp_path, good,
                                                                     changed) -> None:
    env = _clean_env(tmp_path)
    key = KEY.verify_key().to_bytes()[1:].hex()
    ok = subprocess.run([str(SAFELIGHT), "verify", str(good), "--key", key], env=env,
                        cwd=tmp_path, capture_output=True, text=True, timeout=60, check=False)
    assert ok.returncode == 0, ok.stderr
    assert ok.stdout.rstrip().endswith("All 5 items match the signed custody log.")
    assert ok.stderr == ""
    bad = subprocess.run([str(SAFELIGHT), "verify", str(changed)], env=env, cwd=tmp_path,
                         capture_output=True, text=True, timeout=60, check=False)
    assert bad.returncode == 1
    assert "1 problem found:" in bad.stdout
    usage = subprocess.run([str(SAFELIGHT), "verify"], env=env, cwd=tmp_path,
                           capture_output=True, text=True, timeout=60, check=False)
    assert usage.returncode == 2
    assert "Traceback" not in usage.stderr


def test_it_never_imports_django(tmp_path, good) -> None:
    code = (
        "import sys\n"
        "from safelight.cli import main\n"
        f"rc = main(['safelight', 'verify', {str(good)!r}])\n"
        "loaded = [m for m in sys.modules if m.split('.')[0] == 'django']\n"
        "print('django modules:', loaded)\n"
        "sys.exit(rc)\n"
    )
    result = subprocess.run([sys.executable, "-c", code], env=_clean_env(tmp_path), cwd=ROOT,
                            capture_output=True, text=True, timeout=60, check=False)
    assert result.returncode == 0, result.stderr
    assert "django modules: []" in result.stdout
