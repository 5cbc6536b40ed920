"""The vector files are verbatim copies whose SHA-256 is recorded in vectors/SOURCE.md."""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path

VECTORS = Path(__file__).parent / "vectors"


def test_it_keeps_the_vector_files_byte_identical_to_their_recorded_hashes() -> None:
    recorded = dict(
        re.findall(r"^\| `([\w.-]+\.json)` \| `([0-9a-f]{64})` \|$",
                   (VECTORS / "SOURCE.md").read_text(encoding="utf-8"), re.MULTILINE)
    )
    files = sorted(path.name for path in VECTORS.glob("*.json"))
    assert sorted(recorded) == files == [
        "rfc6962-merkle-roots.json", "rfc9497-oprf-allVectors.json",
    ]
    for name, digest in recorded.items():
        assert hashlib.sha256((VECTORS / name).read_bytes()).hexdigest() == digest, name


def _merkle_root(leaves: list[bytes]) -> bytes:
    if not leaves:
        return hashlib.sha256(b"").digest()
    if len(leaves) == 1:
        return hashlib.sha256(b"\x00" + leaves[0]).digest()
    split = 1
    while split * 2 < len(leaves):
        split *= 2
    left, right = _merkle_root(leaves[:split]), _merkle_root(leaves[split:])
    return hashlib.sha256(b"\x01" + left + right).digest()


def test_it_holds_merkle_roots_that_match_rfc_6962() -> None:
    data = json.loads((VECTORS / "rfc6962-merkle-roots.json").read_text(encoding="utf-8"))
    leaves = [bytes.fromhex(leaf) for leaf in data["leaf_inputs_hex"]]
    roots = data["root_hash_by_tree_size_hex"]
    assert len(roots) == len(leaves) + 1 == 9
    for size, root in enumerate(roots):
        assert _merkle_root(leaves[:size]).hex() == root
