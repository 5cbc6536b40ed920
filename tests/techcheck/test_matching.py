"""From apps to findings: what is flagged, how sure, and that every finding carries the note."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from safelight.techcheck import indicators as ind
from safelight.techcheck import matching
from safelight.techcheck.inputs import App, ParsedInput

DATA = Path(__file__).parent / "data"


@pytest.fixture(scope="module")
def indicators():
    return ind.shipped()


def check(name: str, indicators):
    with open(DATA / name, "rb") as stream:
        return matching.check_file(stream, indicators)


def findings_by_app(result):
    found: dict[str, list[matching.Finding]] = {}
    for finding in result.findings:
        found.setdefault(finding.app, []).append(finding)
    return found


def test_it_finds_stalkerware_dual_use_and_sideloaded_apps_in_a_package_list(indicators):
    result = check("pm_list.txt", indicators)
    found = findings_by_app(result)
    assert set(found) == {"com.thetruth", "update.service.android",
                          "com.life360.android.safetymapd", "com.teamviewer.quicksupport.market",
                          "com.example.offlinegame"}
    [truth] = found["com.thetruth"]
    assert (truth.kind, truth.confidence, truth.family) == ("stalkerware", "likely", "TheTruthSpy")
    assert truth.title == "Known stalkerware: TheTruthSpy"
    assert "com.thetruth" in truth.explanation and "not proof" in truth.explanation
    [mspy] = found["update.service.android"]
    assert (mspy.kind, mspy.family) == ("stalkerware", "mSpy")
    [life360] = found["com.life360.android.safetymapd"]
    assert (life360.kind, life360.confidence) == ("monitoring", "likely")
    [teamviewer] = found["com.teamviewer.quicksupport.market"]
    assert (teamviewer.kind, teamviewer.family) == ("monitoring", "TeamViewer")
    [game] = found["com.example.offlinegame"]
    assert (game.kind, game.confidence) == ("outside_store", "possible")
    # System apps without an installer and apps from stores are not flagged.
    assert "com.android.bluetooth" not in found
    assert "com.samsung.android.app.notes" not in found
    assert result.apps_checked == 15
    assert result.findings[0].confidence == "likely"  # the surest first


def test_a_signing_certificate_makes_the_match_certain_whatever_the_name(indicators):
    result = check("androidqf_packages.json", indicators)
    found = findings_by_app(result)
    [disguised] = found["com.android.system.sync"]
    assert (disguised.kind, disguised.confidence) == ("stalkerware", "certain")
    assert disguised.family == "TheTruthSpy"
    assert disguised.evidence == "31A6ECECD97CF39BC4126B8745CD94A7C30BF81C"
    assert disguised.confidence_label == "Certain"
    assert "certain" in disguised.explanation
    [mspy] = found["com.mspy.lite"]
    assert (mspy.kind, mspy.confidence) == ("stalkerware", "likely")
    # F-Droid itself came from a file; an app from F-Droid came from a store.
    assert [f.kind for f in found["org.fdroid.fdroid"]] == ["outside_store"]
    assert "org.nuclearfog.apollo" not in found
    assert "com.google.android.youtube" not in found
    assert result.findings[0].app == "com.android.system.sync"


def test_a_bug_report_shows_device_administrators_and_accessibility_services(indicators):
    result = check("bugreport.txt", indicators)
    found = findings_by_app(result)
    kinds = sorted(f.kind for f in found["com.android.core.mngr"])
    assert kinds == ["accessibility", "device_admin", "stalkerware"]
    assert [f.kind for f in found["com.google.android.gms"]] == ["device_admin"]
    assert "com.whatsapp" not in found


def test_an_app_that_contacted_a_stalkerware_server_is_a_finding(indicators):
    result = check("privacy_report.ndjson", indicators)
    found = findings_by_app(result)
    server = next(f for f in found["com.batterysaver.pro"] if f.kind == "indicator_domain")
    assert (server.confidence, server.family) == ("likely", "TheTruthSpy")
    assert server.evidence == "thetruth-db94a.firebaseio.com"
    assert "thetruth-db94a.firebaseio.com" in server.explanation
    access = next(f for f in found["com.batterysaver.pro"] if f.kind == "sensitive_access")
    assert access.confidence == "information"
    assert "location" in access.explanation
    # Safari on the vendor's website: possible, and it says this may be the person herself.
    [website] = [f for f in found["com.apple.mobilesafari"] if f.kind == "indicator_domain"]
    assert website.confidence == "possible"
    assert "you included" in website.explanation
    assert [f.kind for f in found["net.whatsapp.WhatsApp"]] == ["sensitive_access"]
    assert "camera, microphone" in found["net.whatsapp.WhatsApp"][0].explanation


def test_a_subdomain_of_an_indicator_domain_matches_and_a_lookalike_does_not(indicators):
    assert matching.match_domain("eu.api.mxspy.com", indicators)[2] == "mxspy.com"
    assert matching.match_domain("notmxspy.com", indicators) is None
    assert matching.match_domain("com", indicators) is None


def test_every_finding_carries_the_safety_note_and_options(indicators):
    for name in ("pm_list.txt", "androidqf_packages.json", "bugreport.txt",
                 "privacy_report.ndjson"):
        result = check(name, indicators)
        assert result.findings
        for finding in result.findings:
            assert finding.safety_note == matching.safety_note()
            assert "alert the person" in finding.safety_note
            assert "safety plan" in finding.safety_note
            assert "may show that this check was done" in finding.safety_note
            assert finding.options
            assert finding.title and finding.explanation


def test_results_name_the_indicator_set_and_its_attribution(indicators):
    result = check("pm_list.txt", indicators)
    assert result.indicators.name == "Echap stalkerware-indicators"
    assert result.indicators.version == "a04c5c1"
    assert result.indicators.date == "2026-06-21"
    assert result.indicators.attribution == "Stalkerware indicators by Echap, CC-BY 4.0"


def test_a_file_of_another_kind_gets_what_was_expected_and_no_findings(indicators):
    result = matching.check_file(io.BytesIO(b"just some notes\n"), indicators)
    assert not result.readable
    assert result.findings == []
    assert result.expected.startswith("This file is not one we can read.")
    assert result.indicators.version == "a04c5c1"


def test_an_app_with_unknown_installer_is_not_called_sideloaded(indicators):
    parsed = ParsedInput(kind="pm_list", apps=[App(package="com.example.x")])
    assert matching.check(parsed, indicators).findings == []



def test_an_apk_hash_from_echaps_samples_makes_the_match_certain(indicators):
    # A 1TopSpy sample; Echap lists 1TopSpy as another name of HelloSpy.
    digest = "2f3bc9ebe8c249f0416f5b0367f34b4b8f6aaa7d351dc5b4912fe2558491b6b7"
    parsed = ParsedInput(kind="androidqf_packages", apps=[
        App(package="com.example.flashlight", installer="null", system=False,
            file_hashes={digest})])
    [finding] = matching.check(parsed, indicators).findings
    assert (finding.kind, finding.confidence, finding.family) == ("stalkerware", "certain",
                                                                  "HelloSpy")
    assert finding.evidence == digest
