"""The offline verifier names exactly what was changed in a bundle."""

from __future__ import annotations

import hashlib
import io
import json
import struct
import warnings
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest

from safelight.crypto import SigningKey
from safelight.evidence.verify import Verification, parse_key, verify_bundle
from tests.evidence.bundle_factory import KEY, build, bundle_bytes, write

ITEMS = 8


@pytest.fixture(scope="module")
def built():
    return build(ITEMS)


@pytest.fixture(scope="module")
def clean(built) -> bytes:
    return bundle_bytes(built)


def _problems(result: Verification) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for problem in result.problems:
        found.setdefault(problem.part, []).append(problem.message)
    return found


def _rezip(data: bytes, *, replace: dict[str, bytes] | None = None,
           drop: tuple[str, ...] = (), add: dict[str, bytes] | None = None) -> bytes:
    """The same archive with members replaced, dropped or added, every CRC correct."""
    replace = replace or {}
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as old, zipfile.ZipFile(out, "w") as new:
        for info in old.infolist():
            if info.filename in drop:
                continue
            new.writestr(info, replace.get(info.filename, old.read(info)))
        for name, body in (add or {}).items():
            new.writestr(name, body)
    return out.getvalue()


def _manifest(data: bytes) -> dict:
    return json.loads(zipfile.ZipFile(io.BytesIO(data)).read("manifest.json"))


def _edit_manifest(data: bytes, edit: Callable[[dict], None]) -> bytes:
    manifest = _manifest(data)
    edit(manifest)
    return _rezip(data, replace={"manifest.json": json.dumps(manifest, indent=1).encode()})


def _data_offset(data: bytes, name: str) -> int:
    """Where member ``name``'s bytes start in the archive (after its local header)."""
    info = zipfile.ZipFile(io.BytesIO(data)).getinfo(name)
    name_length, extra_length = struct.unpack("<HH", data[info.header_offset + 26:
                                                          info.header_offset + 30])
    return info.header_offset + 30 + name_length + extra_length


def _check(tmp_path: Path, data: bytes, **kwargs) -> Verification:
    return verify_bundle(write(tmp_path, data), **kwargs)


def test_it_passes_an_untouched_bundle_and_says_what_it_checked(tmp_path, built, clean) -> None:
    result = _check(tmp_path, clean)
    assert result.ok
    assert result.problems == []
    assert result.items_listed == result.items_matched == ITEMS
    assert result.members_checked == ITEMS + 2
    assert [check.part for check in result.checks] == [
        "bundle.zip", "public key", "manifest.json", "custody log", "items", "report.pdf",
        "README.txt", "other files"]
    assert all(check.ok for check in result.checks)
    assert result.fingerprint == " ".join(
        hashlib.sha256(built.content.public_key).hexdigest()[i:i + 4] for i in range(0, 64, 4))


def test_it_names_a_member_with_one_flipped_byte_inside_its_stored_data(tmp_path, built,
                                                                        clean) -> None:
    path = built.content.items[3].path
    data = bytearray(clean)
    data[_data_offset(clean, path) + 5] ^= 0x01
    result = _check(tmp_path, bytes(data))
    assert not result.ok
    assert list(_problems(result)) == [path]
    (message,) = _problems(result)[path]
    assert "item item-3" in message
    assert "CRC-32" in message
    assert result.items_matched == ITEMS - 1


def test_it_names_a_member_changed_and_rezipped_with_a_correct_crc(tmp_path, built, clean) -> None:
    path = built.content.items[2].path
    changed = built.originals[path].replace(b"followed", b"FOLLOWED")
    result = _check(tmp_path, _rezip(clean, replace={path: changed}))
    assert list(_problems(result)) == [path]
    (message,) = _problems(result)[path]
    assert message.startswith("item item-2: the file was changed: its SHA-256 is "
                              f"{hashlib.sha256(changed).hexdigest()}, but its custody-log entry "
                              f"records {built.content.items[2].leaf['sha256']}")


