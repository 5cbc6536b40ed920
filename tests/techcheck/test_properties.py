"""No input makes a parser or the check raise: property tests over bytes and near-valid files."""

from __future__ import annotations

import io
import json
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from safelight.techcheck import indicators as ind
from safelight.techcheck import inputs, matching

DATA = Path(__file__).parent / "data"
SAMPLES = [(DATA / name).read_bytes() for name in (
    "pm_list.txt", "androidqf_packages.json", "bugreport.txt", "privacy_report.ndjson")]
PREFIXES = [b"", b"package:", b"[", b"{", b"PK\x03\x04", b"\xff\xfe", b"\xef\xbb\xbf",
            b"Packages:\n  Package [", b'{"type": "networkActivity", "bundleID": ']
SHIPPED = ind.shipped()


def assert_well_formed(result: matching.CheckResult) -> None:
    assert isinstance(result.problems, list)
    assert all(isinstance(problem, str) for problem in result.problems)
    for finding in result.findings:
        assert finding.safety_note
    assert result.indicators.version == SHIPPED.version


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(prefix=st.sampled_from(PREFIXES), body=st.binary(max_size=4096))
def test_no_bytes_make_the_check_raise(prefix, body):
    assert_well_formed(matching.check_file(io.BytesIO(prefix + body), SHIPPED))


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(sample=st.sampled_from(SAMPLES), cut=st.integers(min_value=0, max_value=10_000),
       junk=st.binary(max_size=64), at=st.integers(min_value=0, max_value=10_000))
def test_damaged_real_inputs_never_make_the_check_raise(sample, cut, junk, at):
    damaged = sample[:at] + junk + sample[at:]
    damaged = damaged[: max(1, len(damaged) - cut)]
    parsed = inputs.read_input(io.BytesIO(damaged))
    assert parsed.kind in (inputs.PM_LIST, inputs.ANDROIDQF, inputs.BUGREPORT,
                           inputs.PRIVACY_REPORT, inputs.UNKNOWN)
    assert_well_formed(matching.check(parsed, SHIPPED))


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=40),
    lambda children: st.lists(children, max_size=4)
    | st.dictionaries(st.sampled_from(["name", "files", "installer", "uid", "system", "sha256",
                                       "certificate", "Sha1", "type", "bundleID", "domain",
                                       "accessor", "identifier", "category", "hits", "kind"]),
                      children, max_size=6),
    max_leaves=20,
)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(items=st.lists(json_values, max_size=8))
def test_json_of_any_shape_never_makes_the_check_raise(items):
    as_list = json.dumps([{"name": "com.a"}, *items]).encode()
    as_lines = b"\n".join(json.dumps(item).encode() for item in
                          [{"type": "access", "accessor": {"identifier": "a"}}, *items])
    for data in (as_list, as_lines):
        assert_well_formed(matching.check_file(io.BytesIO(data), SHIPPED))


@settings(max_examples=200, deadline=None)
@given(data=st.binary(max_size=2048), text=st.text(max_size=500))
def test_no_indicator_file_makes_a_loader_raise(data, text):
    for raw in (data, text.encode(), b'{"type": "bundle", "objects": ' + text.encode() + b"}"):
        result = ind.Indicators(name="n", version="v", date="", source="", attribution="")
        assert isinstance(ind.read_echap_yaml(raw, result), list)
        assert isinstance(ind.read_stix_bundle(raw, result), list)
