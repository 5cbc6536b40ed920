"""The evidence bundle's writer: a ZIP of the originals, report.pdf, README.txt and a signed
manifest.json that ties every original to the locker's custody log (docs/evidence-bundle.md).

`write_bundle(dst, content, signing_key=..., pdf=...)` streams each item's bytes from
`item.chunks()` into its own STORED member, so a 1 GB original never sits in memory and a
changed byte is found by its member's name.  Before writing anything it checks what it was
given: the key is the bundle's key, the tree head's signature verifies, every inclusion proof
leads to the signed root; while writing, that every item's bytes have the SHA-256 its leaf
records.  It raises BundleError otherwise, and then `dst` holds a partial ZIP to be discarded.

Pure Python over safelight.crypto: no Django, so safelight.evidence.verify can share it.
"""

from __future__ import annotations

import datetime
import hashlib
import json
import re
import zipfile
from typing import BinaryIO

from safelight.crypto import CryptoError, SigningKey, VerifyKey
from safelight.crypto.merkle import leaf_hash, verify_inclusion, verify_tree_head

from .bundle_content import BundleContent, BundleItem
from .canonical import CanonicalJSONError, canonical_json

__all__ = [
    "FORMAT",
    "MANIFEST",
    "PDF",
    "README",
    "BundleError",
    "key_fingerprint",
    "leaf_input",
    "signed_part",
    "tree_head_log_id",
    "write_bundle",
]

FORMAT = "safelight-evidence-bundle/1"
MANIFEST = "manifest.json"
README = "README.txt"
PDF = "report.pdf"
RESERVED = frozenset({MANIFEST, README, PDF})

_SHA256_HEX = re.compile(r"[0-9a-f]{64}")
_FILE_MODE = 0o100644 << 16  # a regular file, rw-r--r--, for unzip on Unix


class BundleError(ValueError):
    """The content cannot make a bundle that verifies (the message names the item)."""


def leaf_input(leaf: dict) -> bytes:
    """The custody-log leaf input of an item: the canonical JSON of its leaf object."""
    return canonical_json(leaf)


def signed_part(manifest: dict) -> bytes:
    """What the manifest signature covers: the canonical JSON of the manifest without its
    "signature" member."""
    return canonical_json({key: value for key, value in manifest.items() if key != "signature"})


def tree_head_log_id(log_id: str) -> bytes:
    """The log id as the tree head message carries it: UTF-8."""
    return log_id.encode("utf-8")


def key_fingerprint(public_key: bytes) -> str:
    """SHA-256 of the raw 32-byte Ed25519 public key, hex in groups of four: what an
    organisation publishes so that anyone can recognise its key."""
    digest = hashlib.sha256(public_key).hexdigest()
    return " ".join(digest[i:i + 4] for i in range(0, len(digest), 4))


def write_bundle(dst: BinaryIO, content: BundleContent, *, signing_key: SigningKey,
                 pdf: bytes) -> None:
    """Write the evidence bundle of ``content`` to ``dst`` as a ZIP (see the module docstring).

    ``dst`` may be a file or any writable stream; members are written in this order:
    README.txt, the items, report.pdf, manifest.json (last, once everything is hashed).
    """
    _check_content(content, signing_key)
    head = content.tree_head
    date_time = _zip_date_time(content.exported_at)
    with zipfile.ZipFile(dst, "w", compression=zipfile.ZIP_STORED, allowZip64=True) as archive:
        readme = _readme(content).encode("utf-8")
        _write_bytes(archive, README, readme, date_time, zipfile.ZIP_DEFLATED)
        items = []
        for item in content.items:
            digest = _write_item(archive, item, date_time)
            if digest != item.leaf["sha256"]:
                raise BundleError(
                    f"item {item.id}: its bytes do not have the SHA-256 its custody-log entry "
                    "records")
            items.append({
                "id": item.id,
                "kind": item.kind,
                "title": item.title,
                "path": item.path,
                "leaf": item.leaf,
                "leaf_index": item.leaf_index,
                "inclusion_proof": [bytes(node).hex() for node in item.inclusion_proof],
            })
        _write_bytes(archive, PDF, pdf, date_time, zipfile.ZIP_STORED)
        manifest = {
            "format": FORMAT,
            "locker_id": content.locker_id,
            "exported_at": _iso(content.exported_at),
            "log": {
                "log_id": head.log_id,
                "public_key": bytes(content.public_key).hex(),
                "tree_head": {
                    "tree_size": head.tree_size,
                    "root_hash": bytes(head.root_hash).hex(),
                    "timestamp_ms": head.timestamp_ms,
                    "signature": bytes(head.signature)[1:].hex(),
                },
            },
            "items": items,
            "pdf": {"path": PDF, "sha256": hashlib.sha256(pdf).hexdigest()},
            "readme": {"path": README, "sha256": hashlib.sha256(readme).hexdigest()},
        }
        manifest["signature"] = signing_key.sign(signed_part(manifest))[1:].hex()
        _write_bytes(archive, MANIFEST, _manifest_text(manifest).encode("utf-8"), date_time,
                     zipfile.ZIP_DEFLATED)


def _manifest_text(manifest: dict) -> str:
    """The manifest as the file shows it: one top-level field per line and one item per line,
    so a reader can find an item by its path (json.dumps with indent is 5 times slower)."""
    lines = []
    for key, value in manifest.items():
        if key == "items" and value:
            body = ",\n  ".join(json.dumps(item, ensure_ascii=False) for item in value)
            lines.append(f' "items": [\n  {body}\n ]')
        else:
            lines.append(f" {json.dumps(key)}: {json.dumps(value, ensure_ascii=False)}")
    return "{\n" + ",\n".join(lines) + "\n}\n"


