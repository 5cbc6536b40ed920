"""Names of files that the reporter side sends to download: neutral, because browsers keep them.

A download's name is kept in the browser's download list and history and is the file's name on
the device; "evidence-bundle-2026-03-02.zip" or "threats from Sam.png" tells whoever looks what
it is. Only the kind of file (its extension) is kept, so the device still opens it.
"""

from __future__ import annotations

import datetime
import mimetypes
import re

from django.utils import timezone
from django.utils.http import content_disposition_header

_EXTENSION = re.compile(r"\.[a-z0-9]{1,5}")


def extension(*, name: str = "", content_type: str = "") -> str:
    """The file's extension (".pdf"), from its name if it has a plain one, else its type."""
    suffix = "." + name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if _EXTENSION.fullmatch(suffix):
        return suffix
    guessed = mimetypes.guess_extension((content_type or "").split(";")[0].strip()) or ""
    return guessed if _EXTENSION.fullmatch(guessed) else ""


def attachment(filename: str) -> str:
    """The Content-Disposition header that downloads a file under `filename` (Django's, typed:
    as an attachment there always is one)."""
    return content_disposition_header(as_attachment=True, filename=filename) or "attachment"


def neutral_name(stem: str, *, name: str = "", content_type: str = "",
                 day: datetime.date | None = None) -> str:
    """"file-2026-03-02.pdf": a neutral stem, the day, and the file's extension."""
    day = day or timezone.localdate()
    return f"{stem}-{day.isoformat()}{extension(name=name, content_type=content_type)}"
