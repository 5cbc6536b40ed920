"""`safelight techcheck_load_indicators`: a newer copy is recorded with its version and date,
used from then on, and shown with every result."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from django.apps import apps
from django.core.management import CommandError, call_command

from safelight.techcheck import indicators as ind
from safelight.techcheck import matching

from .test_indicators import stix_bundle

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(not apps.is_installed("safelight.techcheck"),
                       reason="safelight.techcheck is not in INSTALLED_APPS yet"),
]

PM_LIST = b"package:/data/app/~~a==/com.topspy.system-b==/base.apk=com.topspy.system " \
          b"installer=null uid:10300\n"


def current():
    from safelight.techcheck.access import current_indicators

    return current_indicators()


def test_without_a_loaded_set_the_shipped_copy_is_in_force():
    assert current().version == ind.shipped().version == "a04c5c1"


def test_it_loads_a_stix_bundle_records_it_and_uses_it(tmp_path: Path):
    from safelight.audit.models import Event
    from safelight.techcheck.models import IndicatorSet

    path = tmp_path / "stalkerware.stix2"
    path.write_bytes(stix_bundle())
    out, err = io.StringIO(), io.StringIO()
    with pytest.raises(SystemExit) as exit_status:  # one pattern was not understood
        call_command("techcheck_load_indicators", str(path), "--set-version", "66d4879",
                     stdout=out, stderr=err)
    assert exit_status.value.code == 1
    assert "Loaded Echap stalkerware-indicators version 66d4879 of 2026-05-02" in out.getvalue()
    assert "1 patterns were not understood" in err.getvalue()
    row = IndicatorSet.objects.get()
    assert row.published is not None
    assert row.published.isoformat() == "2026-05-02"
    assert Event.objects.filter(action="techcheck.indicators_load", target_id=str(row.pk)).exists()
    in_force = current()
    assert (in_force.version, in_force.date) == ("66d4879", "2026-05-02")
    # The dual-use list comes along with any loaded set.
    assert "com.anydesk.anydeskandroid" in in_force.packages
    result = matching.check_file(io.BytesIO(PM_LIST), in_force)
    [finding] = result.findings
    assert (finding.family, finding.confidence) == ("1TopSpy", "likely")
    assert result.indicators.version == "66d4879"
    assert result.indicators.attribution == "Stalkerware indicators by Echap, CC-BY 4.0"


def test_it_loads_echaps_yaml_files_with_a_given_date(tmp_path: Path):
    ioc = tmp_path / "ioc.yaml"
    ioc.write_bytes(b"- name: NewSpy\n  type: stalkerware\n  packages:\n  - com.newspy.app\n")
    watchware = tmp_path / "watchware.yaml"
    watchware.write_bytes(b"- name: KidWatch\n  packages:\n  - com.kidwatch\n")
    out = io.StringIO()
    call_command("techcheck_load_indicators", str(ioc), str(watchware), "--date", "2026-11-01",
                 stdout=out)
    in_force = current()
    assert in_force.date == "2026-11-01"
    assert len(in_force.version) == 12  # the files' SHA-256, when no version is given
    assert in_force.family(in_force.packages["com.newspy.app"]).kind == ind.STALKERWARE
    assert in_force.family(in_force.packages["com.kidwatch"]).kind == ind.WATCHWARE
    assert "com.thetruth" not in in_force.packages  # the loaded set replaces the shipped one
    assert "2 apps" in out.getvalue()


def test_a_file_with_nothing_usable_changes_nothing(tmp_path: Path):
    from safelight.techcheck.models import IndicatorSet

    path = tmp_path / "notes.yaml"
    path.write_bytes(b"hello: world\n")
    with pytest.raises(CommandError, match="Nothing loaded"):
        call_command("techcheck_load_indicators", str(path), stderr=io.StringIO())
    assert not IndicatorSet.objects.exists()
    assert current().version == "a04c5c1"


def test_a_missing_file_or_a_bad_date_is_a_plain_error(tmp_path: Path):
    with pytest.raises(CommandError, match="Cannot read"):
        call_command("techcheck_load_indicators", str(tmp_path / "absent.yaml"))
    with pytest.raises(CommandError, match="is not a date"):
        call_command("techcheck_load_indicators", str(tmp_path / "x"), "--date", "June")


def test_samples_are_read_after_the_families_they_name_whatever_the_order(tmp_path: Path):
    samples = tmp_path / "samples.csv"
    samples.write_bytes(b"SHA256,Package Name,Certificate,Version,App\n"
                        b"5e52438f28275dc2a7e83b989e726f86ba53c915b44f126507763850197646f6,"
                        b"com.newspy.app,,3,NewSpy\n")
    ioc = tmp_path / "ioc.yaml"
    ioc.write_bytes(b"- name: NewSpy\n  packages:\n  - com.newspy.app\n")
    call_command("techcheck_load_indicators", str(samples), str(ioc), stdout=io.StringIO())
    assert list(current().file_hashes) == [
        "5e52438f28275dc2a7e83b989e726f86ba53c915b44f126507763850197646f6"]
