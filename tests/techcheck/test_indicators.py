"""The indicator sets: the shipped copy, Echap's YAML, STIX 2.1 bundles and the stored form."""

from __future__ import annotations

import json

from safelight.techcheck import indicators as ind


def empty() -> ind.Indicators:
    return ind.Indicators(name="test", version="1", date="", source="", attribution="")


def stix_bundle() -> bytes:
    """A bundle as Echap's scripts/generate.py writes generated/stalkerware.stix2."""
    def common(kind: str, uid: str) -> dict:
        return {"type": kind, "spec_version": "2.1", "id": f"{kind}--{uid}",
                "created": "2026-05-02T10:00:00.000Z", "modified": "2026-05-02T10:00:00.000Z"}

    objects = [{**common("malware", "00906bbe-3f4b-4714-b716-990a6a284c3a"),
                "name": "1TopSpy", "description": "Stalkerware applications",
                "is_family": False}]
    patterns = [
        "[domain-name:value='flushdata.1topspy.com']",
        "[app:id='com.topspy.system']",
        "[app:cert.sha1='7F5C0D54A813BA9B87A91420CA2C3DE5E7948F09']",
        "[file:hashes.sha256='2f3bc9ebe8c249f0416f5b0367f34b4b8f6aaa7d351dc5b4912fe2558491b6b7']",
        "[process:name='spy']",  # not understood
    ]
    for number, pattern in enumerate(patterns):
        indicator = {**common("indicator", f"703344df-d911-4100-8770-83191fa17e6{number}"),
                     "indicator_types": ["malicious-activity"], "pattern": pattern,
                     "pattern_type": "stix", "pattern_version": "2.1",
                     "valid_from": "2026-05-02T10:00:00.000Z"}
        objects.append(indicator)
        objects.append({**common("relationship", f"97e225be-7b55-4021-b0e2-e27aa89a463{number}"),
                        "relationship_type": "indicates", "source_ref": indicator["id"],
                        "target_ref": objects[0]["id"]})
    objects.append({**common("indicator", "11111111-2222-3333-4444-555555555555"),
                    "pattern": "[app:id='com.orphan']", "pattern_type": "stix"})
    return json.dumps({"type": "bundle", "id": "bundle--390b8cc7-1401-4037-8be6-04017d5eaca9",
                       "objects": objects}).encode()


def test_the_shipped_copy_holds_echaps_families_and_the_dual_use_list():
    shipped = ind.shipped()
    counts = shipped.counts()
    assert counts["families"] >= 147 + 27
    assert counts["packages"] > 500 and counts["certificates"] > 400 and counts["domains"] > 1000
    assert shipped.family(shipped.packages["com.thetruth"]).kind == ind.STALKERWARE
    assert shipped.family(shipped.packages["com.wondershare.famisafe"]).kind == ind.WATCHWARE
    teamviewer = shipped.family(shipped.packages["com.anydesk.anydeskandroid"])
    assert teamviewer.kind == ind.DUAL_USE
    assert teamviewer.source.startswith("https://")
    assert shipped.attribution == "Stalkerware indicators by Echap, CC-BY 4.0"


def test_every_dual_use_entry_names_its_source():
    result = empty()
    assert ind.read_dual_use(result) == []
    assert result.families
    assert all(family.source.startswith("https://") for family in result.families)


def test_echaps_yaml_keeps_certificates_as_text_and_reads_the_misspelt_ip_key():
    data = b"""
- name: Example
  type: stalkerware
  packages:
  - com.example.spy
  - not a package
  certificates:
  - 1234567890123456789012345678901234567890
  c2:
    ip:
    - 192.0.2.7
    domains:
    - Api.Example-Spy.com.
"""
    result = empty()
    problems = ind.read_echap_yaml(data, result, label="ioc.yaml")
    assert result.certificates == {"1234567890123456789012345678901234567890": 0}
    assert result.ips == {"192.0.2.7": 0}
    assert result.domains == {"api.example-spy.com": (0, ind.C2)}
    assert problems == ["ioc.yaml: 1 values were not package names, certificates, domains or "
                        "addresses, left out"]


