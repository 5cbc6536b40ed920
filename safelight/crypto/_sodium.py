"""The libsodium boundary: the only module of Safelight that imports pysodium.

Everything above this module sees plain ``bytes`` and the exceptions of ``errors``; pysodium's
``ValueError``s are translated here.  Most calls go through pysodium's functions.  The bulk
paths (XChaCha20-Poly1305 of large fields, secretstream chunks) call the same libsodium through
ctypes prototypes of our own, so that ciphertext is written straight after its header into
one buffer and input is read at an offset, instead of being sliced and concatenated: at
64 MiB every extra copy costs about as much as the cipher.  These prototypes are separate
objects, so pysodium's own bindings are left untouched.  Every length libsodium relies on is
checked here before the call.
"""

from __future__ import annotations

import ctypes
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Protocol

# pysodium ships no type information.  The Protocol below describes the part of it this module
# calls, and ``pysodium`` is bound to it once, so nothing of type Any reaches the code above.
import pysodium as _untyped_pysodium  # type: ignore[import-untyped]

from .errors import CryptoError, DecryptionError, InvalidInput, InvalidSignature

KEY_BYTES = 32
XNONCE_BYTES = 24
AEAD_TAG_BYTES = 16
SEAL_OVERHEAD = 48
X25519_BYTES = 32
SIGN_SEED_BYTES = 32
SIGN_PUBLIC_BYTES = 32
SIGNATURE_BYTES = 64
STREAM_HEADER_BYTES = 24
STREAM_OVERHEAD = 17
STREAM_TAG_MESSAGE = 0
STREAM_TAG_FINAL = 3
RISTRETTO_BYTES = 32
SCALAR_BYTES = 32
PWHASH_SALT_BYTES = 16
PWHASH_OPSLIMIT_MIN = 1
PWHASH_MEMLIMIT_MIN = 8192
GENERICHASH_KEY_MAX = 64


class _Pysodium(Protocol):
    """The functions and values of pysodium that this module uses, with their types."""

    sodium: ctypes.CDLL
    crypto_pwhash_ALG_ARGON2ID13: int

    def randombytes(self, size: int, /) -> bytes: ...
    def crypto_box_keypair(self) -> tuple[bytes, bytes]: ...
    def crypto_scalarmult_base(self, n: bytes, /) -> bytes: ...
    def crypto_box_seal(self, msg: bytes, pk: bytes, /) -> bytes: ...
    def crypto_box_seal_open(self, c: bytes, pk: bytes, sk: bytes, /) -> bytes: ...
    def crypto_pwhash(
        self, outlen: int, passwd: bytes, salt: bytes, opslimit: int, memlimit: int, alg: int, /
    ) -> bytes: ...
    def crypto_generichash(self, m: bytes, k: bytes, outlen: int, /) -> bytes: ...
    def crypto_sign_seed_keypair(self, seed: bytes, /) -> tuple[bytes, bytes]: ...
    def crypto_sign_detached(self, m: bytes, sk: bytes, /) -> bytes: ...
    def crypto_sign_verify_detached(self, sig: bytes, msg: bytes, pk: bytes, /) -> None: ...
    def crypto_core_ristretto255_is_valid_point(self, p: bytes, /) -> bool: ...
    def crypto_core_ristretto255_from_hash(self, r: bytes, /) -> bytes: ...
    def crypto_scalarmult_ristretto255(self, n: bytes, p: bytes, /) -> bytes: ...
    def crypto_scalarmult_ristretto255_base(self, n: bytes, /) -> bytes: ...
    def crypto_core_ristretto255_add(self, p: bytes, q: bytes, /) -> bytes: ...
    def crypto_core_ristretto255_scalar_reduce(self, s: bytes, /) -> bytes: ...
    def crypto_core_ristretto255_scalar_invert(self, p: bytes, /) -> bytes: ...
    def crypto_core_ristretto255_scalar_random(self) -> bytes: ...
    def crypto_core_ristretto255_scalar_sub(self, x: bytes, y: bytes, /) -> bytes: ...


pysodium: _Pysodium = _untyped_pysodium

_u64 = ctypes.c_ulonglong
_ptr = ctypes.c_void_p

Buffer = ctypes.Array[ctypes.c_char]
# The C types of the prototypes' arguments.
_CType = type[ctypes.c_void_p | ctypes.c_ulonglong | ctypes.c_char_p | ctypes.c_ubyte
              | ctypes.c_size_t]