def test_it_names_both_items_when_their_files_are_swapped(tmp_path, built, clean) -> None:
    first, second = built.content.items[1].path, built.content.items[5].path
    swapped = _rezip(clean, replace={first: built.originals[second],
                                     second: built.originals[first]})
    result = _check(tmp_path, swapped)
    assert sorted(_problems(result)) == sorted([first, second])
    assert result.items_matched == ITEMS - 2


def test_it_names_a_missing_member(tmp_path, built, clean) -> None:
    path = built.content.items[4].path
    result = _check(tmp_path, _rezip(clean, drop=(path,)))
    assert _problems(result) == {path: ["item item-4: the file is missing from the archive"]}


def test_it_names_an_added_member(tmp_path, clean) -> None:
    result = _check(tmp_path, _rezip(clean, add={"items/messages/extra.txt": b"planted"}))
    assert _problems(result) == {
        "items/messages/extra.txt": ["is in the archive but not in the signed manifest"]}
    assert result.items_matched == ITEMS
    assert not result.checks[-1].ok


def test_it_ignores_folder_entries_of_a_rezipped_bundle(tmp_path, clean) -> None:
    """A file manager that re-zips a bundle adds folder entries: they carry no data."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(clean)) as old, zipfile.ZipFile(out, "w") as new:
        folders = sorted({name.rsplit("/", 1)[0] + "/" for name in old.namelist() if "/" in name})
        for folder in ["items/", *folders]:
            new.writestr(zipfile.ZipInfo(folder), b"")
        for info in old.infolist():
            new.writestr(info, old.read(info))
    result = _check(tmp_path, out.getvalue())
    assert _problems(result) == {}
    assert result.items_matched == ITEMS


def test_it_still_names_a_planted_file_beside_folder_entries(tmp_path, clean) -> None:
    rezipped = _rezip(clean, add={"items/": b"", "items/planted.txt": b"x"})
    assert _problems(_check(tmp_path, rezipped)) == {
        "items/planted.txt": ["is in the archive but not in the signed manifest"]}


def test_it_names_a_member_that_appears_twice(tmp_path, built, clean) -> None:
    path = built.content.items[0].path
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)  # zipfile: "Duplicate name"
        doubled = _rezip(clean, add={path: built.originals[path]})
    result = _check(tmp_path, doubled)
    assert _problems(result) == {path: ["appears 2 times in the archive (only one is expected)"]}


def test_it_names_an_item_whose_leaf_was_changed_in_the_manifest(tmp_path, built, clean) -> None:
    def edit(manifest: dict) -> None:
        manifest["items"][6]["leaf"]["added_at"] = "2026-02-01T10:00:00Z"

    result = _check(tmp_path, _edit_manifest(clean, edit))
    path = built.content.items[6].path
    problems = _problems(result)
    assert sorted(problems) == sorted(["manifest.json", path])
    assert "item item-6: its custody-log entry is not in the signed custody log" in problems[
        path][0]
    assert "does not lead to the root hash" in problems[path][0]
    assert "signature does not verify" in problems["manifest.json"][0]


def test_it_names_an_item_whose_file_and_logged_hash_were_both_changed(tmp_path, built,
                                                                       clean) -> None:
    path = built.content.items[1].path
    changed = b"a different screenshot"

    def edit(manifest: dict) -> None:
        manifest["items"][1]["leaf"]["sha256"] = hashlib.sha256(changed).hexdigest()

    result = _check(tmp_path, _rezip(_edit_manifest(clean, edit), replace={path: changed}))
    problems = _problems(result)
    assert sorted(problems) == sorted(["manifest.json", path])
    assert "is not in the signed custody log" in problems[path][0]


@pytest.mark.parametrize(
    ("edit", "expected"),
    [
        (lambda item: item["inclusion_proof"].__setitem__(0, "00" * 32), "does not lead to"),
        (lambda item: item["inclusion_proof"].pop(), "fewer hashes"),
        (lambda item: item["inclusion_proof"].append("11" * 32), "more hashes"),
        (lambda item: item.__setitem__("leaf_index", item["leaf_index"] + 1), "does not lead"),
        (lambda item: item.__setitem__("leaf_index", 10_000), "outside a tree"),
        (lambda item: item.pop("inclusion_proof"), "missing or malformed"),
        (lambda item: item.__setitem__("inclusion_proof", ["zz"]), "missing or malformed"),
        (lambda item: item.__setitem__("leaf_index", -1), "missing or malformed"),
        (lambda item: item.__setitem__("leaf_index", 2.0), "missing or malformed"),
        (lambda item: item.pop("leaf"), "its custody-log entry (leaf) is missing"),
        (lambda item: item["leaf"].__setitem__("weight", 0.5), "float has no canonical JSON"),
        (lambda item: item["leaf"].pop("sha256"), "no SHA-256 to compare with"),
    ],
)
def test_it_names_an_item_with_a_wrong_or_missing_proof(tmp_path, built, clean, edit,
                                                        expected) -> None:
    result = _check(tmp_path, _edit_manifest(clean, lambda m: edit(m["items"][2])))
    path = built.content.items[2].path
    problems = _problems(result)
    assert path in problems
    assert expected in " ".join(problems[path])
    assert set(problems) <= {path, "manifest.json"}
    assert result.items_matched == ITEMS - 1


@pytest.mark.parametrize("field", ["timestamp_ms", "tree_size"])
def test_it_names_a_tree_head_whose_signature_fails(tmp_path, clean, field) -> None:
    def edit(manifest: dict) -> None:
        manifest["log"]["tree_head"][field] += 1

    result = _check(tmp_path, _edit_manifest(clean, edit))
    problems = _problems(result)
    assert "custody log" in problems
    assert "the signature of its tree head does not verify" in problems["custody log"][0]
    assert "manifest.json" in problems
    (items,) = [check for check in result.checks if check.part == "items"]
    assert not items.ok
    assert "but its signature does not check" in items.detail


def test_it_names_a_malformed_tree_head(tmp_path, clean) -> None:
    result = _check(tmp_path, _edit_manifest(
        clean, lambda m: m["log"]["tree_head"].__setitem__("root_hash", "short")))
    assert "tree head in manifest.json is missing or malformed" in _problems(result)[
        "custody log"][0]
    assert result.items_matched == 0


def test_it_names_the_manifest_when_the_pdf_hash_in_it_was_edited(tmp_path, clean) -> None:
    def edit(manifest: dict) -> None:
        manifest["pdf"]["sha256"] = "ab" * 32

    problems = _problems(_check(tmp_path, _edit_manifest(clean, edit)))
    assert sorted(problems) == ["manifest.json", "report.pdf"]
    assert problems["manifest.json"] == [
        "its signature does not verify: the manifest was changed after it was signed, or "
        "signed with another key"]
    assert "but the signed manifest records abab" in problems["report.pdf"][0]


def test_it_names_the_manifest_when_a_title_was_edited(tmp_path, clean) -> None:
    def edit(manifest: dict) -> None:
        manifest["items"][0]["title"] = "Nothing to see"

    assert list(_problems(_check(tmp_path, _edit_manifest(clean, edit)))) == ["manifest.json"]


def test_it_names_a_manifest_without_a_signature(tmp_path, clean) -> None:
    problems = _problems(_check(tmp_path, _edit_manifest(clean, lambda m: m.pop("signature"))))
    assert problems == {"manifest.json": [
        "its signature is missing or not 128 hexadecimal digits"]}


def test_it_names_a_changed_pdf(tmp_path, clean) -> None:
    problems = _problems(_check(tmp_path, _rezip(clean, replace={"report.pdf": b"%PDF-forged"})))
    assert list(problems) == ["report.pdf"]
    assert problems["report.pdf"][0].startswith("was changed: its SHA-256 is "
                                                f"{hashlib.sha256(b'%PDF-forged').hexdigest()}")


def test_it_names_a_changed_or_missing_readme(tmp_path, clean) -> None:
    assert list(_problems(_check(tmp_path, _rezip(clean, replace={"README.txt": b"Trust me."})))
                ) == ["README.txt"]
    assert _problems(_check(tmp_path, _rezip(clean, drop=("README.txt",)))) == {
        "README.txt": ["is missing from the archive"]}


def test_it_names_a_member_whose_local_header_is_damaged(tmp_path, built, clean) -> None:
    path = built.content.items[5].path
    data = bytearray(clean)
    data[zipfile.ZipFile(io.BytesIO(clean)).getinfo(path).header_offset] ^= 0xFF
    result = _check(tmp_path, bytes(data))
    assert list(_problems(result)) == [path]
    assert "cannot be read from the archive: it is damaged (Bad magic number" in _problems(
        result)[path][0]


def test_it_names_a_damaged_manifest(tmp_path, clean) -> None:
    data = bytearray(clean)
    data[_data_offset(clean, "manifest.json") + 40] ^= 0xFF
    result = _check(tmp_path, bytes(data))
    assert list(_problems(result)) == ["manifest.json"]
    assert "damaged" in _problems(result)["manifest.json"][0]


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        (b"{not json", "is not valid JSON"),
        (b"\xff\xfe", "is not valid JSON"),
        (b'{"format": "safelight-evidence-bundle/1", "format": "x"}', "appears twice"),
        (b'{"format": "safelight-evidence-bundle/1", "n": NaN}', "NaN is not a JSON number"),
        (b'{"format": "safelight-evidence-bundle/2"}', "(format found: 'safelight-evidence"),
        (b"[1, 2]", "is not a Safelight evidence bundle manifest"),
    ],
)
def test_it_names_a_manifest_it_cannot_read(tmp_path, clean, body, expected) -> None:
    result = _check(tmp_path, _rezip(clean, replace={"manifest.json": body}))
    assert not result.ok
    problems = _problems(result)
    assert list(problems) == ["manifest.json"]
    assert expected in problems["manifest.json"][0]


def test_it_names_a_missing_manifest(tmp_path, clean) -> None:
    result = _check(tmp_path, _rezip(clean, drop=("manifest.json",)))
    assert _problems(result) == {
        "manifest.json": ["is missing, so nothing in the bundle can be checked"]}


def test_it_names_malformed_items(tmp_path, built, clean) -> None:
    def edit(manifest: dict) -> None:
        manifest["items"][0] = "not an item"
        manifest["items"][1]["path"] = manifest["items"][2]["path"]

    problems = _problems(_check(tmp_path, _edit_manifest(clean, edit)))
    assert problems["manifest.json items[0]"] == ["is not an item with a path"]
    path = built.content.items[2].path
    assert "is listed for two items (item item-1 and item item-2)" in problems[path]
    # the item whose member is no longer listed shows up as unexpected
    assert problems[built.content.items[1].path] == [
        "is in the archive but not in the signed manifest"]


def test_it_names_a_missing_item_list_and_missing_documents(tmp_path, clean) -> None:
    def edit(manifest: dict) -> None:
        del manifest["items"], manifest["pdf"]

    problems = _problems(_check(tmp_path, _edit_manifest(clean, edit)))
    assert problems["manifest.json"][-1] == "its list of items is missing"
    assert problems["report.pdf"][0] == "manifest.json does not record its path and SHA-256 (pdf)"


def test_it_names_a_malformed_public_key(tmp_path, clean) -> None:
    result = _check(tmp_path, _edit_manifest(
        clean, lambda m: m["log"].__setitem__("public_key", "AB" * 32)))
    problems = _problems(result)
    assert problems["public key"] == [
        "log.public_key in manifest.json is not 64 hexadecimal digits"]
    assert result.public_key is None
    assert result.fingerprint is None
    assert result.items_matched == ITEMS  # the files still match their entries


def test_it_accepts_the_expected_key_or_its_fingerprint(tmp_path, built, clean) -> None:
    raw = built.content.public_key
    assert _check(tmp_path, clean, expected_key=raw).ok
    assert _check(tmp_path, clean, expected_key=hashlib.sha256(raw).digest()).ok


def test_it_names_a_key_that_is_not_the_expected_one(tmp_path, clean) -> None:
    other = SigningKey.generate().verify_key().to_bytes()[1:]
    result = _check(tmp_path, clean, expected_key=other)
    assert list(_problems(result)) == ["public key"]
    assert f"not with the expected key {other.hex()}" in _problems(result)["public key"][0]


def test_it_passes_a_forgery_under_another_key_only_until_the_key_is_compared(tmp_path) -> None:
    forger = SigningKey.generate()
    forged = bundle_bytes(build(3, key=forger), key=forger)
    assert _check(tmp_path, forged).ok  # self-consistent under the forger's key
    result = _check(tmp_path, forged, expected_key=KEY.verify_key().to_bytes()[1:])
    assert list(_problems(result)) == ["public key"]


def test_it_names_a_manifest_resigned_by_another_key(tmp_path, clean) -> None:
    forger = SigningKey.generate()

    def edit(manifest: dict) -> None:
        from safelight.evidence.bundle import signed_part

        manifest["log"]["public_key"] = forger.verify_key().to_bytes()[1:].hex()
        manifest["signature"] = forger.sign(signed_part(manifest))[1:].hex()

    problems = _problems(_check(tmp_path, _edit_manifest(clean, edit)))
    assert list(problems) == ["custody log"]  # the tree head was signed by the real key


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (b"", "the file is empty"),
        (b"This is not a ZIP archive at all.\n", "File is not a zip file"),
        (b"PK\x03\x04" + bytes(100), "File is not a zip file"),
    ],
)
def test_it_names_the_bundle_when_it_is_not_a_zip(tmp_path, data, expected) -> None:
    result = _check(tmp_path, data)
    assert not result.ok
    (problem,) = result.problems
    assert problem.part == "bundle.zip"
    assert problem.message.startswith("cannot be opened as a ZIP archive")
    assert expected in problem.message
    assert [check.ok for check in result.checks] == [False]


def test_it_names_the_bundle_when_its_end_was_cut_off(tmp_path, clean) -> None:
    result = _check(tmp_path, clean[:-200])
    assert [problem.part for problem in result.problems] == ["bundle.zip"]


def test_it_names_a_bundle_that_does_not_exist_or_is_a_directory(tmp_path) -> None:
    missing = verify_bundle(tmp_path / "nowhere.zip")
    assert [(p.part, p.message) for p in missing.problems] == [("nowhere.zip", "no such file")]
    (tmp_path / "folder.zip").mkdir()
    assert verify_bundle(tmp_path / "folder.zip").problems[0].message == (
        "is a directory, not a ZIP archive")


def test_it_checks_a_bundle_with_no_items(tmp_path) -> None:
    result = _check(tmp_path, bundle_bytes(build(0)))
    assert result.ok
    assert result.items_listed == 0


def test_it_reads_members_in_bounded_chunks(tmp_path, monkeypatch, clean) -> None:
    from safelight.evidence import verify

    reads: list[int] = []
    original = zipfile.ZipExtFile.read

    def spy(self, n=-1):
        reads.append(n)
        return original(self, n)

    monkeypatch.setattr(zipfile.ZipExtFile, "read", spy)
    monkeypatch.setattr(verify, "CHUNK_SIZE", 16)
    assert _check(tmp_path, clean).ok
    assert reads
    assert set(reads) <= {16, -1}  # -1 only for the manifest, which is parsed whole
    assert reads.count(-1) <= 1


@pytest.mark.parametrize("text", ["AB" * 32, "ab:" * 31 + "ab", " ".join(["abcd"] * 16)])
def test_it_parses_a_key_as_people_copy_it(text) -> None:
    assert len(parse_key(text)) == 32


@pytest.mark.parametrize("text", ["", "ab" * 31, "zz" * 32, "ab" * 33])
def test_it_refuses_a_key_that_is_not_64_hex_digits(text) -> None:
    with pytest.raises(ValueError, match="--key must be 64 hexadecimal digits"):
        parse_key(text)
