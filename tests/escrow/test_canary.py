"""Threat: a copy of the database (and the files, cache and logs) reveals no identifier, no hash
of one, no OPRF output and no share in clear - only π, the match index, which is derived through
both key services and cannot be turned back into a person (docs/escrow.md)."""

import hashlib
import logging
import uuid
from pathlib import Path

import pytest

from safelight.crypto import escrow, unwrap_private_key
from safelight.crypto.shamir import PRIME
from safelight.escrow.actions import open_match
from safelight.escrow.models import EscrowEntry, EscrowMatch
from safelight.reports.models import Status
from tests.conftest import PASSWORD
from tests.escrow.helpers import expected_output, held_report, offer_together
from tests.intake.conftest import ben, channel, hana, questionnaire  # noqa: F401
from tests.intake.test_canary import base64_forms, database_image, encodings, folder_bytes


def byte_forms(raw: bytes) -> dict[str, bytes]:
    return {"raw": raw, "hex": raw.hex().encode(), "HEX": raw.hex().upper().encode(),
            **base64_forms(raw)}


def int_forms(value: int) -> dict[str, bytes]:
    forms = {}
    for size in (32, 33):
        if value < 256**size:
            for order in ("big", "little"):
                for name, form in byte_forms(value.to_bytes(size, order)).items():
                    forms[f"{size}{order}-{name}"] = form
    forms["decimal"] = str(value).encode()
    return forms


@pytest.mark.django_db(transaction=True)
def test_a_copy_of_everything_holds_no_identifier_hash_output_or_share(
    channel, organisation, key_services, caplog, capfd, settings, tmp_path  # noqa: F811
):
    settings.MEDIA_ROOT = tmp_path / "files"
    caplog.set_level(logging.DEBUG)
    carla = offer_together(organisation)
    handle = f"canary.{uuid.uuid4().hex[:12]}"
    first, _ = held_report(channel, [("instagram", f"https://www.instagram.com/{handle}/?igshid=x")])
    second, _ = held_report(channel, [("instagram", f"@{handle}")])
    match = EscrowMatch.objects.get()
    opening = open_match(match=match, counsellor=carla,
                         private_key=unwrap_private_key(bytes(carla.wrapped_private_key),
                                                        PASSWORD))
    assert {r.pk for r in opening.released} == {first.pk, second.pk}
    first.refresh_from_db()
    assert first.status == Status.NEW

    canonical = f"instagram:{handle}"
    output = expected_output(key_services, organisation, canonical)
    keys = escrow.derive_entry_keys(output)
    oprf_input = escrow.oprf_input(str(organisation.pk), canonical)
    secrets_ = {}
    for label, text in (("identifier", handle), ("canonical", canonical)):
        for name, form in encodings(text).items():
            secrets_[f"{label} {name}"] = form
    for label, raw in (
        ("OPRF output", output),
        ("key k", keys.key),
        ("OPRF input", oprf_input),
        *((f"{h} of the {what}", getattr(hashlib, h)(data).digest())
          for h in ("sha256", "sha512", "sha1", "md5", "blake2b")
          for what, data in (("identifier", handle.encode()), ("canonical", canonical.encode()),
                             ("OPRF input", oprf_input))),
    ):
        for name, form in byte_forms(raw).items():
            secrets_[f"{label} {name}"] = form
    for name, form in int_forms(keys.slope).items():
        secrets_[f"slope a {name}"] = form
    for report in (first, second):
        x = escrow.reporter_point(str(report.pk))
        y = (keys.slope * x + int.from_bytes(keys.key, "big")) % PRIME
        for label, value in (("U", x), ("s", y)):
            for name, form in int_forms(value).items():
                secrets_[f"{label} {name}"] = form

    captured = capfd.readouterr()
    places = [("database", database_image())]
    places += [(str(p), data) for p, data in folder_bytes(Path(settings.MEDIA_ROOT))]
    places += [(str(p), data) for p, data in
               folder_bytes(Path(settings.SAFELIGHT_DATA_DIR) / "cache")]
    places += [("logs", caplog.text.encode()), ("stdout", captured.out.encode()),
               ("stderr", captured.err.encode())]
    # The check can see: the match index is stored, in clear, as designed.
    assert EscrowEntry.objects.filter(match_index=keys.match_index).count() == 2
    # (pg_dump writes bytea as hex; SQLite's image holds the bytes.)
    assert any(form in places[0][1] for form in (keys.match_index, keys.match_index.hex().encode()))
    for place, data in places:
        for name, form in secrets_.items():
            assert form not in data, f"{name} rests in clear in {place}"
