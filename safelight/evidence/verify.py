"""`safelight verify BUNDLE.zip [--key HEX]`: check an evidence bundle offline and name exactly
what fails (docs/evidence-bundle.md, "Verifying").

`verify_bundle(path)` needs no Django settings, no network and no Safelight configuration: a
court clerk runs it on a laptop.  It reads each member as a stream in 1 MiB chunks, so an
original of any size is checked in bounded memory, and it never extracts anything to disk.

What it checks, and how a failure is named (`Problem.part` is what failed):

- the archive opens                               -> the bundle's file name
- manifest.json is present, valid and well formed -> "manifest.json"
- the public key (and, with --key, that it is the expected one) -> "public key"
- the manifest's signature                        -> "manifest.json"
- the custody log's signed tree head              -> "custody log"
- every item: its member is present and readable (the ZIP's CRC-32 included), its SHA-256 is
  the one in its custody-log entry, and its entry's inclusion proof leads to the signed root
                                                  -> the item's member, e.g. "items/files/x.jpg"
- report.pdf and README.txt have the SHA-256 the manifest records -> their names
- no member is missing, doubled or unexpected     -> the member's name
"""

from __future__ import annotations

import argparse
import datetime
import hashlib
import json
import re
import sys
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeGuard

from safelight.crypto import CryptoError, VerifyKey
from safelight.crypto.formats import ED25519_SIGNATURE
from safelight.crypto.merkle import leaf_hash, verify_inclusion, verify_tree_head

from .bundle import FORMAT, MANIFEST, PDF, README, key_fingerprint, signed_part, tree_head_log_id
from .canonical import CanonicalJSONError, canonical_json

__all__ = ["Check", "Problem", "Verification", "main", "parse_key", "verify_bundle"]

CHUNK_SIZE = 1 << 20
MAX_MANIFEST_BYTES = 1 << 30
LOG = "custody log"
KEY = "public key"


@dataclass(frozen=True)
class Problem:
    """One thing that failed: `part` names the member, item or part; `message` says what."""

    part: str
    message: str

    def __str__(self) -> str:
        return f"{self.part}: {self.message}"


@dataclass(frozen=True)
class Check:
    """One checked part of the bundle, for the report: ok or not, and a one-line detail."""

    part: str
    ok: bool
    detail: str


@dataclass
class Verification:
    bundle: str
    checks: list[Check] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    items_listed: int = 0  # items in the manifest
    items_matched: int = 0  # items whose bytes and custody-log entry both check
    members_checked: int = 0  # ZIP members read and hashed
    public_key: bytes | None = None
    item_results: list[tuple[str, bool]] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems and bool(self.checks)

    @property
    def fingerprint(self) -> str | None:
        return None if self.public_key is None else key_fingerprint(self.public_key)


def verify_bundle(path: str | Path, *, expected_key: bytes | None = None) -> Verification:
    """Check the bundle at ``path``; ``expected_key`` is a raw 32-byte Ed25519 public key (or
    its SHA-256 fingerprint) that the bundle must be signed with."""
    return _Verifier(Path(path), expected_key).run()


