"""Reading phone exports: each format, told apart by content, and bad files of each kind."""

from __future__ import annotations

import codecs
import io
import json
import zipfile
from pathlib import Path

from safelight.techcheck import inputs
from safelight.techcheck.inputs import read_input

DATA = Path(__file__).parent / "data"


def read(data: bytes, **kwargs):
    return read_input(io.BytesIO(data), **kwargs)


def by_package(parsed):
    return {app.package: app for app in parsed.apps}


def test_it_reads_a_package_list_with_paths_installers_and_uids():
    parsed = read((DATA / "pm_list.txt").read_bytes())
    assert parsed.kind == inputs.PM_LIST
    assert parsed.problems == []
    apps = by_package(parsed)
    assert len(apps) == 15
    spy = apps["com.thetruth"]
    assert spy.installer == "null"
    assert spy.uid == 10241
    assert spy.system is False
    assert spy.path.endswith("/base.apk")
    assert apps["com.whatsapp"].installer == "com.android.vending"
    assert apps["com.android.bluetooth"].system is True


def test_it_reads_a_package_list_saved_by_powershell_in_utf16_with_crlf():
    text = (DATA / "pm_list.txt").read_text().replace("\n", "\r\n")
    parsed = read(codecs.BOM_UTF16_LE + text.encode("utf-16-le"))
    assert parsed.kind == inputs.PM_LIST
    assert "com.thetruth" in by_package(parsed)
    assert parsed.problems == []


def test_it_reads_a_list_without_paths_or_installers():
    parsed = read(b"package:com.whatsapp\npackage:com.mxspy\n")
    apps = by_package(parsed)
    assert set(apps) == {"com.whatsapp", "com.mxspy"}
    assert apps["com.mxspy"].installer is None  # unknown, not "no installer"


def test_it_counts_lines_it_cannot_read_without_quoting_them():
    data = b"package:com.whatsapp installer=com.android.vending uid:10001\n" \
           b"secret words of someone\npackage:not a package\n"
    parsed = read(data)
    assert list(by_package(parsed)) == ["com.whatsapp"]
    assert parsed.problems == [
        "2 lines could not be read and were skipped (the first at line 2)."]
    assert "secret" not in " ".join(parsed.problems)


def test_it_reads_androidqf_packages_with_certificates_and_file_hashes():
    parsed = read((DATA / "androidqf_packages.json").read_bytes())
    assert parsed.kind == inputs.ANDROIDQF
    assert parsed.problems == []
    apps = by_package(parsed)
    assert len(apps) == 6
    disguised = apps["com.android.system.sync"]
    assert disguised.certificates == {"31A6ECECD97CF39BC4126B8745CD94A7C30BF81C"}
    assert disguised.installer == "null"
    assert disguised.system is False
    assert apps["com.google.android.youtube"].system is True
    assert len(next(iter(apps["com.whatsapp"].file_hashes))) == 64