def _bind(
    name: str, *argtypes: _CType, restype: type[ctypes.c_int | ctypes.c_size_t] = ctypes.c_int
) -> Callable[..., int]:
    """A ctypes prototype of a libsodium function that returns an integer, separate from
    pysodium's own."""
    prototype = ctypes.CFUNCTYPE(restype, *argtypes)
    return prototype((name, pysodium.sodium))


# Asked of the library, not assumed: a state buffer smaller than libsodium's struct would be
# written past its end.
_STATE_BYTES = _bind(
    "crypto_secretstream_xchacha20poly1305_statebytes", restype=ctypes.c_size_t
)()


_aead_encrypt = _bind(
    "crypto_aead_xchacha20poly1305_ietf_encrypt",
    _ptr, _ptr, _ptr, _u64, _ptr, _u64, _ptr, ctypes.c_char_p, ctypes.c_char_p,
)
_aead_decrypt = _bind(
    "crypto_aead_xchacha20poly1305_ietf_decrypt",
    _ptr, _ptr, _ptr, _ptr, _u64, _ptr, _u64, ctypes.c_char_p, ctypes.c_char_p,
)
_stream_init_push = _bind(
    "crypto_secretstream_xchacha20poly1305_init_push", _ptr, _ptr, ctypes.c_char_p
)
_stream_init_pull = _bind(
    "crypto_secretstream_xchacha20poly1305_init_pull", _ptr, ctypes.c_char_p, ctypes.c_char_p
)
_stream_push = _bind(
    "crypto_secretstream_xchacha20poly1305_push",
    _ptr, _ptr, _ptr, _ptr, _u64, _ptr, _u64, ctypes.c_ubyte,
)
_stream_pull = _bind(
    "crypto_secretstream_xchacha20poly1305_pull",
    _ptr, _ptr, _ptr, _ptr, _ptr, _u64, _ptr, _u64,
)
_memzero: Callable[[Buffer, int], None] = ctypes.CFUNCTYPE(None, _ptr, ctypes.c_size_t)(
    ("sodium_memzero", pysodium.sodium)
)


@contextmanager
def _translate(error: type[CryptoError], message: str) -> Iterator[None]:
    """Turn pysodium's ValueError into one of our exceptions."""
    try:
        yield
    except ValueError as exc:
        raise error(message) from exc


def _check(rc: int, error: type[CryptoError], message: str) -> None:
    if rc != 0:
        raise error(message)


def _require(value: bytes, length: int, what: str) -> None:
    if not isinstance(value, bytes) or len(value) != length:
        raise InvalidInput(f"{what} must be {length} bytes")


def _address(data: bytes | bytearray, offset: int) -> _ptr:
    """Pointer to ``data[offset:]`` without copying.  ``data`` must stay referenced, and a
    bytearray must not be resized, until the call that uses the pointer returns."""
    if isinstance(data, bytearray):
        base = ctypes.addressof((ctypes.c_char * len(data)).from_buffer(data))
    else:
        base = ctypes.cast(ctypes.c_char_p(data), _ptr).value or 0
    return _ptr(base + offset)


def _writable(out: Buffer | bytearray) -> Buffer:
    """A ctypes view of ``out`` (a bytearray is viewed in place, not copied)."""
    if isinstance(out, bytearray):
        return (ctypes.c_char * len(out)).from_buffer(out)
    return out


def new_buffer(size: int, prefix: bytes = b"") -> Buffer:
    """A writable buffer of ``size`` bytes: ``prefix``, then zeros.  ``bytes(buffer)`` or
    ``buffer.raw`` gives its contents."""
    if len(prefix) > size:
        raise InvalidInput("prefix does not fit the buffer")
    out = ctypes.create_string_buffer(size)
    ctypes.memmove(out, prefix, len(prefix))
    return out


def wipe(buffer: Buffer) -> None:
    """Overwrite a buffer with zeros (best effort: Python may hold other copies)."""
    _memzero(buffer, len(buffer))


def random_bytes(size: int) -> bytes:
    return pysodium.randombytes(size)


# --- XChaCha20-Poly1305-IETF -------------------------------------------------------------


def aead_encrypt(prefix: bytes, message: bytes, ad: bytes, nonce: bytes, key: bytes) -> bytes:
    """Return ``prefix || XChaCha20-Poly1305(key, nonce, message, ad)`` built in one buffer."""
    _require(nonce, XNONCE_BYTES, "nonce")
    _require(key, KEY_BYTES, "key")
    size = len(message)
    out = new_buffer(len(prefix) + size + AEAD_TAG_BYTES, prefix)
    rc = _aead_encrypt(
        ctypes.byref(out, len(prefix)), None, message, size, ad, len(ad), None, nonce, key
    )
    _check(rc, CryptoError, "encryption failed")
    return out.raw