class _Verifier:
    def __init__(self, path: Path, expected_key: bytes | None) -> None:
        self.path = path
        self.expected_key = expected_key
        self.result = Verification(bundle=path.name)
        self.archive: zipfile.ZipFile
        self.members: dict[str, zipfile.ZipInfo] = {}
        self.head_signed = False

    def problem(self, part: str, message: str) -> None:
        self.result.problems.append(Problem(part, message))

    def check(self, part: str, ok: bool, detail: str) -> None:
        self.result.checks.append(Check(part, ok, detail))

    def run(self) -> Verification:
        name = self.path.name
        try:
            archive = zipfile.ZipFile(self.path)
        except FileNotFoundError:
            self.problem(name, "no such file")
        except IsADirectoryError:
            self.problem(name, "is a directory, not a ZIP archive")
        except Exception as exc:  # any malformed archive is named, never a crash
            empty = self.path.is_file() and self.path.stat().st_size == 0
            reason = "the file is empty" if empty else _reason(exc)
            self.problem(name, f"cannot be opened as a ZIP archive: it is not one, or it is "
                               f"too damaged ({reason})")
        else:
            with archive:
                self.archive = archive
                self._run()
        if self.result.problems and not self.result.checks:
            self.check(name, False, "cannot be opened as a ZIP archive")
        return self.result

    def _run(self) -> None:
        counts: dict[str, int] = {}
        for info in self.archive.infolist():
            if info.is_dir() and info.file_size == 0:
                # A folder entry (a bundle re-zipped by a file manager) carries no data: it
                # cannot change what the manifest signs, so it is neither counted nor flagged.
                continue
            counts[info.filename] = counts.get(info.filename, 0) + 1
            self.members[info.filename] = info
        for name, count in counts.items():
            if count > 1:
                self.problem(name, f"appears {count} times in the archive (only one is expected)")
        self.check(self.path.name, True, f"opens as a ZIP archive of {len(counts):,} files")
        manifest = self._read_manifest()
        if manifest is None:
            return
        verify_key = self._public_key(manifest)
        self._manifest_signature(manifest, verify_key)
        head = self._tree_head(manifest, verify_key)
        expected = {MANIFEST}
        self._items(manifest, head, expected)
        for key, default in (("pdf", PDF), ("readme", README)):
            self._document(manifest, key, default, expected)
        unexpected = [name for name in counts if name not in expected]
        for name in unexpected:
            self.problem(name, "is in the archive but not in the signed manifest")
        self.check("other files", not unexpected,
                   "none" if not unexpected else f"{len(unexpected):,} not in the manifest")

    # manifest.json

    def _read_manifest(self) -> dict | None:
        info = self.members.get(MANIFEST)
        if info is None:
            self.problem(MANIFEST, "is missing, so nothing in the bundle can be checked")
            self.check(MANIFEST, False, "missing")
            return None
        if info.file_size > MAX_MANIFEST_BYTES:
            self.problem(MANIFEST, f"is larger than {MAX_MANIFEST_BYTES:,} bytes")
            self.check(MANIFEST, False, "too large")
            return None
        try:
            data = self.archive.read(info)
        except Exception as exc:  # a damaged member is named, never a crash
            self.problem(MANIFEST, _unreadable(exc))
            self.check(MANIFEST, False, "unreadable")
            return None
        try:
            manifest = json.loads(data.decode("utf-8"), object_pairs_hook=_no_duplicate_keys,
                                  parse_constant=_no_constant)
        except (UnicodeDecodeError, ValueError, RecursionError) as exc:
            self.problem(MANIFEST, f"is not valid JSON ({_reason(exc)})")
            self.check(MANIFEST, False, "not valid JSON")
            return None
        if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
            found = manifest.get("format") if isinstance(manifest, dict) else None
            self.problem(MANIFEST, f"is not a Safelight evidence bundle manifest of format "
                                   f"{FORMAT!r} (format found: {found!r})")
            self.check(MANIFEST, False, "unknown format")
            return None
        return manifest

    def _public_key(self, manifest: dict) -> VerifyKey | None:
        raw = _hex(_dig(manifest, "log", "public_key"), 32)
        if raw is None:
            self.problem(KEY, "log.public_key in manifest.json is not 64 hexadecimal digits")
            self.check(KEY, False, "missing or malformed")
            return None
        self.result.public_key = raw
        verify_key = VerifyKey(raw)
        if self.expected_key is None:
            self.check(KEY, True, "not compared: compare the key and fingerprint above with the "
                                  "ones the organisation publishes, or pass --key")
        elif self.expected_key in (raw, hashlib.sha256(raw).digest()):
            self.check(KEY, True, "is the expected key")
        else:
            self.problem(KEY, f"the bundle was signed with {raw.hex()} (fingerprint "
                              f"{key_fingerprint(raw)}), not with the expected key "
                              f"{self.expected_key.hex()}")
            self.check(KEY, False, "is not the expected key")
        return verify_key

    def _manifest_signature(self, manifest: dict, verify_key: VerifyKey | None) -> None:
        signature = _hex(manifest.get("signature"), 64)
        if signature is None:
            self.problem(MANIFEST, "its signature is missing or not 128 hexadecimal digits")
            self.check(MANIFEST, False, "signature missing")
            return
        if verify_key is None:
            self.check(MANIFEST, False, "signature not checked: no usable public key")
            return
        try:
            verify_key.verify(signed_part(manifest), bytes([ED25519_SIGNATURE]) + signature)
        except CanonicalJSONError as exc:
            self.problem(MANIFEST, f"holds a value that was never signed ({exc})")
            self.check(MANIFEST, False, "signature does not verify")
        except CryptoError:
            self.problem(MANIFEST, "its signature does not verify: the manifest was changed "
                                   "after it was signed, or signed with another key")
            self.check(MANIFEST, False, "signature does not verify")
        else:
            self.check(MANIFEST, True, "signature verifies")

    def _tree_head(self, manifest: dict, verify_key: VerifyKey | None) -> tuple[int, bytes] | None:
        head = _dig(manifest, "log", "tree_head")
        log_id = _dig(manifest, "log", "log_id")
        head = head if isinstance(head, dict) else {}
        size, timestamp = head.get("tree_size"), head.get("timestamp_ms")
        root, signature = _hex(head.get("root_hash"), 32), _hex(head.get("signature"), 64)
        if not (
            isinstance(log_id, str) and log_id and _is_count(size) and _is_count(timestamp)
            and root is not None and signature is not None
        ):
            self.problem(LOG, "the tree head in manifest.json is missing or malformed "
                              "(log.log_id, log.tree_head: tree_size, root_hash, timestamp_ms, "
                              "signature)")
            self.check(LOG, False, "tree head missing or malformed")
            return None
        when = _utc(timestamp)
        summary = f"{size:,} entries, root {root.hex()[:16]}..., signed {when}"
        if verify_key is None:
            self.check(LOG, False, f"{summary}; signature not checked: no usable public key")
            return size, root
        try:
            verify_tree_head(verify_key, tree_head_log_id(log_id), size, timestamp, root,
                             bytes([ED25519_SIGNATURE]) + signature)
        except CryptoError:
            self.problem(LOG, "the signature of its tree head does not verify: its size, time, "
                              "root hash or log id was changed, or it was signed with another "
                              "key")
            self.check(LOG, False, f"{summary}; signature does not verify")
        else:
            self.head_signed = True
            self.check(LOG, True, f"{summary}; signature verifies")
        return size, root

    # items

    def _items(self, manifest: dict, head: tuple[int, bytes] | None, expected: set[str]) -> None:
        items = manifest.get("items")
        if not isinstance(items, list):
            self.problem(MANIFEST, "its list of items is missing")
            self.check("items", False, "missing from the manifest")
            return
        self.result.items_listed = len(items)
        owner: dict[str, str] = {}
        for number, entry in enumerate(items):
            ok = self._item(number, entry, head, expected, owner)
            self.result.items_matched += ok
        listed, matched = self.result.items_listed, self.result.items_matched
        if self.head_signed:
            self.check("items", listed == matched,
                       f"{matched:,} of {listed:,} match the signed custody log (each file's "
                       "SHA-256 is in its log entry, and each entry is in the signed log)")
        else:
            self.check("items", False, f"{matched:,} of {listed:,} match the custody log's "
                                       "tree head, but its signature does not check")

    def _item(self, number: int, entry: object, head: tuple[int, bytes] | None,
              expected: set[str], owner: dict[str, str]) -> bool:
        where = f"manifest.json items[{number}]"
        if not isinstance(entry, dict) or not isinstance(entry.get("path"), str):
            self.problem(where, "is not an item with a path")
            return False
        path, item_id = entry["path"], entry.get("id")
        label = f"item {item_id}" if isinstance(item_id, str) else f"item number {number}"
        expected.add(path)
        if path in owner:
            self.problem(path, f"is listed for two items ({owner[path]} and {label})")
        owner[path] = label
        leaf, index = entry.get("leaf"), entry.get("leaf_index")
        proof = entry.get("inclusion_proof")
        sha256 = leaf.get("sha256") if isinstance(leaf, dict) else None
        file_ok = self._member(path, label, sha256 if isinstance(sha256, str) else None)
        entry_ok = self._entry(path, label, leaf, index, proof, head)
        ok = file_ok and entry_ok
        self.result.item_results.append((path, ok))
        return ok

    def _member(self, path: str, label: str, sha256: str | None) -> bool:
        if path not in self.members:
            self.problem(path, f"{label}: the file is missing from the archive")
            return False
        digest = self._hash(path, label)
        if digest is None:
            return False
        if sha256 is None:
            self.problem(path, f"{label}: its custody-log entry has no SHA-256 to compare with")
            return False
        if digest != sha256:
            self.problem(path, f"{label}: the file was changed: its SHA-256 is {digest}, but its "
                               f"custody-log entry records {sha256}")
            return False
        return True

    def _entry(self, path: str, label: str, leaf: object, index: object, proof: object,
               head: tuple[int, bytes] | None) -> bool:
        if not isinstance(leaf, dict):
            self.problem(path, f"{label}: its custody-log entry (leaf) is missing")
            return False
        nodes = [_hex(node, 32) for node in proof] if isinstance(proof, list) else None
        if not _is_count(index) or nodes is None or None in nodes:
            self.problem(path, f"{label}: its position in the log (leaf_index) or its inclusion "
                               "proof is missing or malformed")
            return False
        if head is None:
            return False  # already reported: no tree head to check against
        hashes = [node for node in nodes if node is not None]  # all of them: checked above
        try:
            verify_inclusion(leaf_hash(canonical_json(leaf)), index, head[0], hashes, head[1])
        except (CanonicalJSONError, CryptoError) as exc:
            self.problem(path, f"{label}: its custody-log entry is not in the signed custody log "
                               f"(the entry, its position or its inclusion proof was changed: "
                               f"{exc})")
            return False
        return True

    # report.pdf, README.txt

    def _document(self, manifest: dict, key: str, default: str, expected: set[str]) -> None:
        entry = manifest.get(key)
        path = entry.get("path") if isinstance(entry, dict) else None
        sha256 = entry.get("sha256") if isinstance(entry, dict) else None
        if not isinstance(path, str) or not isinstance(sha256, str):
            self.problem(default, f"manifest.json does not record its path and SHA-256 ({key})")
            self.check(default, False, "not in the manifest")
            return
        expected.add(path)
        if path not in self.members:
            self.problem(path, "is missing from the archive")
            self.check(path, False, "missing")
            return
        digest = self._hash(path, "the file")
        if digest is None:
            self.check(path, False, "unreadable")
        elif digest != sha256:
            self.problem(path, f"was changed: its SHA-256 is {digest}, but the signed manifest "
                               f"records {sha256}")
            self.check(path, False, "changed")
        else:
            self.check(path, True, "matches the signed manifest")

    def _hash(self, path: str, label: str) -> str | None:
        digest = hashlib.sha256()
        try:
            with self.archive.open(self.members[path]) as member:
                while chunk := member.read(CHUNK_SIZE):
                    digest.update(chunk)
        except Exception as exc:  # a damaged member is named, never a crash
            self.problem(path, f"{label}: {_unreadable(exc)}")
            return None
        self.result.members_checked += 1
        return digest.hexdigest()


