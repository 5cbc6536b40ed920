"""RFC 9162 Merkle trees (SHA-256): hashes, proofs, a compact range and signed tree heads.

The tree is RFC 9162 section 2.1 (unchanged from RFC 6962): a leaf hashes as
``SHA-256(0x00 || data)``, an interior node as ``SHA-256(0x01 || left || right)``, and a tree
of ``n > 1`` leaves splits at the largest power of two below ``n``.  The empty tree's root is
``SHA-256("")``.

- ``inclusion_proof`` / ``verify_inclusion``: RFC 9162 sections 2.1.3.1 and 2.1.3.2.
- ``consistency_proof`` / ``verify_consistency``: RFC 9162 sections 2.1.4.1 and 2.1.4.2.
- ``MerkleTree`` builds every level once (O(n)) and then answers each proof in O(log n);
  ``inclusion_proofs`` is the batch form.
- ``CompactRange`` keeps only the roots of the perfect subtrees that make up the tree (one per
  set bit of its size), so a log can append and compute its root without reading old leaves.
  It serialises as ``0x91 || size (8, BE) || hashes (32 each) || check (8)``.
- ``tree_head_message`` / ``sign_tree_head`` / ``verify_tree_head``: Ed25519 over a versioned,
  fixed-layout encoding of (log id, size, timestamp, root).

Verification raises ``InvalidProof`` (or ``InvalidSignature``) naming what failed; it never
returns False.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Iterable, Sequence

from .errors import InvalidInput, InvalidProof
from .formats import MERKLE_COMPACT_RANGE, expect_format
from .inputs import as_bytes
from .signing import SigningKey, VerifyKey

__all__ = [
    "EMPTY_ROOT",
    "HASH_SIZE",
    "TREE_HEAD_PREFIX",
    "CompactRange",
    "MerkleTree",
    "consistency_proof",
    "inclusion_proof",
    "inclusion_proofs",
    "leaf_hash",
    "node_hash",
    "root_hash",
    "sign_tree_head",
    "tree_head_message",
    "verify_consistency",
    "verify_inclusion",
    "verify_tree_head",
]

HASH_SIZE = 32
EMPTY_ROOT = hashlib.sha256(b"").digest()
TREE_HEAD_PREFIX = b"safelight-tree-head/v1\n"

_LEAF_PREFIX = b"\x00"
_NODE_PREFIX = b"\x01"
_MAX_SIZE = (1 << 64) - 1
_CHECK_SIZE = 8
_sha256 = hashlib.sha256


def leaf_hash(data: bytes) -> bytes:
    """``SHA-256(0x00 || data)``: the hash of one leaf input."""
    return _sha256(_LEAF_PREFIX + as_bytes(data, "leaf input")).digest()


def node_hash(left: bytes, right: bytes) -> bytes:
    """``SHA-256(0x01 || left || right)``: the hash of an interior node."""
    return _sha256(_NODE_PREFIX + _hash(left, "left hash") + _hash(right, "right hash")).digest()


def root_hash(leaf_hashes: Iterable[bytes]) -> bytes:
    """The Merkle Tree Hash of the given leaf hashes (O(n) time, O(log n) memory)."""
    return CompactRange.from_leaf_hashes(leaf_hashes).root()


def inclusion_proof(index: int, leaf_hashes: Sequence[bytes]) -> list[bytes]:
    """The audit path of leaf ``index`` in the tree of ``leaf_hashes`` (RFC 9162 2.1.3.1)."""
    return MerkleTree(leaf_hashes).inclusion_proof(index)


def inclusion_proofs(indices: Iterable[int], leaf_hashes: Sequence[bytes]) -> list[list[bytes]]:
    """One audit path per index, in order: the tree is built once, each path costs O(log n)."""
    tree = MerkleTree(leaf_hashes)
    return [tree.inclusion_proof(index) for index in indices]


def consistency_proof(old_size: int, leaf_hashes: Sequence[bytes]) -> list[bytes]:
    """The proof that the first ``old_size`` leaves are a prefix of ``leaf_hashes``
    (RFC 9162 2.1.4.1; empty when ``old_size`` is 0 or the whole tree)."""
    return MerkleTree(leaf_hashes).consistency_proof(old_size)


class MerkleTree:
    """Every level of a tree, built once in O(n); proofs from it cost O(log n) each.

    Level 0 holds the leaf hashes; each level above pairs neighbours and carries an unpaired
    last node up unchanged, which gives exactly RFC 9162's left-heavy tree.  Each level is one
    ``bytes`` object of 32-byte hashes, about 64 bytes per leaf in all.
    """

    __slots__ = ("_levels", "size")

    def __init__(self, leaf_hashes: Sequence[bytes]) -> None:
        level = b"".join(_hash(h, f"leaf hash {i}") for i, h in enumerate(leaf_hashes))
        self.size = len(level) // HASH_SIZE
        self._levels = [level]
        while len(level) > HASH_SIZE:
            level = _next_level(level)
            self._levels.append(level)

    def root(self) -> bytes:
        return self._levels[-1] if self.size else EMPTY_ROOT

    def leaf(self, index: int) -> bytes:
        return self._node(0, _index(index, self.size, "leaf index"))

    def inclusion_proof(self, index: int) -> list[bytes]:
        """The audit path of leaf ``index``, bottom up (RFC 9162 2.1.3.1)."""
        index = _index(index, self.size, "leaf index")
        proof = []
        for level in range(len(self._levels) - 1):
            sibling = index ^ 1
            if sibling * HASH_SIZE < len(self._levels[level]):
                proof.append(self._node(level, sibling))
            index >>= 1
        return proof

    def consistency_proof(self, old_size: int) -> list[bytes]:
        """RFC 9162 2.1.4.1 PROOF(old_size, D[size]): SUBPROOF unrolled into a loop."""
        old_size = _size(old_size, "old size")
        if old_size > self.size:
            raise InvalidInput(f"old size {old_size} is larger than the tree ({self.size})")
        if old_size in (0, self.size):
            return []
        outer: list[bytes] = []  # the hashes SUBPROOF appends on the way down, top first
        start, end, old, whole = 0, self.size, old_size, True
        while old != end - start:
            split = _split(end - start)
            if old <= split:
                outer.append(self._subtree(start + split, end))
                end = start + split
            else:
                outer.append(self._subtree(start, start + split))
                start, old, whole = start + split, old - split, False
        inner = [] if whole else [self._subtree(start, end)]
        return inner + outer[::-1]

    def _node(self, level: int, index: int) -> bytes:
        offset = index * HASH_SIZE
        return self._levels[level][offset:offset + HASH_SIZE]

    def _subtree(self, start: int, end: int) -> bytes:
        """MTH(D[start:end]) for a subtree of the RFC's recursion: ``start`` is a multiple of
        the smallest power of two >= ``end - start``, and ``end`` is that far on or the tree's
        end, so it is one node of the levels."""
        level = (end - start - 1).bit_length()
        return self._node(level, start >> level)


def verify_inclusion(
    leaf_hash: bytes, index: int, tree_size: int, proof: Sequence[bytes], root_hash: bytes
) -> None:
    """Return None if ``proof`` shows leaf ``index`` of a tree of ``tree_size`` leaves with root
    ``root_hash`` is ``leaf_hash`` (RFC 9162 2.1.3.2); else raise InvalidProof."""
    leaf = _hash(leaf_hash, "leaf hash")
    root = _hash(root_hash, "root hash")
    index, tree_size = _size(index, "leaf index"), _size(tree_size, "tree size")
    path = _path(proof, "inclusion proof")
    if index >= tree_size:
        raise InvalidProof(f"leaf index {index} is outside a tree of {tree_size} leaves")
    fn, sn, r = index, tree_size - 1, leaf
    for p in path:
        if sn == 0:
            raise InvalidProof(
                f"inclusion proof has more hashes ({len(path)}) than leaf {index} of a tree of "
                f"{tree_size} leaves needs")
        if fn & 1 or fn == sn:
            r = _node(p, r)
            while not fn & 1 and fn:
                fn, sn = fn >> 1, sn >> 1
        else:
            r = _node(r, p)
        fn, sn = fn >> 1, sn >> 1
    if sn != 0:
        raise InvalidProof(
            f"inclusion proof has fewer hashes ({len(path)}) than leaf {index} of a tree of "
            f"{tree_size} leaves needs")
    if not hmac.compare_digest(r, root):
        raise InvalidProof(f"inclusion proof of leaf {index} does not lead to the root hash")


def verify_consistency(
    old_size: int, new_size: int, old_root: bytes, new_root: bytes, proof: Sequence[bytes]
) -> None:
    """Return None if ``proof`` shows the tree of ``old_size`` leaves with root ``old_root`` is
    a prefix of the tree of ``new_size`` leaves with root ``new_root`` (RFC 9162 2.1.4.2, plus
    the cases it leaves out: an empty old tree, and equal sizes); else raise InvalidProof."""
    old_size, new_size = _size(old_size, "old size"), _size(new_size, "new size")
    first, second = _hash(old_root, "old root"), _hash(new_root, "new root")
    path = _path(proof, "consistency proof")
    if old_size > new_size:
        raise InvalidProof(f"old size {old_size} is larger than new size {new_size}")
    if old_size in (0, new_size):
        if path:
            raise InvalidProof(
                f"consistency proof from {old_size} to {new_size} leaves must be empty")
        if old_size == 0 and not hmac.compare_digest(first, EMPTY_ROOT):
            raise InvalidProof("old root is not the root of the empty tree")
        if old_size and not hmac.compare_digest(first, second):
            raise InvalidProof(f"old and new roots differ for the same size {old_size}")
        return
    if not path:
        raise InvalidProof(f"consistency proof from {old_size} to {new_size} leaves is empty")
    if old_size & (old_size - 1) == 0:
        path = [first, *path]
    fn, sn = old_size - 1, new_size - 1
    while fn & 1:
        fn, sn = fn >> 1, sn >> 1
    fr = sr = path[0]
    for c in path[1:]:
        if sn == 0:
            raise InvalidProof(
                f"consistency proof from {old_size} to {new_size} leaves has too many hashes")
        if fn & 1 or fn == sn:
            fr, sr = _node(c, fr), _node(c, sr)
            while not fn & 1 and fn:
                fn, sn = fn >> 1, sn >> 1
        else:
            sr = _node(sr, c)
        fn, sn = fn >> 1, sn >> 1
    if sn != 0:
        raise InvalidProof(
            f"consistency proof from {old_size} to {new_size} leaves has too few hashes")
    if not hmac.compare_digest(fr, first):
        raise InvalidProof("consistency proof does not lead to the old root")
    if not hmac.compare_digest(sr, second):
        raise InvalidProof("consistency proof does not lead to the new root")


class CompactRange:
    """The roots of the perfect subtrees that make up a tree of ``size`` leaves, largest first
    (one per set bit of ``size``): enough to append and to compute the root, in O(log n) space.

    ``to_bytes()`` gives ``0x91 || size (8, BE) || hashes || check``, where check is the first
    8 bytes of SHA-256 of everything before it (it catches a damaged or truncated row; it is not
    a signature).  ``from_bytes()`` refuses anything else.
    """

    __slots__ = ("_hashes", "_size")

    def __init__(self) -> None:
        self._size = 0
        self._hashes: list[bytes] = []

    @classmethod
    def from_leaf_hashes(cls, leaf_hashes: Iterable[bytes]) -> CompactRange:
        compact = cls()
        compact.extend(leaf_hashes)
        return compact

    @property
    def size(self) -> int:
        return self._size

    @property
    def hashes(self) -> tuple[bytes, ...]:
        return tuple(self._hashes)

    def append(self, leaf_hash: bytes) -> None:
        """Add one leaf hash: O(log n) in the worst case, O(1) on average."""
        node = _hash(leaf_hash, "leaf hash")
        if self._size == _MAX_SIZE:
            raise InvalidInput("the tree already holds 2**64 - 1 leaves")
        size = self._size
        while size & 1:
            node = _node(self._hashes.pop(), node)
            size >>= 1
        self._hashes.append(node)
        self._size += 1

    def extend(self, leaf_hashes: Iterable[bytes]) -> None:
        for leaf in leaf_hashes:
            self.append(leaf)

    def root(self) -> bytes:
        """The Merkle Tree Hash of the leaves appended so far."""
        if not self._hashes:
            return EMPTY_ROOT
        root = self._hashes[-1]
        for node in reversed(self._hashes[:-1]):
            root = _node(node, root)
        return root

    def to_bytes(self) -> bytes:
        body = bytes([MERKLE_COMPACT_RANGE]) + self._size.to_bytes(8, "big") + b"".join(
            self._hashes)
        return body + _sha256(body).digest()[:_CHECK_SIZE]

    @classmethod
    def from_bytes(cls, data: bytes) -> CompactRange:
        expect_format(data, MERKLE_COMPACT_RANGE)
        blob = as_bytes(data, "compact range")
        if len(blob) < 1 + 8 + _CHECK_SIZE:
            raise InvalidInput(f"compact range is truncated ({len(blob)} bytes)")
        size = int.from_bytes(blob[1:9], "big")
        expected = 1 + 8 + HASH_SIZE * size.bit_count() + _CHECK_SIZE
        if len(blob) != expected:
            raise InvalidInput(
                f"compact range of {size} leaves must be {expected} bytes, got {len(blob)}")
        body, check = blob[:-_CHECK_SIZE], blob[-_CHECK_SIZE:]
        if not hmac.compare_digest(_sha256(body).digest()[:_CHECK_SIZE], check):
            raise InvalidInput("compact range is damaged: its check bytes do not match")
        compact = cls()
        compact._size = size
        compact._hashes = [body[i:i + HASH_SIZE] for i in range(9, len(body), HASH_SIZE)]
        return compact

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, CompactRange):
            return NotImplemented
        return self._size == other._size and self._hashes == other._hashes

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return f"CompactRange(size={self._size})"


def tree_head_message(log_id: bytes, tree_size: int, timestamp_ms: int, root_hash: bytes) -> bytes:
    """The bytes a tree head signature covers::

        b"safelight-tree-head/v1\\n" || len(log_id) (2, BE) || log_id
            || tree_size (8, BE) || timestamp_ms (8, BE) || root_hash (32)
    """
    log = as_bytes(log_id, "log id")
    if not 0 < len(log) <= 0xFFFF:
        raise InvalidInput(f"log id must be 1 to 65535 bytes, got {len(log)}")
    size = _size(tree_size, "tree size").to_bytes(8, "big")
    timestamp = _size(timestamp_ms, "timestamp").to_bytes(8, "big")
    root = _hash(root_hash, "root hash")
    return TREE_HEAD_PREFIX + len(log).to_bytes(2, "big") + log + size + timestamp + root


def sign_tree_head(
    signing_key: SigningKey, log_id: bytes, tree_size: int, timestamp_ms: int, root_hash: bytes
) -> bytes:
    """``0x61 || Ed25519 signature`` of ``tree_head_message(...)``."""
    if not isinstance(signing_key, SigningKey):
        raise InvalidInput(f"signing key must be a SigningKey, not {type(signing_key).__name__}")
    return signing_key.sign(tree_head_message(log_id, tree_size, timestamp_ms, root_hash))


def verify_tree_head(
    verify_key: VerifyKey,
    log_id: bytes,
    tree_size: int,
    timestamp_ms: int,
    root_hash: bytes,
    signature: bytes,
) -> None:
    """Return None if ``signature`` (a 0x61 blob) signs this tree head; else raise
    InvalidSignature (UnsupportedFormat if it is not a signature at all)."""
    if not isinstance(verify_key, VerifyKey):
        raise InvalidInput(f"verify key must be a VerifyKey, not {type(verify_key).__name__}")
    verify_key.verify(tree_head_message(log_id, tree_size, timestamp_ms, root_hash), signature)


def _node(left: bytes, right: bytes) -> bytes:
    return _sha256(_NODE_PREFIX + left + right).digest()


def _next_level(level: bytes) -> bytes:
    pairs = len(level) // (2 * HASH_SIZE) * 2 * HASH_SIZE
    nodes = [_sha256(_NODE_PREFIX + level[i:i + 2 * HASH_SIZE]).digest()
             for i in range(0, pairs, 2 * HASH_SIZE)]
    nodes.append(level[pairs:])  # the unpaired last node, carried up (or b"")
    return b"".join(nodes)


def _split(size: int) -> int:
    """The largest power of two smaller than ``size`` (``size`` >= 2)."""
    return 1 << ((size - 1).bit_length() - 1)


def _hash(value: object, what: str) -> bytes:
    raw = as_bytes(value, what)
    if len(raw) != HASH_SIZE:
        raise InvalidInput(f"{what} must be {HASH_SIZE} bytes, got {len(raw)}")
    return raw


def _size(value: object, what: str) -> int:
    if not isinstance(value, int) or isinstance(value, bool):
        raise InvalidInput(f"{what} must be an int, not {type(value).__name__}")
    if not 0 <= value <= _MAX_SIZE:
        raise InvalidInput(f"{what} must be between 0 and 2**64 - 1, got {value}")
    return value


def _index(value: object, size: int, what: str) -> int:
    index = _size(value, what)
    if index >= size:
        raise InvalidInput(f"{what} {index} is outside a tree of {size} leaves")
    return index


def _path(proof: object, what: str) -> list[bytes]:
    if isinstance(proof, bytes | bytearray | memoryview | str) or not isinstance(
            proof, Sequence):
        raise InvalidInput(f"{what} must be a sequence of hashes, not {type(proof).__name__}")
    path = []
    for number, element in enumerate(proof):
        raw = element if type(element) is bytes else as_bytes(element, f"{what} hash {number}")
        if len(raw) != HASH_SIZE:
            raise InvalidProof(f"{what} hash {number} is {len(raw)} bytes, not {HASH_SIZE}")
        path.append(raw)
    return path
