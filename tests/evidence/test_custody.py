import hashlib
import json

import pytest

from safelight.crypto import VerifyKey, merkle
from safelight.evidence import actions, custody, custody_actions
from safelight.evidence.canonical import canonical_json
from safelight.evidence.models import LeafBlock, TreeHead
from tests.evidence.conftest import INCIDENT


def test_it_writes_leaf_inputs_as_canonical_json():
    made = custody.leaf_input(kind="message", item_id="abc/m1", added_at="2026-11-22T10:00:00.000Z",
                              sha256="00" * 32, salt="11" * 16)
    obj = custody.leaf_object(kind="message", item_id="abc/m1",
                              added_at="2026-11-22T10:00:00.000Z", sha256="00" * 32,
                              salt="11" * 16)
    assert made == canonical_json(obj)
    assert json.loads(made) == obj


def test_it_salts_every_item_differently_and_secretly():
    key_a = custody.salt_key(b"a" * 32)
    key_b = custody.salt_key(b"b" * 32)
    assert custody.salt_for(key_a, "x") != custody.salt_for(key_a, "y")
    assert custody.salt_for(key_a, "x") != custody.salt_for(key_b, "x")
    assert len(custody.salt_for(key_a, "x")) == 32


@pytest.mark.django_db
def test_it_appends_across_blocks_and_keeps_the_root(locker, monkeypatch):
    opened, _ = locker
    monkeypatch.setattr(LeafBlock, "BLOCK_LEAVES", 4)
    inputs = [f"leaf {n}".encode() for n in range(11)]
    log = custody_actions.Log(opened.locker)
    for data in inputs[:6]:
        log.append(data)
    log.commit()
    opened.locker.refresh_from_db()
    log = custody_actions.Log(opened.locker)  # a new action starts from what is stored
    for data in inputs[6:]:
        log.append(data)
    head = log.commit()
    expected = [merkle.leaf_hash(data) for data in inputs]
    opened.locker.refresh_from_db()
    assert custody.leaf_hashes(opened.locker) == expected
    assert LeafBlock.objects.filter(locker=opened.locker).count() == 3
    assert bytes(head.root_hash) == merkle.root_hash(expected)
    assert head.tree_size == 11


@pytest.mark.django_db
def test_it_signs_every_tree_head_with_the_deployment_key(locker, settings):
    opened, _ = locker
    actions.save_incident(opened=opened, content=INCIDENT, files=[])
    head = TreeHead.objects.get(locker=opened.locker)
    verify_key = custody.signing_key().verify_key()
    merkle.verify_tree_head(verify_key, str(opened.locker.pk).encode(), head.tree_size,
                            head.timestamp_ms, bytes(head.root_hash), bytes(head.signature))
    assert isinstance(verify_key, VerifyKey)


@pytest.mark.django_db
def test_it_gives_proofs_that_lead_to_the_signed_root(locker):
    opened, _ = locker
    for n in range(5):
        actions.save_incident(opened=opened, content={**INCIDENT, "title": f"n{n}"}, files=[])
    opened.locker.refresh_from_db()
    head = custody.latest_head(opened.locker)
    size, root, proofs = custody.proofs_at(opened.locker, [0, 3, 4], head.tree_size)
    hashes = custody.leaf_hashes(opened.locker)
    assert (size, root) == (5, bytes(head.root_hash))
    for index, proof in proofs.items():
        merkle.verify_inclusion(hashes[index], index, size, proof, root)


@pytest.mark.django_db
def test_it_commits_nothing_when_nothing_was_appended(locker):
    opened, _ = locker
    assert custody_actions.Log(opened.locker).commit() is None
    assert not TreeHead.objects.exists()


def test_leaf_hash_is_the_rfc_9162_one():
    assert merkle.leaf_hash(b"") == hashlib.sha256(b"\x00").digest()
