"""The exception hierarchy callers catch."""

from __future__ import annotations

from safelight.crypto import errors


def test_it_roots_every_exception_in_crypto_error() -> None:
    for name in errors.__all__:
        assert issubclass(getattr(errors, name), errors.CryptoError)


def test_it_makes_truncation_a_decryption_error_and_bad_input_a_value_error() -> None:
    assert issubclass(errors.TruncatedStream, errors.DecryptionError)
    assert issubclass(errors.InvalidInput, ValueError)
    assert not issubclass(errors.DecryptionError, ValueError)
    assert not issubclass(errors.UnsupportedFormat, errors.DecryptionError)
