"""Nothing a reporter writes rests in clear (standing rule 3).

A unique canary goes into every answer, the identity, the messages, a file's name and its
content. After the whole flow - report, handler reads and replies, reporter follows up and
answers - the database image (SQLite) or a pg_dump (PostgreSQL), the file storage, the cache and
everything logged hold no copy of it, in UTF-8, UTF-16 or base64.
"""

import base64
import logging
import shutil
import subprocess
import uuid
from pathlib import Path

import pytest
from django.db import connection
from django.test import Client

from safelight.reports.models import Report
from tests.conftest import sign_in
from tests.intake import flow


def base64_forms(raw: bytes) -> dict[str, bytes]:
    """`raw` as it would show inside longer base64 text: its base64 depends on where it falls in
    the encoded text, so all three alignments, trimmed of the characters that depend on the
    neighbouring bytes."""
    forms = {}
    for offset in range(3):
        for name, encode in (("base64", base64.b64encode), ("base64url", base64.urlsafe_b64encode)):
            encoded = encode(b"\x00" * offset + raw)
            start = (offset * 4 + 2) // 3 + 1
            forms[f"{name}+{offset}"] = encoded[start : start + 24]
    return forms


def encodings(canary: str) -> dict[str, bytes]:
    raw = canary.encode("utf-8")
    return {
        "utf-8": raw,
        "utf-16-le": canary.encode("utf-16-le"),
        "utf-16-be": canary.encode("utf-16-be"),
        **base64_forms(raw),
    }


def database_image() -> bytes:
    if connection.vendor == "sqlite":
        connection.ensure_connection()
        return connection.connection.serialize()
    pg_dump = shutil.which("pg_dump")
    if pg_dump is None:
        pytest.fail(
            "pg_dump is needed to check the PostgreSQL database (apt install postgresql-client)"
        )
    params = connection.settings_dict
    return subprocess.run(
        [
            pg_dump,
            "--data-only",
            "-h",
            params["HOST"] or "127.0.0.1",
            "-p",
            str(params["PORT"] or 5432),
            "-U",
            params["USER"] or "postgres",
            params["NAME"],
        ],
        check=True,
        capture_output=True,
    ).stdout


def folder_bytes(folder: Path) -> list[tuple[Path, bytes]]:
    if not folder.exists():
        return []
    return [(p, p.read_bytes()) for p in folder.rglob("*") if p.is_file()]


@pytest.mark.django_db(transaction=True)
def test_it_leaves_no_clear_copy_of_anything_the_reporter_wrote(
    channel, hana, caplog, capfd, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path / "files"
    caplog.set_level(logging.DEBUG)
    canary = f"CANARY{uuid.uuid4().hex}"
    word = lambda label: f"{label} {canary} {label}"  # noqa: E731
    reporter = Client()
    receipt = flow.report(
        reporter,
        channel,
        {
            1: {
                "q_what_happened": word("what"),
                "q_abuse_kinds": ["other", "images"],
                "q_abuse_other": word("other"),
                "q_images_now": "yes",
            },
            2: {"q_when_from": "2026-10-01", "q_platforms": word("platforms"), "q_ongoing": "no"},
            3: {"q_who": word("who"), "q_others_to_avoid": word("avoid")},
            4: {
                "q_impact": word("impact"),
                "q_tech_dependence": "yes",
                "q_tech_dependence_details": word("tech"),
            },
            5: {
                "q_already_done": word("done"),
                "q_wanted": word("wanted"),
                "q_evidence": [flow.upload(f"{canary}.txt", word("file content").encode())],
            },
            6: {"q_name": word("name"), "q_contact": word("contact")},
        },
    )
    report = Report.objects.get()
    assert report.attachments.count() == 1
    assert report.identity is not None

    staff = sign_in(Client(), hana)
    page = staff.get(f"/staff/reports/{report.pk}/").content.decode()
    assert word("what") in page and word("contact") in page
    attachment = report.attachments.get()
    download = staff.get(f"/staff/reports/{report.pk}/files/{attachment.pk}/")
    assert b"".join(download.streaming_content) == word("file content").encode()
    staff.post(f"/staff/reports/{report.pk}/reply/", {"body": word("reply")})

    assert reporter.post("/receipt/", {"receipt": receipt}).status_code == 302
    assert word("reply") in reporter.get("/receipt/report/").content.decode()
    reporter.post(
        "/receipt/report/",
        {
            "body": word("message"),
            "files": flow.upload(f"more-{canary}.txt", word("second file").encode()),
        },
    )
    assert word("message") in staff.get(f"/staff/reports/{report.pk}/").content.decode()

    captured = capfd.readouterr()
    places = [("database", database_image())]
    places += [(str(p), data) for p, data in folder_bytes(Path(settings.MEDIA_ROOT))]
    places += [
        (str(p), data) for p, data in folder_bytes(Path(settings.SAFELIGHT_DATA_DIR) / "cache")
    ]
    places += [
        ("logs", caplog.text.encode("utf-8")),
        ("stdout", captured.out.encode()),
        ("stderr", captured.err.encode()),
    ]
    assert len(folder_bytes(Path(settings.MEDIA_ROOT))) == 2
    assert channel.who_reads.encode() in places[0][1]  # the image really holds the data
    digits = receipt.replace(" ", "")
    for place, data in places:
        for name, form in encodings(canary).items():
            assert form not in data, f"the canary rests in clear ({name}) in {place}"
        # The receipt is never stored or logged either, grouped or not.
        for name, form in {**encodings(digits), "grouped": receipt.encode()}.items():
            assert form not in data, f"the receipt rests in clear ({name}) in {place}"


def test_the_check_would_find_a_canary_in_each_encoding():
    canary = f"CANARY{uuid.uuid4().hex}"
    for text in (canary, f"x{canary}", f"xy{canary}y"):
        blobs = [
            text.encode(),
            text.encode("utf-16-le"),
            text.encode("utf-16-be"),
            base64.b64encode(text.encode()),
            base64.urlsafe_b64encode(text.encode()),
        ]
        for blob in blobs:
            assert any(form in blob for form in encodings(canary).values()), blob