def _check_content(content: BundleContent, signing_key: SigningKey) -> None:
    if not isinstance(signing_key, SigningKey):
        raise BundleError("signing_key must be a safelight.crypto.SigningKey")
    try:
        verify_key = VerifyKey(bytes(content.public_key))
    except CryptoError as exc:
        raise BundleError(f"the bundle's public key is unusable: {exc}") from None
    if signing_key.verify_key() != verify_key:
        raise BundleError("the signing key does not belong to the bundle's public key")
    head = content.tree_head
    try:
        verify_tree_head(verify_key, tree_head_log_id(head.log_id), head.tree_size,
                         head.timestamp_ms, head.root_hash, head.signature)
    except CryptoError as exc:
        raise BundleError(f"the tree head does not verify under the public key: {exc}") from None
    _iso(content.exported_at)
    seen: set[str] = set()
    for item in content.items:
        _check_path(item)
        if item.path in seen:
            raise BundleError(f"item {item.id}: another item already uses the path {item.path!r}")
        seen.add(item.path)
        sha256 = item.leaf.get("sha256") if isinstance(item.leaf, dict) else None
        if not isinstance(sha256, str) or not _SHA256_HEX.fullmatch(sha256):
            raise BundleError(f"item {item.id}: its leaf has no lowercase hex \"sha256\"")
        try:
            leaf = leaf_hash(leaf_input(item.leaf))
            verify_inclusion(leaf, item.leaf_index, head.tree_size, item.inclusion_proof,
                             head.root_hash)
        except (CanonicalJSONError, CryptoError) as exc:
            raise BundleError(f"item {item.id}: its custody-log entry does not verify: {exc}") \
                from None


def _check_path(item: BundleItem) -> None:
    path = item.path
    if not isinstance(path, str) or not path:
        raise BundleError(f"item {item.id}: its path must be a non-empty str")
    parts = path.split("/")
    if (
        path in RESERVED
        or len(path.encode("utf-8", "surrogatepass")) > 1024
        or any(part in ("", ".", "..") for part in parts)
        or any(ord(char) < 32 or char in "\\\x7f" for char in path)
    ):
        raise BundleError(
            f"item {item.id}: its path {path!r} is not a plain relative path inside the ZIP")


def _write_item(archive: zipfile.ZipFile, item: BundleItem, date_time: tuple) -> str:
    digest = hashlib.sha256()
    info = _info(item.path, date_time, zipfile.ZIP_STORED)
    with archive.open(info, "w", force_zip64=True) as member:
        for chunk in item.chunks():
            digest.update(chunk)
            member.write(chunk)
    return digest.hexdigest()


def _write_bytes(archive: zipfile.ZipFile, name: str, data: bytes, date_time: tuple,
                 compression: int) -> None:
    archive.writestr(_info(name, date_time, compression), data)


def _info(name: str, date_time: tuple, compression: int) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(name, date_time=date_time)
    info.compress_type = compression
    info.external_attr = _FILE_MODE
    return info


def _aware_utc(moment: datetime.datetime) -> datetime.datetime:
    if not isinstance(moment, datetime.datetime) or moment.utcoffset() is None:
        raise BundleError("exported_at must be a timezone-aware datetime")
    return moment.astimezone(datetime.UTC)


def _iso(moment: datetime.datetime) -> str:
    return _aware_utc(moment).isoformat(timespec="seconds").replace("+00:00", "Z")


def _zip_date_time(moment: datetime.datetime) -> tuple:
    utc = _aware_utc(moment)
    return (max(utc.year, 1980), utc.month, utc.day, utc.hour, utc.minute, utc.second)


def _readme(content: BundleContent) -> str:
    public_key = bytes(content.public_key).hex()
    example = content.items[0].path if content.items else "items/..."
    return f"""Safelight evidence bundle
=========================

This ZIP archive was exported from a Safelight evidence locker on {_iso(content.exported_at)}.
Some of the files may hold threatening or abusive messages.

  README.txt     this file
  report.pdf     the readable account: timeline, incidents, counts of flagged messages
                 (the messages themselves behind a content warning) and the SHA-256 of
                 every file
  items/         the originals, byte for byte ({len(content.items):,} files, messages and
                 incident records)
  manifest.json  for every item, its entry in the locker's custody log (with the SHA-256
                 of its bytes) and the proof that the entry is in that log; the log's
                 signed tree head; the public key that signed it; the SHA-256 of
                 report.pdf and of this file; and a signature over all of it


How to check that nothing was changed
-------------------------------------

With Safelight installed (no configuration is needed, and nothing is sent anywhere):

    safelight verify this-bundle.zip --key KEY

where KEY is the public key that the organisation running the service publishes. It
checks every file against the signed custody log and names anything that was changed,
added or removed. It ends with status 0 when everything matches.

The bundle was signed with this Ed25519 public key:

    {public_key}
    fingerprint (SHA-256 of the key): {key_fingerprint(bytes(content.public_key))}

Compare it with the key the organisation that runs the service publishes. A bundle
signed with any other key says nothing about that organisation's records.

By hand: unzip the archive and compute the SHA-256 of a file, for example

    sha256sum {example}

and compare it with the "sha256" in that item's "leaf" in manifest.json. The file
docs/evidence-bundle.md in Safelight's source code describes every field of
manifest.json, the custody log and its signatures, and how to check all of them with a
few lines of Python.
"""
