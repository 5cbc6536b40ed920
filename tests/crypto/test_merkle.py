"""RFC 9162 Merkle trees: roots, proofs, the compact range and signed tree heads."""

from __future__ import annotations

import hashlib
import itertools
import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from safelight.crypto import (
    CompactRange,
    InvalidInput,
    InvalidProof,
    InvalidSignature,
    SigningKey,
    UnsupportedFormat,
    merkle,
)
from safelight.crypto.merkle import (
    EMPTY_ROOT,
    MerkleTree,
    consistency_proof,
    inclusion_proof,
    inclusion_proofs,
    leaf_hash,
    node_hash,
    root_hash,
    sign_tree_head,
    tree_head_message,
    verify_consistency,
    verify_inclusion,
    verify_tree_head,
)

VECTORS = Path(__file__).parent / "vectors" / "rfc6962-merkle-roots.json"
MAX = 70

LEAVES = [leaf_hash(b"leaf %d" % i) for i in range(2 * MAX)]
TREES = {size: MerkleTree(LEAVES[:size]) for size in range(MAX + 1)}
ROOTS = {size: tree.root() for size, tree in TREES.items()}
KEY = SigningKey.generate()


# An independent reference: RFC 9162 section 2.1's recursive definitions, written out naively.


def _split(size: int) -> int:
    k = 1
    while k * 2 < size:
        k *= 2
    return k


def _mth(hashes: list[bytes]) -> bytes:
    if not hashes:
        return hashlib.sha256(b"").digest()
    if len(hashes) == 1:
        return hashes[0]
    k = _split(len(hashes))
    return hashlib.sha256(b"\x01" + _mth(hashes[:k]) + _mth(hashes[k:])).digest()


def _path(index: int, hashes: list[bytes]) -> list[bytes]:
    if len(hashes) == 1:
        return []
    k = _split(len(hashes))
    if index < k:
        return [*_path(index, hashes[:k]), _mth(hashes[k:])]
    return [*_path(index - k, hashes[k:]), _mth(hashes[:k])]


def _subproof(m: int, hashes: list[bytes], whole: bool) -> list[bytes]:
    n = len(hashes)
    if m == n:
        return [] if whole else [_mth(hashes)]
    k = _split(n)
    if m <= k:
        return [*_subproof(m, hashes[:k], whole), _mth(hashes[k:])]
    return [*_subproof(m - k, hashes[k:], False), _mth(hashes[:k])]


def _inclusion_shape(index: int, size: int) -> object:
    """Which hash each proof position stands for, as a nested expression of proof positions:
    a proof verifies for (index, size) exactly when its shape is the genuine proof's shape."""
    if index >= size:
        return None
    labels = itertools.count()

    def walk(index: int, size: int) -> object:
        if size == 1:
            return "leaf"
        k = _split(size)
        if index < k:
            return (walk(index, k), next(labels))
        inner = walk(index - k, size - k)
        return (next(labels), inner)

    return walk(index, size)


def _consistency_shape(old: int, new: int) -> object:
    """(old root, new root) as expressions of proof positions; "first" is the old root itself."""
    if old == 0:
        return "from the empty tree"
    if old == new:
        return "unchanged"
    labels = itertools.count()

    def sub(m: int, size: int, whole: bool) -> tuple[object, object]:
        if m == size:
            if whole:
                return ("first", "first")
            label = next(labels)
            return (label, label)
        k = _split(size)
        if m <= k:
            old_root, new_left = sub(m, k, whole)
            return (old_root, (new_left, next(labels)))
        old_right, new_right = sub(m - k, size - k, False)
        label = next(labels)
        return ((label, old_right), (label, new_right))

    return sub(old, new, True)