def _unreadable(exc: Exception) -> str:
    if isinstance(exc, zipfile.BadZipFile) and "CRC" in str(exc):
        return ("the file was changed or damaged: the archive's own checksum (CRC-32) of it "
                "does not match its bytes")
    return f"cannot be read from the archive: it is damaged ({_reason(exc)})"


def _reason(exc: BaseException) -> str:
    return str(exc) or type(exc).__name__


def _no_duplicate_keys(pairs: list[tuple[str, object]]) -> dict:
    result: dict = {}
    for key, value in pairs:
        if key in result:
            raise ValueError(f"the key {key!r} appears twice in one object")
        result[key] = value
    return result


def _no_constant(name: str) -> None:
    raise ValueError(f"{name} is not a JSON number")


def _dig(obj: object, *keys: str) -> object:
    for key in keys:
        if not isinstance(obj, dict):
            return None
        obj = obj.get(key)
    return obj


def _hex(value: object, size: int) -> bytes | None:
    """``size`` bytes from exactly ``2 * size`` lowercase hex digits, else None."""
    if type(value) is not str or len(value) != 2 * size:
        return None
    try:
        raw = bytes.fromhex(value)
    except ValueError:
        return None
    return raw if raw.hex() == value else None  # refuses upper case and spaces


def _is_count(value: object) -> TypeGuard[int]:
    return type(value) is int and 0 <= value < 1 << 64


