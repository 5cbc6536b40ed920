"""The check keeps nothing: what is pasted or uploaded reaches no database table, no cache, no
log record and no file left on disk; the result is the response, and nothing else (issue 16)."""

from __future__ import annotations

import logging
import os
import tempfile
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.core.cache import caches
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection

CHECK = "/acme/help/check/apps/"
PASTED = "org.canary.pastedzq7"
UPLOADED = "org.canary.uploadedxk4"
IN_FILE_ONLY = "canary-comment-wv9"  # a line the parser skips: in the file, never in a result

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.techcheck.urls_for_tests")]


def package_list(package: str) -> str:
    return (
        "package:/data/app/~~a==/com.whatsapp-b==/base.apk=com.whatsapp  "
        "installer=com.android.vending uid:10231\n"
        f"package:/data/app/~~c==/{package}-d==/base.apk={package}  installer=null uid:10250\n"
    )


def database_rows() -> list[str]:
    rows = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names():
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")  # noqa: S608
            rows += [f"{table}: {row!r}" for row in cursor.fetchall()]
    return rows


def cache_contents() -> list[str]:
    found = []
    for alias in settings.CACHES:
        cache: Any = caches[alias]
        backend = type(cache).__name__
        if backend == "LocMemCache":
            found += [f"{key!r} {value!r}" for key, value in cache._cache.items()]
        elif backend == "FileBasedCache":
            for name in cache._list_cache_files():
                found.append(Path(name).read_bytes().decode("latin-1"))
        elif backend == "RedisCache":
            client = cache._cache.get_client()
            for key in client.scan_iter():
                found.append(f"{key!r} {client.dump(key)!r}")
        else:
            pytest.fail(f"no way to read the {backend} cache: the test would prove nothing")
    return found


def files_under(*roots: Path) -> dict[Path, bytes]:
    contents = {}
    for root in roots:
        for folder, _dirs, names in os.walk(root):
            for name in names:
                path = Path(folder) / name
                try:
                    contents[path] = path.read_bytes()
                except OSError:
                    continue
    return contents


@pytest.fixture
def upload_dirs(settings, tmp_path):
    """The temporary upload folder and file storage of this test alone, so whatever a request
    leaves behind is there to be found."""
    settings.FILE_UPLOAD_TEMP_DIR = str(tmp_path / "uploads")
    settings.MEDIA_ROOT = tmp_path / "files"
    Path(settings.FILE_UPLOAD_TEMP_DIR).mkdir()
    return [Path(settings.FILE_UPLOAD_TEMP_DIR), Path(settings.MEDIA_ROOT)]


def test_a_pasted_list_and_an_uploaded_file_leave_no_trace(client, organisation, caplog,
                                                            upload_dirs):
    caplog.set_level(logging.DEBUG)
    system_temp = Path(tempfile.gettempdir())
    temp_before = set(os.listdir(system_temp))

    pasted = client.post(CHECK, {"text": package_list(PASTED)})
    assert pasted.status_code == 200
    assert PASTED in pasted.content.decode()  # it was read and shown, so the test means something

    content = (package_list(UPLOADED) + f"# {IN_FILE_ONLY}\n").encode()
    # Large enough that Django's default handlers would have written it to a temporary file.
    content += b"\n" * (3 * 1024 * 1024)
    uploaded = client.post(CHECK, {"file": SimpleUploadedFile("packages.txt", content)})
    assert uploaded.status_code == 200
    assert UPLOADED in uploaded.content.decode()

    # And the bad-input path, which comes back to the form.
    junk = client.post(CHECK, {"file": SimpleUploadedFile("j.bin", f"x {IN_FILE_ONLY}".encode())})
    assert "This file is not one we can read." in junk.content.decode()

    canaries = (PASTED, UPLOADED, IN_FILE_ONLY)
    rows = database_rows()
    assert rows, "no table read: the test would prove nothing"
    for canary in canaries:
        assert not [row for row in rows if canary in row], canary
        assert not [item for item in cache_contents() if canary in item], canary
        records = [f"{r.name} {r.getMessage()} {r.args!r} {r.__dict__!r}" for r in caplog.records]
        assert not [record for record in records if canary in record], canary
    assert files_under(*upload_dirs) == {}
    new_temp = files_under(*(system_temp / name for name in set(os.listdir(system_temp))
                             - temp_before))
    assert not [path for path, data in new_temp.items()
                if any(c.encode() in data for c in canaries)]
    # Nothing about the visit in the session either: no session was even started.
    assert "sessionid" not in client.cookies
