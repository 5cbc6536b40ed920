"""The evidence bundle's writer: a ZIP that verifies, laid out as docs/evidence-bundle.md says."""

from __future__ import annotations

import dataclasses
import datetime
import hashlib
import io
import json
import re
import sys
import tracemalloc
import types
import zipfile
from pathlib import Path

import pytest

from safelight.crypto import CryptoError, SigningKey, VerifyKey, merkle
from safelight.crypto.formats import ED25519_SIGNATURE
from safelight.evidence.bundle import (
    FORMAT,
    BundleError,
    key_fingerprint,
    signed_part,
    write_bundle,
)
from safelight.evidence.canonical import canonical_json
from safelight.evidence.verify import verify_bundle
from tests.evidence import bundle_factory
from tests.evidence.bundle_factory import KEY, PDF, build, bundle_bytes, write

DOC = Path(__file__).parents[2] / "docs" / "evidence-bundle.md"


def _manifest(data: bytes) -> dict:
    return json.loads(zipfile.ZipFile(io.BytesIO(data)).read("manifest.json"))


def test_it_writes_a_bundle_that_verifies(tmp_path: Path) -> None:
    built = build(12)
    result = verify_bundle(write(tmp_path, bundle_bytes(built)))
    assert result.ok, result.problems
    assert result.items_listed == result.items_matched == 12
    assert result.public_key == KEY.verify_key().to_bytes()[1:]


def test_it_holds_the_originals_byte_for_byte_stored_and_the_manifest_last() -> None:
    built = build(8)
    archive = zipfile.ZipFile(io.BytesIO(bundle_bytes(built)))
    names = archive.namelist()
    assert names == ["README.txt", *built.originals, "report.pdf", "manifest.json"]
    for path, data in built.originals.items():
        assert archive.read(path) == data
        assert archive.getinfo(path).compress_type == zipfile.ZIP_STORED
    assert archive.read("report.pdf") == PDF
    assert archive.testzip() is None


def test_it_writes_every_manifest_field(tmp_path: Path) -> None:
    built = build(5)
    manifest = _manifest(bundle_bytes(built))
    content, head = built.content, built.content.tree_head
    assert list(manifest) == ["format", "locker_id", "exported_at", "log", "items", "pdf",
                              "readme", "signature"]
    assert manifest["format"] == FORMAT == "safelight-evidence-bundle/1"
    assert manifest["locker_id"] == content.locker_id
    assert manifest["exported_at"] == "2026-03-04T12:30:05Z"
    assert manifest["log"] == {
        "log_id": head.log_id,
        "public_key": content.public_key.hex(),
        "tree_head": {"tree_size": head.tree_size, "root_hash": head.root_hash.hex(),
                      "timestamp_ms": head.timestamp_ms, "signature": head.signature[1:].hex()},
    }
    item, first = manifest["items"][0], content.items[0]
    assert item == {"id": first.id, "kind": first.kind, "title": first.title,
                    "path": first.path, "leaf": first.leaf, "leaf_index": first.leaf_index,
                    "inclusion_proof": [node.hex() for node in first.inclusion_proof]}
    assert manifest["pdf"] == {"path": "report.pdf", "sha256": hashlib.sha256(PDF).hexdigest()}
    assert manifest["readme"]["path"] == "README.txt"
    assert re.fullmatch(r"[0-9a-f]{128}", manifest["signature"])


def test_it_signs_the_canonical_manifest_and_the_tree_head_as_documented() -> None:
    built = build(3)
    manifest = _manifest(bundle_bytes(built))
    key = VerifyKey(bytes.fromhex(manifest["log"]["public_key"]))
    unsigned = {name: value for name, value in manifest.items() if name != "signature"}
    assert signed_part(manifest) == canonical_json(unsigned)
    key.verify(canonical_json(unsigned),
               bytes([ED25519_SIGNATURE]) + bytes.fromhex(manifest["signature"]))
    head = manifest["log"]["tree_head"]
    merkle.verify_tree_head(key, manifest["log"]["log_id"].encode(), head["tree_size"],
                            head["timestamp_ms"], bytes.fromhex(head["root_hash"]),
                            bytes([ED25519_SIGNATURE]) + bytes.fromhex(head["signature"]))
    for item in manifest["items"]:
        proof = [bytes.fromhex(node) for node in item["inclusion_proof"]]
        merkle.verify_inclusion(merkle.leaf_hash(canonical_json(item["leaf"])),
                                item["leaf_index"], head["tree_size"], proof,
                                bytes.fromhex(head["root_hash"]))