def _utc(timestamp_ms: int) -> str:
    try:
        moment = datetime.datetime.fromtimestamp(timestamp_ms / 1000, tz=datetime.UTC)
    except (OverflowError, OSError, ValueError):
        return f"at {timestamp_ms} ms after 1970"
    return moment.strftime("%Y-%m-%d %H:%M:%S UTC")


# The command line.


def parse_key(text: str) -> bytes:
    """A public key (or fingerprint) as typed: 64 hex digits; spaces and colons are ignored."""
    cleaned = re.sub(r"[\s:]", "", text).lower()
    raw = _hex(cleaned, 32)
    if raw is None:
        raise ValueError("--key must be 64 hexadecimal digits: the Ed25519 public key or its "
                         "fingerprint, as the organisation publishes them")
    return raw


def main(argv: list[str]) -> int:
    """`safelight verify BUNDLE.zip [--key HEX]`: 0 when everything checks, 1 when anything
    fails, 2 for a usage error."""
    parser = argparse.ArgumentParser(
        prog="safelight verify",
        description="Check a Safelight evidence bundle offline: every file against the signed "
                    "custody log, and the signatures. Needs no configuration.")
    parser.add_argument("bundle", help="the bundle's ZIP file")
    parser.add_argument("--key", metavar="HEX",
                        help="the public key (or its fingerprint) that the organisation "
                             "publishes; the bundle must be signed with it")
    parser.add_argument("-v", "--verbose", action="store_true", help="list every item")
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:
        return exc.code if isinstance(exc.code, int) else 2
    try:
        expected = None if args.key is None else parse_key(args.key)
    except ValueError as exc:
        parser.print_usage(sys.stderr)
        sys.stderr.write(f"safelight verify: {exc}\n")
        return 2
    path = Path(args.bundle)
    if not path.is_file():
        sys.stderr.write(f"safelight verify: {args.bundle}: no such file\n")
        return 2
    result = verify_bundle(path, expected_key=expected)
    _print(result, verbose=args.verbose, expected_key=expected is not None)
    return 0 if result.ok else 1


def _print(result: Verification, *, verbose: bool, expected_key: bool) -> None:
    out = sys.stdout
    out.write(f"Checking evidence bundle {result.bundle}\n")
    if result.public_key is not None:
        out.write(f"Signed with public key {result.public_key.hex()}\n")
        out.write(f"Key fingerprint: {result.fingerprint}\n")
    for check in result.checks:
        out.write(f"  {'ok  ' if check.ok else 'FAIL'}  {check.part}: {check.detail}\n")
    if verbose:
        for path, ok in result.item_results:
            out.write(f"  {'ok  ' if ok else 'FAIL'}  {path}\n")
    out.write("\n")
    if result.ok:
        if result.items_listed:
            out.write(f"All {result.items_listed:,} items match the signed custody log.\n")
        else:
            out.write("The bundle holds no items; its manifest and report check.\n")
        if result.public_key is not None and not expected_key:
            out.write(f"It was signed with the key whose fingerprint is {result.fingerprint}: "
                      "check that it is the one the organisation publishes.\n")
        return
    count = len(result.problems)
    out.write(f"{count:,} problem{'s' if count != 1 else ''} found:\n")
    for problem in result.problems:
        out.write(f"  - {problem}\n")