def aead_decrypt(blob: bytes, offset: int, ad: bytes, nonce: bytes, key: bytes) -> bytes:
    """Decrypt ``blob[offset:]`` (ciphertext and tag) without slicing it first."""
    _require(nonce, XNONCE_BYTES, "nonce")
    _require(key, KEY_BYTES, "key")
    size = len(blob) - offset
    if size < AEAD_TAG_BYTES:
        raise DecryptionError("ciphertext is too short")
    out = new_buffer(size - AEAD_TAG_BYTES)
    rc = _aead_decrypt(out, None, None, _address(blob, offset), size, ad, len(ad), nonce, key)
    _check(rc, DecryptionError, "decryption failed: wrong key, wrong context or tampered data")
    return out.raw


# --- secretstream XChaCha20-Poly1305 -----------------------------------------------------


class PushStream:
    """Encrypting secretstream state; chunks are written into caller-provided buffers."""

    __slots__ = ("_state", "header")

    def __init__(self, key: bytes) -> None:
        _require(key, KEY_BYTES, "key")
        self._state = new_buffer(_STATE_BYTES)
        header = new_buffer(STREAM_HEADER_BYTES)
        _check(_stream_init_push(self._state, header, key), CryptoError, "stream init failed")
        self.header: bytes = header.raw

    def push_into(
        self,
        out: Buffer | bytearray,
        out_offset: int,
        data: bytes | bytearray,
        offset: int,
        size: int,
        ad: bytes,
        final: bool,
    ) -> None:
        """Encrypt ``data[offset:offset+size]`` into ``out`` at ``out_offset``."""
        if offset < 0 or size < 0 or offset + size > len(data):
            raise InvalidInput("chunk outside its input")
        if out_offset < 0 or out_offset + size + STREAM_OVERHEAD > len(out):
            raise InvalidInput("chunk does not fit its output buffer")
        tag = STREAM_TAG_FINAL if final else STREAM_TAG_MESSAGE
        target = _writable(out)
        rc = _stream_push(
            self._state, ctypes.byref(target, out_offset), None,
            _address(data, offset), size, ad, len(ad), tag,
        )
        _check(rc, CryptoError, "stream encryption failed")

    def close(self) -> None:
        wipe(self._state)


class PullStream:
    """Decrypting secretstream state."""

    __slots__ = ("_state",)

    def __init__(self, header: bytes, key: bytes) -> None:
        _require(header, STREAM_HEADER_BYTES, "stream header")
        _require(key, KEY_BYTES, "key")
        self._state = new_buffer(_STATE_BYTES)
        rc = _stream_init_pull(self._state, header, key)
        _check(rc, DecryptionError, "invalid stream header")

    def pull_into(
        self,
        out: Buffer,
        out_offset: int,
        data: bytes | bytearray,
        offset: int,
        size: int,
        ad: bytes,
    ) -> int:
        """Authenticate and decrypt one chunk ``data[offset:offset+size]``; return its tag."""
        if size < STREAM_OVERHEAD or offset < 0 or offset + size > len(data):
            raise DecryptionError("stream chunk is too short")
        if out_offset < 0 or out_offset + size - STREAM_OVERHEAD > len(out):
            raise InvalidInput("chunk does not fit its output buffer")
        tag = ctypes.c_ubyte(0)
        rc = _stream_pull(
            self._state, ctypes.byref(out, out_offset), None, ctypes.byref(tag),
            _address(data, offset), size, ad, len(ad),
        )
        _check(rc, DecryptionError, "stream chunk failed authentication: wrong key, wrong "
               "context, or a tampered, reordered or truncated stream")
        return tag.value

    def close(self) -> None:
        wipe(self._state)


# --- X25519 sealed boxes -----------------------------------------------------------------


def box_keypair() -> tuple[bytes, bytes]:
    """Return (public key, private key), 32 bytes each."""
    return pysodium.crypto_box_keypair()


def x25519_base(private_key: bytes) -> bytes:
    _require(private_key, X25519_BYTES, "private key")
    with _translate(InvalidInput, "X25519 private key rejected"):
        return pysodium.crypto_scalarmult_base(private_key)


def box_seal(message: bytes, public_key: bytes) -> bytes:
    _require(public_key, X25519_BYTES, "public key")
    with _translate(InvalidInput, "X25519 public key rejected"):
        return pysodium.crypto_box_seal(message, public_key)


