"""What an import could not read is told to the survivor in her language: the importers' reasons
go through gettext when they are made (the import runs in her request), and the places they name
("line 12", "end of file") through `importing.place`. In English they stay exactly as written."""

from __future__ import annotations

import pytest
from django.utils import translation
from django.utils.translation import trans_real

from safelight.evidence import importers, importing
from safelight.evidence.importers.base import Skipped

PLACE = "place in an export\x04"
BEFORE_FIRST = (
    "This line is not part of a message (it comes before the first line with a date and time)."
)
# Stand-ins for the Spanish catalogue's entries (the reasons may not be translated yet): what
# matters here is that each string is looked up in the language of the request.
FAKE_SPANISH = {
    BEFORE_FIRST: "Esta línea no forma parte de ningún mensaje.",
    "The file is empty.": "El archivo está vacío.",
    "This is not a JSON file; it was not read.": "Esto no es un archivo JSON; no se leyó.",
    "The file is not valid JSON here (%(reason)s); reading stopped.":
        "El archivo no es JSON válido aquí (%(reason)s); la lectura se detuvo.",
    PLACE + "line %(number)s": "línea %(number)s",
    PLACE + "file": "archivo",
    PLACE + "chat “%(chat)s”, %(place)s": "chat «%(chat)s», %(place)s",
    PLACE + "message number %(number)s in the list": "mensaje número %(number)s de la lista",
}


@pytest.fixture
def spanish():
    """The Spanish translation active, with FAKE_SPANISH standing in for its entries (the
    catalogue's own come back afterwards): the test is about the lookup, not the wording."""
    with translation.override("es"):
        catalog = trans_real.translation("es")._catalog
        first = catalog._catalogs[0]
        kept = {key: first[key] for key in FAKE_SPANISH if key in first}
        for key, value in FAKE_SPANISH.items():
            first[key] = value
        try:
            yield
        finally:
            for key in FAKE_SPANISH:
                if key in kept:
                    first[key] = kept[key]
                else:
                    first.pop(key, None)


def reasons(format_key: str, data: bytes) -> list[list[str]]:
    progress = importing.Progress()
    for item in importers.parse(format_key, [data]):
        if isinstance(item, Skipped):
            progress.skip(item)
    return progress.skip_reasons


def test_a_whatsapp_reason_and_its_line_are_in_spanish(spanish):
    found = reasons("whatsapp_txt", b"hola\n12/03/2024, 10:00 - Sam: hi\n")
    assert found == [["línea 1", "Esta línea no forma parte de ningún mensaje."]]


def test_a_reason_made_from_a_constant_is_in_the_language_of_the_import(spanish):
    assert reasons("whatsapp_txt", b"") == [["archivo", "El archivo está vacío."]]
    assert reasons("telegram", b"not json") == [
        ["archivo", "Esto no es un archivo JSON; no se leyó."]]


def test_a_reason_with_a_detail_in_it_is_in_spanish(spanish):
    # The JSON reader's own detail is in the Spanish catalogue too.
    detail = translation.gettext("expected %(expected)s but found %(found)s") % {
        "expected": "':'", "found": "'1'"}
    assert detail != "expected ':' but found '1'"
    assert reasons("telegram", b'{"a" 1}') == [["archivo", (
        f"El archivo no es JSON válido aquí ({detail}); la lectura se detuvo.")]]


def test_places_keep_their_numbers_and_names(spanish):
    assert importing.place("chat \u201cSam\u201d, message number 4 in the list") == (
        "chat «Sam», mensaje número 4 de la lista")
    assert importing.place("line 1,234") == "línea 1,234"
    assert importing.place("IMG-20240312-WA0001.jpg") == "IMG-20240312-WA0001.jpg"  # a name


def test_in_english_every_place_stays_as_the_importer_wrote_it():
    with translation.override("en"):
        for reference in ("file", "archive", "start of file", "end of file", "email", "line 12",
                          "message 3: photo.jpg", "mbox message 7", "byte 1,048,576",
                          "chat \u201cSam\u201d, message number 4 in the list", "message",
                          "photo.jpg"):
            assert importing.place(reference) == reference
        assert reasons("whatsapp_txt", b"") == [["file", "The file is empty."]]
