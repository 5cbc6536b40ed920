"""safelight.crypto: the cryptographic core of Safelight.

This package is the only place in Safelight that touches libsodium (through pysodium, and only
in ``safelight.crypto._sodium``).  It offers safe recipes - field encryption, sealed boxes,
password- and recovery-wrapped keys, reporter receipts, file streams, signatures, an RFC 9497
OPRF with a split key, and robust Shamir sharing - and hides the primitives beneath them.

Every failure raises a subclass of ``CryptoError``; every output starts with one format byte
(see ``formats`` and docs/crypto.md).  It imports nothing from Django.

The OPRF functions have generic names (``blind``, ``finalize``, ...) and a ``generate_key`` of
their own, so they are used through their module: ``from safelight.crypto import oprf``.
The RFC 9162 Merkle tree functions of the custody log are used the same way, through
``merkle`` (its ``CompactRange`` is also exported here).
``generate_key`` here is the 32-byte data key of ``fields`` and ``streams``.
"""

from __future__ import annotations

from . import (
    escrow,
    fields,
    formats,
    keys,
    merkle,
    oprf,
    passphrases,
    receipts,
    shamir,
    signing,
    streams,
)
from .argon2 import DEFAULT_ARGON2, Argon2Params
from .errors import (
    CryptoError,
    DecryptionError,
    InvalidInput,
    InvalidPassphrase,
    InvalidProof,
    InvalidReceipt,
    InvalidSignature,
    ReconstructionError,
    TruncatedStream,
    UnsupportedFormat,
)
from .fields import generate_key, open_field, seal_field
from .keys import (
    KeyPair,
    PrivateKey,
    PublicKey,
    needs_rewrap,
    open_sealed,
    rewrap_private_key,
    seal_to,
    unwrap_private_key,
    unwrap_recovery,
    wrap_for_recovery,
    wrap_private_key,
    wrapped_params,
)
from .merkle import CompactRange
from .receipts import (
    RECEIPT_ARGON2,
    ReceiptKeys,
    derive_receipt_keys,
    format_receipt,
    generate_receipt,
    lookup_ids_equal,
    normalize_receipt,
    receipts_equal,
)
from .shamir import Reconstruction, Share, interpolate_at, reconstruct_secret, split_secret
from .signing import SigningKey, VerifyKey
from .streams import (
    DEFAULT_CHUNK_SIZE,
    StreamDecryptor,
    StreamEncryptor,
    decrypt_file,
    encrypt_file,
    iter_decrypt,
)

__all__ = [
    "DEFAULT_ARGON2",
    "DEFAULT_CHUNK_SIZE",
    "RECEIPT_ARGON2",
    "Argon2Params",
    "CompactRange",
    "CryptoError",
    "DecryptionError",
    "InvalidInput",
    "InvalidPassphrase",
    "InvalidProof",
    "InvalidReceipt",
    "InvalidSignature",
    "KeyPair",
    "PrivateKey",
    "PublicKey",
    "ReceiptKeys",
    "Reconstruction",
    "ReconstructionError",
    "Share",
    "SigningKey",
    "StreamDecryptor",
    "StreamEncryptor",
    "TruncatedStream",
    "UnsupportedFormat",
    "VerifyKey",
    "decrypt_file",
    "derive_receipt_keys",
    "encrypt_file",
    "escrow",
    "fields",
    "format_receipt",
    "formats",
    "generate_key",
    "generate_receipt",
    "interpolate_at",
    "iter_decrypt",
    "keys",
    "lookup_ids_equal",
    "merkle",
    "needs_rewrap",
    "normalize_receipt",
    "open_field",
    "open_sealed",
    "oprf",
    "passphrases",
    "receipts",
    "receipts_equal",
    "reconstruct_secret",
    "rewrap_private_key",
    "seal_field",
    "seal_to",
    "shamir",
    "signing",
    "split_secret",
    "streams",
    "unwrap_private_key",
    "unwrap_recovery",
    "wrap_for_recovery",
    "wrap_private_key",
    "wrapped_params",
]