def test_it_writes_the_same_bytes_for_the_same_content() -> None:
    assert bundle_bytes(build(4)) == bundle_bytes(build(4))


def test_it_writes_a_readme_that_says_how_to_verify() -> None:
    built = build(3)
    archive = zipfile.ZipFile(io.BytesIO(bundle_bytes(built)))
    readme = archive.read("README.txt").decode("utf-8")
    assert "safelight verify" in readme
    assert "sha256sum items/messages/000000.txt" in readme
    assert key_fingerprint(built.content.public_key) in readme
    assert built.content.public_key.hex() in readme
    assert "3 files, messages and" in readme
    assert _manifest(archive.fp.getvalue())["readme"]["sha256"] == hashlib.sha256(
        readme.encode()).hexdigest()


def test_it_writes_to_a_stream_that_cannot_seek(tmp_path: Path) -> None:
    class Pipe(io.RawIOBase):
        def __init__(self) -> None:
            self.data = bytearray()

        def writable(self) -> bool:
            return True

        def write(self, b) -> int:  # type: ignore[no-untyped-def, override]
            self.data += b
            return len(b)

    pipe = Pipe()
    write_bundle(pipe, build(5).content, signing_key=KEY, pdf=PDF)
    result = verify_bundle(write(tmp_path, bytes(pipe.data)))
    assert result.ok, result.problems


def test_it_streams_a_large_original_without_holding_it(tmp_path: Path) -> None:
    built = build(2)
    chunk = bytes(range(256)) * 4096  # 1 MiB
    size = 48 * len(chunk)
    digest = hashlib.sha256()
    for _ in range(48):
        digest.update(chunk)
    item = built.content.items[0]
    item.leaf = {**item.leaf, "sha256": digest.hexdigest()}
    item.chunks = lambda: (chunk for _ in range(48))
    built.leaf_hashes[item.leaf_index] = merkle.leaf_hash(canonical_json(item.leaf))
    _resign(built)
    path = tmp_path / "big.zip"
    tracemalloc.start()
    try:
        with path.open("wb") as out:
            write_bundle(out, built.content, signing_key=KEY, pdf=PDF)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 8 * 2**20, peak
    assert zipfile.ZipFile(path).getinfo(item.path).file_size == size
    assert verify_bundle(path).ok


def _resign(built: bundle_factory.Built) -> None:
    tree = merkle.MerkleTree(built.leaf_hashes)
    head = built.content.tree_head
    head.root_hash = tree.root()
    head.signature = merkle.sign_tree_head(KEY, head.log_id.encode(), head.tree_size,
                                           head.timestamp_ms, head.root_hash)
    for item in built.content.items:
        item.inclusion_proof = tree.inclusion_proof(item.leaf_index)


def test_it_refuses_a_signing_key_that_is_not_the_bundles() -> None:
    with pytest.raises(BundleError, match="signing key does not belong to the bundle's public"):
        bundle_bytes(build(2), key=SigningKey.generate())
    with pytest.raises(BundleError, match="signing_key must be a safelight"):
        write_bundle(io.BytesIO(), build(2).content, signing_key=KEY.to_bytes(),  # type: ignore[arg-type]
                     pdf=PDF)
    built = build(2)
    built.content.public_key = b"short"
    with pytest.raises(BundleError, match="public key is unusable"):
        bundle_bytes(built)


def test_it_refuses_a_tree_head_that_does_not_verify() -> None:
    built = build(2)
    built.content.tree_head.timestamp_ms += 1
    with pytest.raises(BundleError, match="tree head does not verify"):
        bundle_bytes(built)


def test_it_refuses_an_item_whose_proof_does_not_lead_to_the_signed_root() -> None:
    built = build(4)
    built.content.items[2].inclusion_proof = built.content.items[1].inclusion_proof
    with pytest.raises(BundleError, match="item item-2: its custody-log entry does not verify"):
        bundle_bytes(built)
    built = build(4)
    built.content.items[1].leaf = {**built.content.items[1].leaf, "size": 1.5}
    with pytest.raises(BundleError, match=r"item item-1: .*float"):
        bundle_bytes(built)


def test_it_refuses_an_item_whose_bytes_are_not_the_logged_ones() -> None:
    built = build(3)
    built.content.items[1].chunks = lambda: [b"something else"]
    with pytest.raises(BundleError, match="item item-1: its bytes do not have the SHA-256"):
        bundle_bytes(built)


