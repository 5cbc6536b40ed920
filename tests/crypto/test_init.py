"""The package's public surface."""

from __future__ import annotations

import safelight.crypto as crypto


def test_it_exports_exactly_what_all_names() -> None:
    assert len(crypto.__all__) == len(set(crypto.__all__))
    for name in crypto.__all__:
        assert hasattr(crypto, name), name
    public = {name for name in vars(crypto) if not name.startswith("_")}
    assert public - set(crypto.__all__) <= {
        "annotations", "argon2", "context", "errors", "inputs",
    }


def test_it_says_it_is_the_only_place_touching_libsodium() -> None:
    assert crypto.__doc__ is not None
    assert "only place in Safelight that touches libsodium" in crypto.__doc__


def test_it_reexports_the_contract_names() -> None:
    for name in (
        "generate_key", "seal_field", "open_field", "KeyPair", "PublicKey", "PrivateKey",
        "seal_to", "open_sealed", "Argon2Params", "DEFAULT_ARGON2", "wrap_private_key",
        "unwrap_private_key", "wrapped_params", "needs_rewrap", "rewrap_private_key",
        "wrap_for_recovery", "unwrap_recovery", "generate_receipt", "normalize_receipt",
        "format_receipt", "ReceiptKeys", "derive_receipt_keys", "RECEIPT_ARGON2",
        "receipts_equal", "lookup_ids_equal", "StreamEncryptor", "StreamDecryptor",
        "encrypt_file", "decrypt_file", "iter_decrypt", "Share", "Reconstruction",
        "split_secret", "reconstruct_secret", "interpolate_at", "SigningKey", "VerifyKey",
    ):
        assert name in crypto.__all__, name
    for name in ("derive_key_pair", "generate_key", "blind", "blind_evaluate", "finalize",
                 "split_key", "combine_evaluations", "evaluate"):
        assert callable(getattr(crypto.oprf, name)), name