def test_it_keeps_the_apps_before_the_end_of_a_truncated_androidqf_file():
    data = (DATA / "androidqf_packages.json").read_bytes()
    parsed = read(data[: len(data) * 2 // 3])
    assert parsed.kind == inputs.ANDROIDQF
    assert 1 <= len(parsed.apps) < 6
    assert parsed.problems == [
        "The file ends part way through: only the apps before that point were checked."]


def test_it_skips_androidqf_entries_that_are_not_apps():
    parsed = read(json.dumps([{"name": "com.whatsapp"}, {"name": 4}, "x", {"nom": "a"}]).encode())
    assert [app.package for app in parsed.apps] == ["com.whatsapp"]
    assert parsed.problems == ["3 entries were not apps and were skipped."]


def test_it_reads_a_bug_reports_packages_admins_and_accessibility_services():
    parsed = read((DATA / "bugreport.txt").read_bytes())
    assert parsed.kind == inputs.BUGREPORT
    apps = by_package(parsed)
    assert set(apps) == {"com.google.android.gms", "com.whatsapp", "com.android.core.mngr",
                         "de.example.banking"}
    spy = apps["com.android.core.mngr"]
    assert spy.installer == "null"
    assert spy.device_admin and spy.accessibility
    assert spy.uid == 10250
    assert apps["com.google.android.gms"].system is True
    assert apps["com.google.android.gms"].device_admin
    assert not apps["com.whatsapp"].device_admin
    assert not apps["com.whatsapp"].accessibility
    assert apps["com.whatsapp"].installer == "com.android.vending"


def zipped(name: str, data: bytes) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("version.txt", "2.0")
        archive.writestr(name, data)
    return out.getvalue()


def test_it_reads_the_bug_report_inside_its_zip():
    data = zipped("bugreport-oriole-TP1A.220624.014-2026-11-30-18-02-11.txt",
                  (DATA / "bugreport.txt").read_bytes())
    parsed = read(data)
    assert parsed.kind == inputs.BUGREPORT
    assert "com.android.core.mngr" in by_package(parsed)


def test_it_says_what_was_expected_for_a_zip_without_a_bug_report():
    parsed = read(zipped("photos/holiday.txt", b"hello"))
    assert parsed.problems == ["The zip file has no bug report in it."]
    assert parsed.expected == inputs.expected_message()


def test_it_says_a_broken_zip_cannot_be_opened():
    data = zipped("bugreport.txt", b"Packages:\n" * 100)
    parsed = read(data[:200])
    assert parsed.problems == ["The zip file could not be opened."]
    assert parsed.expected


def test_a_zip_bomb_costs_no_more_than_the_cap():
    data = zipped("bugreport-x.txt", b"Packages:\n" + b" " * (8 * 2**20))
    parsed = read(data, limit=2**20)
    assert "The file is larger than 1 MB: only the first part was checked." in parsed.problems


def test_it_reads_an_app_privacy_report():
    parsed = read((DATA / "privacy_report.ndjson").read_bytes())
    assert parsed.kind == inputs.PRIVACY_REPORT
    assert parsed.problems == []
    activity = parsed.activity
    assert activity["net.whatsapp.WhatsApp"].accesses == {"camera": 1, "microphone": 1}
    assert activity["com.batterysaver.pro"].domains == {"thetruth-db94a.firebaseio.com": 31}
    assert activity["com.apple.mobilesafari"].domains == {"www.bbc.co.uk": 14,
                                                          "thetruthspy.com": 3}


def test_it_skips_broken_lines_of_a_privacy_report():
    good = (DATA / "privacy_report.ndjson").read_bytes()
    parsed = read(good + b'{"type": "networkActivity", "bundleID": "a.b"}\n{"type": "acc')
    assert parsed.kind == inputs.PRIVACY_REPORT
    assert parsed.problems == [
        "2 lines could not be read and were skipped (the first at line 15)."]
    assert "com.batterysaver.pro" in parsed.activity


def test_it_says_what_was_expected_for_a_file_of_another_kind():
    for data in (b"Dear diary,\nToday...\n", b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 40,
                 b'{"type": "bundle", "objects": []}', b"[1, 2, 3]", b"%PDF-1.7\n"):
        parsed = read(data)
        assert parsed.kind == inputs.UNKNOWN
        assert parsed.apps == []
        assert parsed.expected.startswith("This file is not one we can read.")


def test_it_says_an_empty_file_is_empty():
    parsed = read(b"")
    assert parsed.problems == ["The file is empty."]
    assert parsed.expected


def test_it_stops_at_the_size_cap_and_says_so():
    line = b"package:/data/app/x==/com.example.a-y==/base.apk=com.example.a installer=null uid:1\n"
    parsed = read(line * 50_000, limit=2**20)
    assert parsed.kind == inputs.PM_LIST
    assert "The file is larger than 1 MB: only the first part was checked." in parsed.problems


def test_a_stream_that_fails_part_way_is_a_problem_not_a_crash():
    class Broken(io.RawIOBase):
        calls = 0

        def readable(self):
            return True

        def read(self, size=-1):
            self.calls += 1
            if self.calls > 1:
                raise OSError("device unplugged")
            return b"package:com.whatsapp installer=com.android.vending uid:10001\n"

    parsed = read_input(Broken())
    assert [app.package for app in parsed.apps] == ["com.whatsapp"]
    assert "The file could not be read to the end." in parsed.problems


def test_an_over_long_line_is_cut_and_the_lines_after_it_are_still_read():
    good = (DATA / "privacy_report.ndjson").read_bytes()
    long_line = b'{"type": "networkActivity", "bundleID": "a.b", "domain": "' + b"x" * 400_000
    parsed = read(good + long_line + b'"}\n' + good)
    assert parsed.kind == inputs.PRIVACY_REPORT
    assert parsed.problems == ["1 line could not be read and was skipped (line 15)."]
    assert parsed.activity["com.batterysaver.pro"].domains == {
        "thetruth-db94a.firebaseio.com": 62}
