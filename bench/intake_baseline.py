"""The baseline of ``bench.intake``: the same answers and file, stored without encryption.

One multipart POST carries every answer (fields ``q_*``) and the file (``q_evidence``). The
answers go into a table of their own as plain JSON and the file into a plain file under the data
directory, in one transaction, through the same middleware as the product. Django's default
upload handlers replace Safelight's encrypting one for this view only, so nothing is encrypted.
Served only by the bench (bench.intake_urls); never among the shipped URLs.
"""

from __future__ import annotations

import json
import uuid
from pathlib import Path

from django.conf import settings
from django.core.files.uploadhandler import MemoryFileUploadHandler, TemporaryFileUploadHandler
from django.db import connection, transaction
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest, JsonResponse
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

BASELINE_PATH = "/bench/baseline/"
TABLE = "bench_baseline"
FILE_FIELD = "q_evidence"

CREATE_TABLE = f"""
CREATE TABLE IF NOT EXISTS {TABLE} (
    id TEXT PRIMARY KEY,
    submitted_at TEXT NOT NULL,
    answers TEXT NOT NULL,
    file_name TEXT NOT NULL,
    file_path TEXT NOT NULL,
    file_size INTEGER NOT NULL
)
"""
INSERT = (
    f"INSERT INTO {TABLE} (id, submitted_at, answers, file_name, file_path, file_size) "  # noqa: S608 - a constant table name
    "VALUES (%s, %s, %s, %s, %s, %s)"
)


def files_dir() -> Path:
    return Path(settings.SAFELIGHT_DATA_DIR) / "bench-baseline"


_table_ready = False


def _ensure_table() -> None:
    """Once per server process: the baseline's table, in the product's database."""
    global _table_ready
    if not _table_ready:
        with connection.cursor() as cursor:
            cursor.execute(CREATE_TABLE)
        _table_ready = True


@csrf_exempt  # CsrfViewMiddleware would read request.POST before the handlers below are set
@require_POST
def baseline(request: HttpRequest) -> HttpResponse:
    request.upload_handlers = [
        MemoryFileUploadHandler(request),
        TemporaryFileUploadHandler(request),
    ]
    upload = request.FILES.get(FILE_FIELD)
    if upload is None:
        return HttpResponseBadRequest("no file")
    answers = {
        key[2:]: values if len(values) > 1 else values[0]
        for key, values in request.POST.lists()
        if key.startswith("q_")
    }
    row_id = uuid.uuid4().hex
    path = files_dir() / row_id[:2] / row_id
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("xb") as out:
        for chunk in upload.chunks():
            out.write(chunk)
    _ensure_table()
    try:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(INSERT, [
                row_id, timezone.now().isoformat(), json.dumps(answers), upload.name or "",
                str(path), upload.size,
            ])
    except BaseException:
        path.unlink(missing_ok=True)
        raise
    return JsonResponse({"id": row_id, "size": upload.size})