def _flip(data: bytes, bit: int) -> bytes:
    changed = bytearray(data)
    changed[bit // 8 % len(data)] ^= 1 << (bit % 8)
    return bytes(changed)


# Hashes and roots.


def test_it_matches_the_rfc_6962_roots_for_0_to_8_leaves() -> None:
    data = json.loads(VECTORS.read_text(encoding="utf-8"))
    leaves = [leaf_hash(bytes.fromhex(leaf)) for leaf in data["leaf_inputs_hex"]]
    roots = [bytes.fromhex(root) for root in data["root_hash_by_tree_size_hex"]]
    assert len(roots) == 9
    compact = CompactRange()
    for size, expected in enumerate(roots):
        assert root_hash(leaves[:size]) == expected
        assert MerkleTree(leaves[:size]).root() == expected
        assert compact.root() == expected
        if size < len(leaves):
            compact.append(leaves[size])


def test_it_hashes_leaves_and_nodes_with_their_prefixes() -> None:
    assert leaf_hash(b"abc") == hashlib.sha256(b"\x00abc").digest()
    expected = hashlib.sha256(b"\x01" + b"a" * 32 + b"b" * 32).digest()
    assert node_hash(b"a" * 32, b"b" * 32) == expected
    assert EMPTY_ROOT == hashlib.sha256(b"").digest() == root_hash([])
    assert leaf_hash(bytearray(b"x")) == leaf_hash(memoryview(b"x"))


def test_it_agrees_with_the_recursive_definition_at_every_size() -> None:
    for size in range(2 * MAX):
        assert root_hash(LEAVES[:size]) == _mth(LEAVES[:size])
        assert MerkleTree(LEAVES[:size]).root() == _mth(LEAVES[:size])


def test_it_refuses_hashes_of_the_wrong_length_or_type() -> None:
    with pytest.raises(InvalidInput, match="left hash must be 32 bytes, got 31"):
        node_hash(b"a" * 31, b"b" * 32)
    with pytest.raises(InvalidInput, match="right hash must be bytes, not str"):
        node_hash(b"a" * 32, "b" * 32)
    with pytest.raises(InvalidInput, match="leaf hash 1 must be 32 bytes"):
        MerkleTree([b"a" * 32, b"b" * 33])
    with pytest.raises(InvalidInput, match="leaf input must be bytes"):
        leaf_hash("text")  # type: ignore[arg-type]


# Inclusion proofs.


def test_it_proves_and_verifies_every_leaf_of_every_tree_up_to_70_leaves() -> None:
    for size in range(1, MAX + 1):
        tree, hashes = TREES[size], LEAVES[:size]
        proofs = inclusion_proofs(range(size), hashes)
        for index in range(size):
            proof = tree.inclusion_proof(index)
            assert proof == _path(index, hashes) == proofs[index]
            assert tree.leaf(index) == hashes[index]
            assert verify_inclusion(hashes[index], index, size, proof, ROOTS[size]) is None
    assert inclusion_proof(5, LEAVES[:9]) == _path(5, LEAVES[:9])


def test_it_gives_an_empty_proof_for_a_single_leaf() -> None:
    assert inclusion_proof(0, LEAVES[:1]) == []
    verify_inclusion(LEAVES[0], 0, 1, [], LEAVES[0])


def test_it_refuses_to_prove_a_leaf_outside_the_tree() -> None:
    with pytest.raises(InvalidInput, match="leaf index 3 is outside a tree of 3 leaves"):
        TREES[3].inclusion_proof(3)
    with pytest.raises(InvalidInput, match="leaf index must be between 0 and 2"):
        TREES[3].inclusion_proof(-1)
    with pytest.raises(InvalidInput, match="leaf index must be an int, not bool"):
        TREES[3].leaf(True)
    with pytest.raises(InvalidInput, match="outside a tree of 0 leaves"):
        inclusion_proofs([0], [])


INCLUSION_TAMPERING = ["proof bit", "leaf bit", "root bit", "truncate", "extend", "drop", "index",
                       "size"]


@settings(max_examples=600)
@given(data=st.data(), size=st.integers(1, MAX), how=st.sampled_from(INCLUSION_TAMPERING))
def test_it_rejects_any_tampered_inclusion_proof(data: st.DataObject, size: int, how: str) -> None:
    index = data.draw(st.integers(0, size - 1))
    leaf, root = LEAVES[index], ROOTS[size]
    proof = TREES[size].inclusion_proof(index)
    claimed_index, claimed_size = index, size
    if how in ("proof bit", "truncate", "drop") and not proof:
        how = "extend"
    if how == "proof bit":
        at = data.draw(st.integers(0, len(proof) - 1))
        proof[at] = _flip(proof[at], data.draw(st.integers(0, 255)))
    elif how == "leaf bit":
        leaf = _flip(leaf, data.draw(st.integers(0, 255)))
    elif how == "root bit":
        root = _flip(root, data.draw(st.integers(0, 255)))
    elif how == "truncate":
        proof = proof[:data.draw(st.integers(0, len(proof) - 1))]
    elif how == "extend":
        extra = data.draw(st.lists(st.binary(min_size=32, max_size=32), min_size=1, max_size=3))
        at = data.draw(st.integers(0, len(proof)))
        proof = proof[:at] + extra + proof[at:]
    elif how == "drop":
        del proof[data.draw(st.integers(0, len(proof) - 1))]
    elif how == "index":
        claimed_index = data.draw(st.integers(0, 2 * MAX).filter(lambda i: i != index))
    else:
        claimed_size = data.draw(st.integers(1, 2 * MAX).filter(lambda n: n != size))
    # A proof does not commit to the tree size (the signed tree head does): under another size
    # whose tree has the same shape along this leaf's path, the same hashes verify.
    if _inclusion_shape(claimed_index, claimed_size) == _inclusion_shape(index, size) and how in (
            "index", "size"):
        verify_inclusion(leaf, claimed_index, claimed_size, proof, root)
        return
    with pytest.raises(InvalidProof):
        verify_inclusion(leaf, claimed_index, claimed_size, proof, root)


def test_it_names_what_failed_in_an_inclusion_proof() -> None:
    proof = TREES[5].inclusion_proof(2)
    with pytest.raises(InvalidProof, match="leaf index 5 is outside a tree of 5 leaves"):
        verify_inclusion(LEAVES[2], 5, 5, proof, ROOTS[5])
    with pytest.raises(InvalidProof, match=r"more hashes \(4\) than leaf 2 of a tree of 5"):
        verify_inclusion(LEAVES[2], 2, 5, [*proof, proof[0]], ROOTS[5])
    with pytest.raises(InvalidProof, match=r"fewer hashes \(2\) than leaf 2 of a tree of 5"):
        verify_inclusion(LEAVES[2], 2, 5, proof[:2], ROOTS[5])
    with pytest.raises(InvalidProof, match="inclusion proof of leaf 2 does not lead to the root"):
        verify_inclusion(LEAVES[3], 2, 5, proof, ROOTS[5])
    with pytest.raises(InvalidProof, match="inclusion proof hash 1 is 31 bytes, not 32"):
        verify_inclusion(LEAVES[2], 2, 5, [proof[0], proof[1][:31], proof[2]], ROOTS[5])


def test_it_refuses_unusable_inclusion_arguments() -> None:
    proof = TREES[5].inclusion_proof(2)
    with pytest.raises(InvalidInput, match="must be a sequence of hashes, not bytes"):
        verify_inclusion(LEAVES[2], 2, 5, b"".join(proof), ROOTS[5])
    with pytest.raises(InvalidInput, match="not int"):
        verify_inclusion(LEAVES[2], 2, 5, 7, ROOTS[5])  # type: ignore[arg-type]
    with pytest.raises(InvalidInput, match="inclusion proof hash 0 must be bytes, not str"):
        verify_inclusion(LEAVES[2], 2, 5, ["00" * 32], ROOTS[5])
    with pytest.raises(InvalidInput, match="root hash must be 32 bytes"):
        verify_inclusion(LEAVES[2], 2, 5, proof, ROOTS[5][:16])
    with pytest.raises(InvalidInput, match="tree size must be an int, not float"):
        verify_inclusion(LEAVES[2], 2, 5.0, proof, ROOTS[5])  # type: ignore[arg-type]
    with pytest.raises(InvalidInput, match="tree size must be between 0 and 2"):
        verify_inclusion(LEAVES[2], 2, 1 << 64, proof, ROOTS[5])
    verify_inclusion(LEAVES[2], 2, 5, tuple(proof), ROOTS[5])


# Consistency proofs.


def test_it_proves_and_verifies_consistency_between_every_pair_of_sizes_up_to_70() -> None:
    for new in range(MAX + 1):
        tree, hashes = TREES[new], LEAVES[:new]
        for old in range(new + 1):
            proof = tree.consistency_proof(old)
            expected = [] if old in (0, new) else _subproof(old, hashes, True)
            assert proof == expected
            assert verify_consistency(old, new, ROOTS[old], ROOTS[new], proof) is None
    assert consistency_proof(3, LEAVES[:7]) == _subproof(3, LEAVES[:7], True)


def test_it_refuses_a_consistency_proof_from_a_larger_tree() -> None:
    with pytest.raises(InvalidInput, match="old size 6 is larger than the tree"):
        TREES[5].consistency_proof(6)


CONSISTENCY_TAMPERING = ["proof bit", "old root bit", "new root bit", "truncate", "extend", "drop",
                         "old size", "new size"]


@settings(max_examples=600)
@given(data=st.data(), new=st.integers(1, MAX), how=st.sampled_from(CONSISTENCY_TAMPERING))
def test_it_rejects_any_tampered_consistency_proof(data: st.DataObject, new: int, how: str) -> None:
    old = data.draw(st.integers(0, new))
    first, second = ROOTS[old], ROOTS[new]
    proof = TREES[new].consistency_proof(old)
    claimed_old, claimed_new = old, new
    if how in ("proof bit", "truncate", "drop") and not proof:
        how = "extend"
    if how == "proof bit":
        at = data.draw(st.integers(0, len(proof) - 1))
        proof[at] = _flip(proof[at], data.draw(st.integers(0, 255)))
    elif how == "old root bit":
        first = _flip(first, data.draw(st.integers(0, 255)))
    elif how == "new root bit":
        second = _flip(second, data.draw(st.integers(0, 255)))
        if old == 0:  # every tree extends the empty one
            verify_consistency(old, new, first, second, proof)
            return
    elif how == "truncate":
        proof = proof[:data.draw(st.integers(0, len(proof) - 1))]
    elif how == "extend":
        extra = data.draw(st.lists(st.binary(min_size=32, max_size=32), min_size=1, max_size=3))
        at = data.draw(st.integers(0, len(proof)))
        proof = proof[:at] + extra + proof[at:]
    elif how == "drop":
        del proof[data.draw(st.integers(0, len(proof) - 1))]
    elif how == "old size":
        claimed_old = data.draw(st.integers(0, 2 * MAX).filter(lambda m: m != old))
    else:
        claimed_new = data.draw(st.integers(0, 2 * MAX).filter(lambda n: n != new))
    # As with inclusion, the sizes are bound by the signed tree heads, not by the proof.
    same_shape = _consistency_shape(claimed_old, claimed_new) == _consistency_shape(old, new)
    if how in ("old size", "new size") and same_shape and claimed_old <= claimed_new:
        verify_consistency(claimed_old, claimed_new, first, second, proof)
        return
    with pytest.raises(InvalidProof):
        verify_consistency(claimed_old, claimed_new, first, second, proof)


def test_it_names_what_failed_in_a_consistency_proof() -> None:
    proof = TREES[7].consistency_proof(3)
    with pytest.raises(InvalidProof, match="old size 8 is larger than new size 7"):
        verify_consistency(8, 7, ROOTS[3], ROOTS[7], proof)
    with pytest.raises(InvalidProof, match="from 0 to 7 leaves must be empty"):
        verify_consistency(0, 7, EMPTY_ROOT, ROOTS[7], proof)
    with pytest.raises(InvalidProof, match="old root is not the root of the empty tree"):
        verify_consistency(0, 7, ROOTS[3], ROOTS[7], [])
    with pytest.raises(InvalidProof, match="old and new roots differ for the same size 7"):
        verify_consistency(7, 7, ROOTS[6], ROOTS[7], [])
    with pytest.raises(InvalidProof, match="from 3 to 7 leaves is empty"):
        verify_consistency(3, 7, ROOTS[3], ROOTS[7], [])
    with pytest.raises(InvalidProof, match="from 3 to 7 leaves has too many hashes"):
        verify_consistency(3, 7, ROOTS[3], ROOTS[7], [*proof, proof[0]])
    with pytest.raises(InvalidProof, match="from 3 to 7 leaves has too few hashes"):
        verify_consistency(3, 7, ROOTS[3], ROOTS[7], proof[:-1])
    with pytest.raises(InvalidProof, match="does not lead to the old root"):
        verify_consistency(3, 7, ROOTS[2], ROOTS[7], proof)
    with pytest.raises(InvalidProof, match="does not lead to the new root"):
        verify_consistency(3, 7, ROOTS[3], ROOTS[6], proof)
    with pytest.raises(InvalidInput, match="new root must be 32 bytes"):
        verify_consistency(3, 7, ROOTS[3], b"", proof)


def test_it_accepts_consistency_from_the_empty_tree_and_to_itself() -> None:
    verify_consistency(0, 0, EMPTY_ROOT, EMPTY_ROOT, [])
    verify_consistency(0, 5, EMPTY_ROOT, ROOTS[5], [])
    verify_consistency(5, 5, ROOTS[5], ROOTS[5], [])


# The compact range.


def test_it_keeps_the_compact_range_root_equal_to_the_tree_root_at_every_size() -> None:
    compact = CompactRange()
    assert compact.size == 0
    assert compact.root() == EMPTY_ROOT
    for size, leaf in enumerate(LEAVES, start=1):
        compact.append(leaf)
        assert compact.size == size
        assert compact.root() == _mth(LEAVES[:size])
        assert len(compact.hashes) == size.bit_count()
        assert CompactRange.from_bytes(compact.to_bytes()) == compact
    assert CompactRange.from_leaf_hashes(LEAVES) == compact


def test_it_lays_the_compact_range_out_as_documented() -> None:
    compact = CompactRange.from_leaf_hashes(LEAVES[:5])
    blob = compact.to_bytes()
    body = b"\x91" + (5).to_bytes(8, "big") + _mth(LEAVES[:4]) + LEAVES[4]
    assert blob == body + hashlib.sha256(body).digest()[:8]
    assert len(CompactRange().to_bytes()) == 17
    assert repr(compact) == "CompactRange(size=5)"


@given(size=st.integers(0, 2 * MAX), bit=st.integers(0, 8 * 400))
def test_it_rejects_a_compact_range_with_any_flipped_bit(size: int, bit: int) -> None:
    blob = CompactRange.from_leaf_hashes(LEAVES[:size]).to_bytes()
    bit %= 8 * len(blob)
    damaged = _flip(blob, bit)
    with pytest.raises(UnsupportedFormat if bit < 8 else InvalidInput):
        CompactRange.from_bytes(damaged)


@given(size=st.integers(0, 2 * MAX), cut=st.integers(1, 200), extra=st.binary(min_size=1))
def test_it_rejects_a_truncated_or_extended_compact_range(size: int, cut: int,
                                                          extra: bytes) -> None:
    blob = CompactRange.from_leaf_hashes(LEAVES[:size]).to_bytes()
    with pytest.raises(InvalidInput):
        CompactRange.from_bytes(blob + extra)
    with pytest.raises((InvalidInput, UnsupportedFormat)):
        CompactRange.from_bytes(blob[:max(0, len(blob) - cut)])


def test_it_names_what_is_wrong_with_a_compact_range() -> None:
    with pytest.raises(UnsupportedFormat, match=r"expected Merkle compact range \(0x91\)"):
        CompactRange.from_bytes(b"\x61" + bytes(16))
    with pytest.raises(InvalidInput, match=r"compact range is truncated \(9 bytes\)"):
        CompactRange.from_bytes(b"\x91" + bytes(8))
    with pytest.raises(InvalidInput, match="compact range of 3 leaves must be 81 bytes, got 17"):
        CompactRange.from_bytes(b"\x91" + (3).to_bytes(8, "big") + bytes(8))
    with pytest.raises(InvalidInput, match="check bytes do not match"):
        CompactRange.from_bytes(b"\x91" + bytes(16))
    assert CompactRange.from_bytes(bytearray(CompactRange().to_bytes())) == CompactRange()
    assert CompactRange() != "a compact range"
    with pytest.raises(TypeError):
        hash(CompactRange())


def test_it_stops_appending_at_the_largest_size_it_can_store() -> None:
    body = b"\x91" + ((1 << 64) - 1).to_bytes(8, "big") + b"".join(LEAVES[:64])
    full = CompactRange.from_bytes(body + hashlib.sha256(body).digest()[:8])
    assert full.size == (1 << 64) - 1
    with pytest.raises(InvalidInput, match="already holds 2\\*\\*64 - 1 leaves"):
        full.append(LEAVES[0])
    with pytest.raises(InvalidInput, match="leaf hash must be 32 bytes"):
        CompactRange().append(b"short")


# Signed tree heads.


def test_it_lays_the_tree_head_message_out_as_documented() -> None:
    root = ROOTS[5]
    message = tree_head_message(b"locker-1", 5, 1_700_000_000_123, root)
    assert message == (
        b"safelight-tree-head/v1\n" + b"\x00\x08locker-1" + (5).to_bytes(8, "big")
        + (1_700_000_000_123).to_bytes(8, "big") + root
    )
    assert merkle.TREE_HEAD_PREFIX == b"safelight-tree-head/v1\n"


def test_it_signs_and_verifies_a_tree_head() -> None:
    signature = sign_tree_head(KEY, log_id=b"locker-1", tree_size=5, timestamp_ms=17,
                               root_hash=ROOTS[5])
    assert signature[0] == 0x61
    assert len(signature) == 65
    assert verify_tree_head(KEY.verify_key(), b"locker-1", 5, 17, ROOTS[5], signature) is None
    assert KEY.verify_key().verify(tree_head_message(b"locker-1", 5, 17, ROOTS[5]),
                                   signature) is None


@pytest.mark.parametrize(
    ("field", "value"),
    [("log_id", b"locker-2"), ("tree_size", 6), ("timestamp_ms", 18), ("root_hash", ROOTS[6])],
)
def test_it_rejects_a_tree_head_with_any_field_changed(field: str, value: object) -> None:
    head = {"log_id": b"locker-1", "tree_size": 5, "timestamp_ms": 17, "root_hash": ROOTS[5]}
    signature = sign_tree_head(KEY, **head)
    with pytest.raises(InvalidSignature):
        verify_tree_head(KEY.verify_key(), **{**head, field: value}, signature=signature)


@given(bit=st.integers(8, 8 * 65 - 1))
def test_it_rejects_a_tree_head_signature_with_any_flipped_bit(bit: int) -> None:
    signature = sign_tree_head(KEY, b"log", 1, 2, ROOTS[1])
    with pytest.raises(InvalidSignature):
        verify_tree_head(KEY.verify_key(), b"log", 1, 2, ROOTS[1], _flip(signature, bit))


def test_it_rejects_a_tree_head_signed_by_another_key() -> None:
    signature = sign_tree_head(SigningKey.generate(), b"log", 1, 2, ROOTS[1])
    with pytest.raises(InvalidSignature):
        verify_tree_head(KEY.verify_key(), b"log", 1, 2, ROOTS[1], signature)
    with pytest.raises(UnsupportedFormat):
        verify_tree_head(KEY.verify_key(), b"log", 1, 2, ROOTS[1], signature[1:])


def test_it_refuses_unusable_tree_head_fields() -> None:
    with pytest.raises(InvalidInput, match="log id must be 1 to 65535 bytes, got 0"):
        tree_head_message(b"", 1, 2, ROOTS[1])
    with pytest.raises(InvalidInput, match="log id must be 1 to 65535 bytes, got 65536"):
        tree_head_message(bytes(65536), 1, 2, ROOTS[1])
    with pytest.raises(InvalidInput, match="log id must be bytes, not str"):
        tree_head_message("locker", 1, 2, ROOTS[1])  # type: ignore[arg-type]
    with pytest.raises(InvalidInput, match="timestamp must be between 0 and 2"):
        tree_head_message(b"log", 1, -2, ROOTS[1])
    with pytest.raises(InvalidInput, match="root hash must be 32 bytes"):
        tree_head_message(b"log", 1, 2, b"")
    with pytest.raises(InvalidInput, match="signing key must be a SigningKey, not bytes"):
        sign_tree_head(KEY.to_bytes(), b"log", 1, 2, ROOTS[1])  # type: ignore[arg-type]
    with pytest.raises(InvalidInput, match="verify key must be a VerifyKey, not SigningKey"):
        verify_tree_head(KEY, b"log", 1, 2, ROOTS[1], b"")  # type: ignore[arg-type]
