"""The escrow protocol: same person -> same π and a line whose intercept opens both entries."""

from __future__ import annotations

import os
from dataclasses import replace

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from safelight.crypto import InvalidInput, KeyPair, Share, UnsupportedFormat, escrow, seal_to
from safelight.crypto.formats import ESCROW_SHARE
from safelight.crypto.shamir import PRIME

COUNSELLOR = KeyPair.generate()
outputs = st.binary(min_size=64, max_size=64)
reporter_ids = st.uuids().map(str)


def held(output: bytes, reporter: str, data: bytes, entry_id: str | None = None):
    entry_id = entry_id or os.urandom(8).hex()
    sealed = escrow.seal_entry(oprf_output=output, reporter_id=reporter, entry_id=entry_id,
                               data=data, counsellor_keys=[COUNSELLOR.public_key])
    share = escrow.open_share(COUNSELLOR.private_key, sealed.sealed_shares[0])
    return sealed, escrow.HeldEntry(entry_id=entry_id, share=share,
                                    sealed_data=sealed.sealed_data)


def test_it_builds_the_oprf_input_from_namespace_and_identifier():
    assert escrow.oprf_input("17", "instagram:some.user") == (
        b"safelight-escrow/v1\n17\ninstagram:some.user"
    )
    expected = "safelight-escrow/v1\n7\ninternal:émile".encode()
    assert escrow.oprf_input("7", "internal:émile") == expected


@pytest.mark.parametrize("namespace, identifier", [("", "x:y"), ("1", ""), ("1\n2", "x:y"),
                                                   ("1", "x:\ny")])
def test_it_refuses_an_empty_or_multi_line_part(namespace, identifier):
    with pytest.raises(InvalidInput):
        escrow.oprf_input(namespace, identifier)


@given(outputs)
def test_it_derives_the_same_keys_from_the_same_output(output):
    first, second = escrow.derive_entry_keys(output), escrow.derive_entry_keys(output)
    assert first == second
    assert 1 <= first.slope < PRIME
    assert len(first.key) == 32 and len(first.match_index) == 32
    assert first.key != first.match_index


def test_it_refuses_an_output_of_the_wrong_length():
    with pytest.raises(InvalidInput):
        escrow.derive_entry_keys(bytes(63))


def test_it_hides_the_secrets_from_repr():
    keys = escrow.derive_entry_keys(bytes(64))
    assert keys.key.hex() not in repr(keys) and str(keys.slope) not in repr(keys)


@given(reporter_ids)
def test_it_puts_each_reporter_at_a_point_in_the_field(reporter):
    point = escrow.reporter_point(reporter)
    assert 1 <= point < PRIME
    assert point == escrow.reporter_point(reporter)


def test_it_refuses_an_empty_reporter_id():
    with pytest.raises(InvalidInput):
        escrow.reporter_point("")


def test_it_needs_a_counsellor_key():
    with pytest.raises(InvalidInput):
        escrow.seal_entry(oprf_output=bytes(64), reporter_id="r", entry_id="e", data=b"x",
                          counsellor_keys=[])


@settings(max_examples=25, deadline=None)
@given(outputs, reporter_ids, reporter_ids, st.binary(max_size=200), st.binary(max_size=200))
def test_it_opens_two_reporters_entries_for_the_same_person(output, one, two, data1, data2):
    if one == two:
        return
    first, entry1 = held(output, one, data1)
    second, entry2 = held(output, two, data2)
    assert first.match_index == second.match_index
    recovery = escrow.recover_entries([entry1, entry2])
    assert recovery.opened == {entry1.entry_id: data1, entry2.entry_id: data2}
    assert recovery.flagged == ()


@settings(max_examples=25, deadline=None)
@given(outputs, outputs)
def test_it_gives_different_people_different_match_indexes(one, two):
    if one != two:
        assert (escrow.derive_entry_keys(one).match_index
                != escrow.derive_entry_keys(two).match_index)


def test_one_entry_alone_opens_nothing():
    _, entry = held(os.urandom(64), "r1", b"data")
    recovery = escrow.recover_entries([entry])
    assert recovery.opened == {} and recovery.flagged == (entry.entry_id,)


def test_the_same_reporter_twice_never_matches_itself():
    output = os.urandom(64)
    _, first = held(output, "same", b"one")
    _, second = held(output, "same", b"two")
    recovery = escrow.recover_entries([first, second])
    assert recovery.opened == {}
    assert set(recovery.flagged) == {first.entry_id, second.entry_id}


def test_a_share_does_not_reveal_the_key():
    output = os.urandom(64)
    keys = escrow.derive_entry_keys(output)
    _, entry = held(output, "r1", b"data")
    assert entry.share.point.y != int.from_bytes(keys.key, "big")
    assert keys.key not in entry.share.sealed_entry_key


def forged(entry_id: str, reporter: str, *, like: escrow.HeldEntry | None = None):
    """An entry made without knowing the person's OPRF output: a random line."""
    _, fake = held(os.urandom(64), reporter, b"forged", entry_id)
    if like is not None:  # keep the forger's own point but claim the honest entry key blob
        claimed = replace(fake.share, sealed_entry_key=like.share.sealed_entry_key)
        fake = replace(fake, share=claimed)
    return fake


def test_a_forged_share_opens_nothing_and_is_flagged():
    output = os.urandom(64)
    _, honest = held(output, "r1", b"report one")
    fake = forged("forged", "r2")
    recovery = escrow.recover_entries([honest, fake])
    assert recovery.opened == {}
    assert set(recovery.flagged) == {honest.entry_id, "forged"}


def test_a_forged_share_among_honest_ones_is_flagged_and_the_rest_open():
    output = os.urandom(64)
    _, one = held(output, "r1", b"report one")
    _, two = held(output, "r2", b"report two")
    fake = forged("forged", "r3", like=one)
    moved = replace(one, entry_id="moved")  # an honest blob copied under another id
    recovery = escrow.recover_entries([fake, one, moved, two])
    assert recovery.opened == {one.entry_id: b"report one", two.entry_id: b"report two"}
    assert set(recovery.flagged) == {"forged", "moved"}


def test_a_point_whose_line_leaves_the_key_range_is_skipped():
    output = os.urandom(64)
    _, one = held(output, "r1", b"one")
    # A point chosen so that the line through it and `one` has an intercept >= 2**256.
    x = one.share.point.x % (PRIME - 2) + 1
    if x == one.share.point.x:
        x += 1
    target = PRIME - 1  # intercept we force
    slope = (one.share.point.y - target) * pow(one.share.point.x, -1, PRIME) % PRIME
    y = (slope * x + target) % PRIME
    bad = replace(one, entry_id="bad", share=replace(one.share, point=Share(x, y)))
    recovery = escrow.recover_entries([one, bad])
    assert recovery.opened == {}


def test_it_refuses_duplicate_entry_ids():
    _, one = held(os.urandom(64), "r1", b"x")
    with pytest.raises(InvalidInput):
        escrow.recover_entries([one, one])


def test_it_refuses_a_sealed_box_that_is_not_an_escrow_share():
    blob = seal_to(COUNSELLOR.public_key, bytes([ESCROW_SHARE + 1]) + bytes(80))
    with pytest.raises(UnsupportedFormat):
        escrow.open_share(COUNSELLOR.private_key, blob)