def test_it_refuses_a_leaf_without_a_content_hash() -> None:
    built = build(2)
    built.content.items[0].leaf = {k: v for k, v in built.content.items[0].leaf.items()
                                   if k != "sha256"}
    with pytest.raises(BundleError, match='item item-0: its leaf has no lowercase hex "sha256"'):
        bundle_bytes(built)


@pytest.mark.parametrize("path", ["../escape.txt", "/etc/passwd", "items//x", "items/./x",
                                  "manifest.json", "report.pdf", "README.txt", "a\\b", "",
                                  "items/new\nline", "x" * 1025])
def test_it_refuses_a_path_that_is_not_plainly_inside_the_zip(path: str) -> None:
    built = build(2)
    built.content.items[1].path = path
    with pytest.raises(BundleError, match="item item-1: its path"):
        bundle_bytes(built)


def test_it_refuses_two_items_with_one_path() -> None:
    built = build(3)
    built.content.items[2].path = built.content.items[0].path
    with pytest.raises(BundleError, match="item item-2: another item already uses the path"):
        bundle_bytes(built)


def test_it_refuses_a_naive_export_time() -> None:
    built = build(2)
    built.content.exported_at = datetime.datetime(2026, 3, 4, 12, 0)
    with pytest.raises(BundleError, match="exported_at must be a timezone-aware datetime"):
        bundle_bytes(built)


def test_it_writes_export_times_in_utc() -> None:
    built = build(2)
    built.content.exported_at = datetime.datetime(
        2026, 3, 4, 13, 30, 5, tzinfo=datetime.timezone(datetime.timedelta(hours=1)))
    assert _manifest(bundle_bytes(built))["exported_at"] == "2026-03-04T12:30:05Z"


def test_it_writes_an_empty_bundle_that_verifies(tmp_path: Path) -> None:
    built = build(0, other_leaves=2)
    result = verify_bundle(write(tmp_path, bundle_bytes(built)))
    assert result.ok, result.problems
    assert result.items_listed == 0


def test_it_keeps_items_that_share_nothing_with_each_other(tmp_path: Path) -> None:
    built = build(3)
    built.content = dataclasses.replace(built.content, items=built.content.items[::-1])
    assert verify_bundle(write(tmp_path, bundle_bytes(built))).ok


class _DocInvalidSignature(Exception):
    pass


class _Ed25519PublicKey:
    """pyca/cryptography's Ed25519PublicKey, as far as the document uses it, over libsodium (the
    project does not depend on pyca/cryptography)."""

    def __init__(self, raw: bytes) -> None:
        self._key = VerifyKey(raw)

    @classmethod
    def from_public_bytes(cls, raw: bytes) -> _Ed25519PublicKey:
        return cls(raw)

    def verify(self, signature: bytes, data: bytes) -> None:
        try:
            self._key.verify(data, bytes([ED25519_SIGNATURE]) + signature)
        except CryptoError:
            raise _DocInvalidSignature from None


def _stand_in_for_pyca(monkeypatch: pytest.MonkeyPatch) -> None:
    names = ["cryptography", "cryptography.hazmat", "cryptography.hazmat.primitives",
             "cryptography.hazmat.primitives.asymmetric",
             "cryptography.hazmat.primitives.asymmetric.ed25519"]
    for name in names:
        monkeypatch.setitem(sys.modules, name, types.ModuleType(name))
    sys.modules[names[-1]].Ed25519PublicKey = _Ed25519PublicKey  # type: ignore[attr-defined]


def test_it_is_verified_by_the_python_in_the_format_document(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _stand_in_for_pyca(monkeypatch)
    (code,) = re.findall(r"## Verifying by hand.*?```python\n(.*?)```", DOC.read_text(), re.S)
    monkeypatch.chdir(tmp_path)
    built = build(7)
    write(tmp_path, bundle_bytes(built))
    exec(compile(code, "evidence-bundle.md", "exec"), {})  # noqa: S102 - the document's own code

    data = bytearray(bundle_bytes(built))
    manifest = json.loads(zipfile.ZipFile(io.BytesIO(bytes(data))).read("manifest.json"))
    manifest["items"][1]["title"] = "Something else"
    tampered = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(bytes(data))) as old, zipfile.ZipFile(tampered, "w") as new:
        for info in old.infolist():
            body = json.dumps(manifest).encode() if info.filename == "manifest.json" else \
                old.read(info)
            new.writestr(info, body)
    write(tmp_path, tampered.getvalue())
    with pytest.raises(_DocInvalidSignature):
        exec(compile(code, "evidence-bundle.md", "exec"), {})  # noqa: S102