def test_bad_yaml_is_a_problem_not_a_crash():
    for data in (b"- name: [unclosed", b"just text", b"\xff\xfe\x00junk", b"- 3\n- name: x\n"):
        result = empty()
        problems = ind.read_echap_yaml(data, result, label="f")
        assert problems
        assert all(problem.startswith("f: ") for problem in problems)


def test_a_stix_bundle_gives_packages_certificates_domains_and_file_hashes():
    result = empty()
    problems = ind.read_stix_bundle(stix_bundle(), result, label="stalkerware.stix2")
    assert [family.name for family in result.families] == ["1TopSpy"]
    assert result.packages == {"com.topspy.system": 0}
    assert result.certificates == {"7F5C0D54A813BA9B87A91420CA2C3DE5E7948F09": 0}
    assert result.domains == {"flushdata.1topspy.com": (0, ind.C2)}
    assert list(result.file_hashes) == [
        "2f3bc9ebe8c249f0416f5b0367f34b4b8f6aaa7d351dc5b4912fe2558491b6b7"]
    assert problems == [
        "stalkerware.stix2: 1 indicators point at no malware family, left out",
        "stalkerware.stix2: 1 patterns were not understood, left out",
    ]
    assert ind.looks_like_stix(stix_bundle())


def test_a_file_that_is_not_a_bundle_is_a_problem_not_a_crash():
    for data in (b"", b"{", b"[]", b'{"type": "bundle"}', b'{"type": "report"}',
                 b'{"type": "bundle", "objects": [1, {"type": "indicator"}]}'):
        result = empty()
        problems = ind.read_stix_bundle(data, result, label="x")
        assert result.packages == {}
        if data != b'{"type": "bundle", "objects": [1, {"type": "indicator"}]}':
            assert problems


def test_the_stored_form_gives_the_same_set_back():
    shipped = ind.shipped()
    back = ind.Indicators.from_json(json.loads(json.dumps(shipped.to_json())), name="n",
                                    version="v", date="2026-01-01", source="s", attribution="a")
    assert back.counts() == shipped.counts()
    assert back.packages == shipped.packages
    assert back.domains == shipped.domains
    assert back.families == shipped.families


def test_a_damaged_stored_form_is_read_as_far_as_it_goes():
    data = {"families": [["A", "stalkerware", ""], ["bad"]], "packages": {"com.a": 0,
            "com.b": 7, "com.c": "0"}, "domains": {"a.com": [0, "c2"], "b.com": [0, "x"]},
            "ips": [], "certificates": None}
    back = ind.Indicators.from_json(data, name="n", version="v", date="", source="",
                                    attribution="")
    assert back.packages == {"com.a": 0}
    assert back.domains == {"a.com": (0, ind.C2)}
    assert ind.Indicators.from_json("nonsense", name="n", version="v", date="", source="",
                                    attribution="").families == []


def test_samples_add_apk_hashes_to_the_family_they_name_by_name_or_alias():
    result = empty()
    ioc = b"- name: TheTruthSpy\n  names:\n  - Copy9\n  packages:\n  - com.thetruth\n"
    ind.read_echap_yaml(ioc, result)
    data = (b"SHA256,Package Name,Certificate,Version,App\n"
            b"2f3bc9ebe8c249f0416f5b0367f34b4b8f6aaa7d351dc5b4912fe2558491b6b7,com.copy9,"
            b"61ED377E85D386A8DFEE6B864BD85B0BFAA5AF81,9,Copy9\n"
            b"5e52438f28275dc2a7e83b989e726f86ba53c915b44f126507763850197646f6,com.x,,1,Unheard\n"
            b"not a hash,com.y,,1,TheTruthSpy\n")
    problems = ind.read_echap_samples(data, result)
    assert result.file_hashes == {
        "2f3bc9ebe8c249f0416f5b0367f34b4b8f6aaa7d351dc5b4912fe2558491b6b7": 0}
    # Neither the sample's package name nor its certificate (here Android's shared test key).
    assert result.packages == {"com.thetruth": 0}
    assert result.certificates == {}
    assert problems == [
        "samples.csv: 1 samples name no family read before them, left out (load ioc.yaml first)",
        "samples.csv: 1 rows were not samples, left out",
    ]
    assert ind.read_echap_samples(b"a,b\n1,2\n", result) == [
        "samples.csv: expected Echap's samples.csv (SHA256,Package Name,Certificate,Version,App)"]
