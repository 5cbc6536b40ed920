"""HSDS JSON: a directory as one document, and the service objects of a document read back.

Export: an HSDS API `Page` (the specification's way to list several records) of service objects.
Import takes that, a plain list of service objects, one service object, or JSON Lines (one
service object per line).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from typing import IO, Any

from django.utils.translation import gettext as _

from safelight.referrals.hsds import InvalidFile, InvalidItem, service_to_hsds
from safelight.referrals.models import Service

MAX_BYTES = 20 * 1024 * 1024


def document(services: Iterable[Service]) -> dict[str, Any]:
    contents = [service_to_hsds(service) for service in services]
    return {
        "total_items": len(contents),
        "total_pages": 1,
        "page_number": 1,
        "size": len(contents),
        "first_page": True,
        "last_page": True,
        "empty": not contents,
        "contents": contents,
    }


def dumps(services: Iterable[Service]) -> bytes:
    return json.dumps(document(services), ensure_ascii=False, indent=2).encode()


def read_items(file: IO[bytes]) -> Iterator[tuple[str, object]]:
    """(reference, service object or InvalidItem) for each item. Raises InvalidFile."""
    raw = file.read(MAX_BYTES + 1)
    if len(raw) > MAX_BYTES:
        raise InvalidFile(_("the file is larger than %(mb)d MB") % {"mb": MAX_BYTES // 2**20})
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise InvalidFile(_("the file is not UTF-8 text")) from None
    if not text.strip():
        raise InvalidFile(_("the file is empty"))
    try:
        parsed = json.loads(text)
    except json.JSONDecodeError as exc:
        if exc.msg == "Extra data":
            yield from _json_lines(text)
            return
        raise InvalidFile(_("not valid JSON (line %(line)d, column %(column)d: %(error)s)") % {
            "line": exc.lineno, "column": exc.colno, "error": exc.msg,
        }) from None
    except RecursionError:
        raise InvalidFile(_("the JSON is nested too deeply")) from None
    yield from _items(parsed)


def _items(parsed: object) -> Iterator[tuple[str, object]]:
    if isinstance(parsed, dict) and isinstance(parsed.get("contents"), list):
        items = parsed["contents"]
    elif isinstance(parsed, list):
        items = parsed
    elif isinstance(parsed, dict) and "id" in parsed and "name" in parsed:
        items = [parsed]
    else:
        raise InvalidFile(_(
            "no services found: expected an HSDS page with “contents”, a list of services, "
            "or one service"
        ))
    for number, item in enumerate(items, start=1):
        yield _("item %(number)d") % {"number": number} + _id_hint(item), item


def _json_lines(text: str) -> Iterator[tuple[str, object]]:
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        ref = _("line %(number)d") % {"number": number}
        try:
            item = json.loads(line)
        except json.JSONDecodeError as exc:
            yield ref, InvalidItem(_("not valid JSON (column %(column)d: %(error)s)")
                                   % {"column": exc.colno, "error": exc.msg})
        except RecursionError:
            yield ref, InvalidItem(_("the JSON is nested too deeply"))
        else:
            yield f"{ref}{_id_hint(item)}", item


def _id_hint(item: object) -> str:
    if isinstance(item, dict) and isinstance(item.get("id"), str | int):
        return " " + _("(id %(id)s)") % {"id": str(item["id"])[:60]}
    return ""
