"""`safelight referrals_export` and `safelight referrals_import`."""

import json
import zipfile

import pytest
from django.core.management import CommandError, call_command

from safelight.referrals.models import Service
from tests.referrals.snapshot import directory_snapshot


@pytest.mark.parametrize("fmt", ["json", "csv"])
def test_it_exports_and_reimports_through_the_commands(organisation, counselling, law_line,
                                                       tmp_path, capsys, fmt):
    before = directory_snapshot(organisation)
    path = tmp_path / f"directory.{fmt}"
    call_command("referrals_export", organisation="acme", format=fmt, output=str(path))
    Service.objects.all().delete()

    call_command("referrals_import", str(path), organisation="acme")

    assert directory_snapshot(organisation) == before
    out = capsys.readouterr()
    assert "Exported 2 entries of Acme Platform" in out.err
    assert "Imported 2 entries into Acme Platform: 2 added, 0 updated." in out.out


def test_it_writes_json_and_a_zip(organisation, counselling, tmp_path):
    call_command("referrals_export", organisation="acme", format="json",
                 output=str(tmp_path / "d.json"))
    call_command("referrals_export", organisation="acme", format="csv",
                 output=str(tmp_path / "d.zip"))
    assert json.loads((tmp_path / "d.json").read_text())["total_items"] == 1
    assert "services.csv" in zipfile.ZipFile(tmp_path / "d.zip").namelist()


def test_it_lists_what_it_left_out_and_exits_with_1(organisation, tmp_path, capsys):
    path = tmp_path / "mixed.json"
    path.write_text(json.dumps([
        {"id": "0b8e8d7e-0c43-4a8a-9c55-2b5f0d0f6a11", "name": "Alpha", "status": "active"},
        {"id": "0b8e8d7e-0c43-4a8a-9c55-2b5f0d0f6a12", "status": "active"},
    ]))
    with pytest.raises(SystemExit) as exit_:
        call_command("referrals_import", str(path), organisation="acme")
    assert exit_.value.code == 1
    out = capsys.readouterr()
    assert "1 added" in out.out
    assert "item 2 (id 0b8e8d7e-0c43-4a8a-9c55-2b5f0d0f6a12): no name" in out.err
    assert Service.objects.get().name == "Alpha"


def test_it_stops_on_a_file_it_cannot_read(organisation, tmp_path):
    path = tmp_path / "broken.json"
    path.write_text("{nope")
    with pytest.raises(CommandError, match="Nothing imported: not valid JSON"):
        call_command("referrals_import", str(path), organisation="acme")
    with pytest.raises(CommandError, match="Cannot read"):
        call_command("referrals_import", str(tmp_path / "missing.json"), organisation="acme")


def test_it_needs_a_known_organisation(db, tmp_path):
    with pytest.raises(CommandError, match="No organisation"):
        call_command("referrals_export", organisation="nope", output=str(tmp_path / "x"))
    with pytest.raises(CommandError, match="No organisation"):
        call_command("referrals_import", str(tmp_path / "x"), organisation="nope")