def box_seal_open(sealed: bytes, public_key: bytes, private_key: bytes) -> bytes:
    _require(public_key, X25519_BYTES, "public key")
    _require(private_key, X25519_BYTES, "private key")
    if len(sealed) < SEAL_OVERHEAD:
        raise DecryptionError("sealed box is too short")
    with _translate(DecryptionError, "sealed box does not open: wrong key or tampered data"):
        return pysodium.crypto_box_seal_open(sealed, public_key, private_key)


# --- Argon2id and BLAKE2b ----------------------------------------------------------------


def argon2id(size: int, password: bytes, salt: bytes, opslimit: int, memlimit: int) -> bytes:
    _require(salt, PWHASH_SALT_BYTES, "salt")
    with _translate(CryptoError, "Argon2id failed (parameters out of range or out of memory)"):
        return pysodium.crypto_pwhash(
            size, password, salt, opslimit, memlimit, pysodium.crypto_pwhash_ALG_ARGON2ID13
        )


def blake2b(message: bytes, *, key: bytes, size: int) -> bytes:
    """Keyed BLAKE2b (libsodium generichash), ``size`` from 16 to 64 bytes."""
    if not 16 <= size <= 64:
        raise InvalidInput("BLAKE2b output must be 16 to 64 bytes")
    if not 16 <= len(key) <= GENERICHASH_KEY_MAX:
        raise InvalidInput("BLAKE2b key must be 16 to 64 bytes")
    return pysodium.crypto_generichash(message, key, size)


# --- Ed25519 -----------------------------------------------------------------------------


def sign_keypair_from_seed(seed: bytes) -> tuple[bytes, bytes]:
    """Return (32-byte verify key, 64-byte libsodium secret key) for a 32-byte seed."""
    _require(seed, SIGN_SEED_BYTES, "signing key seed")
    return pysodium.crypto_sign_seed_keypair(seed)


def sign_detached(message: bytes, secret_key: bytes) -> bytes:
    _require(secret_key, 64, "Ed25519 secret key")
    return pysodium.crypto_sign_detached(message, secret_key)


def verify_detached(signature: bytes, message: bytes, public_key: bytes) -> None:
    _require(public_key, SIGN_PUBLIC_BYTES, "verify key")
    with _translate(InvalidSignature, "signature does not verify"):
        pysodium.crypto_sign_verify_detached(signature, message, public_key)


# --- ristretto255 ------------------------------------------------------------------------


def ristretto_is_valid(point: bytes) -> bool:
    """True for a canonical encoding of a ristretto255 element (the identity included)."""
    if not isinstance(point, bytes) or len(point) != RISTRETTO_BYTES:
        return False
    return bool(pysodium.crypto_core_ristretto255_is_valid_point(point))


def ristretto_from_hash(uniform: bytes) -> bytes:
    _require(uniform, 64, "hash input")
    return pysodium.crypto_core_ristretto255_from_hash(uniform)


def ristretto_scalarmult(scalar: bytes, point: bytes) -> bytes:
    _require(scalar, SCALAR_BYTES, "scalar")
    _require(point, RISTRETTO_BYTES, "group element")
    with _translate(InvalidInput, "scalar multiplication gave the identity element"):
        return pysodium.crypto_scalarmult_ristretto255(scalar, point)


def ristretto_scalarmult_base(scalar: bytes) -> bytes:
    _require(scalar, SCALAR_BYTES, "scalar")
    with _translate(InvalidInput, "scalar is zero"):
        return pysodium.crypto_scalarmult_ristretto255_base(scalar)


def ristretto_add(p: bytes, q: bytes) -> bytes:
    _require(p, RISTRETTO_BYTES, "group element")
    _require(q, RISTRETTO_BYTES, "group element")
    with _translate(InvalidInput, "invalid group element"):
        return pysodium.crypto_core_ristretto255_add(p, q)


def scalar_reduce(wide: bytes) -> bytes:
    _require(wide, 64, "wide scalar")
    return pysodium.crypto_core_ristretto255_scalar_reduce(wide)


def scalar_invert(scalar: bytes) -> bytes:
    _require(scalar, SCALAR_BYTES, "scalar")
    with _translate(InvalidInput, "zero scalar has no inverse"):
        return pysodium.crypto_core_ristretto255_scalar_invert(scalar)


def scalar_random() -> bytes:
    """A uniformly random non-zero scalar (libsodium loops until non-zero)."""
    return pysodium.crypto_core_ristretto255_scalar_random()


def scalar_sub(x: bytes, y: bytes) -> bytes:
    _require(x, SCALAR_BYTES, "scalar")
    _require(y, SCALAR_BYTES, "scalar")
    return pysodium.crypto_core_ristretto255_scalar_sub(x, y)
