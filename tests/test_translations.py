"""Every user-facing string goes through gettext: no template has text outside translate tags."""

import re
from pathlib import Path

import pytest

import safelight

TEMPLATES = sorted(Path(safelight.__file__).parent.glob("**/templates/**/*.html"))
_STRIP = [
    re.compile(r"{%\s*comment\s*%}.*?{%\s*endcomment\s*%}", re.S),  # never rendered
    re.compile(r"{%\s*blocktranslate.*?{%\s*endblocktranslate\s*%}", re.S),
    re.compile(r"{#.*?#}", re.S),
    re.compile(r"{%.*?%}", re.S),
    re.compile(r"{{.*?}}", re.S),
    re.compile(r"<(script|style)\b.*?</\1>", re.S),
    re.compile(r"<[^>]*>", re.S),
    re.compile(r"&[#\w]+;"),
]


def untranslated_text(source: str) -> list[str]:
    for pattern in _STRIP:
        source = pattern.sub(" ", source)
    return [line.strip() for line in source.splitlines() if re.search(r"[^\W\d_]", line)]


def test_it_finds_the_templates():
    assert len(TEMPLATES) >= 7


@pytest.mark.parametrize("template", TEMPLATES, ids=lambda p: p.name)
def test_it_translates_every_word_in_the_template(template):
    assert untranslated_text(template.read_text()) == []


def test_it_ignores_comment_blocks_but_not_the_text_around_them():
    source = "{% comment %}For <b>developers</b>{% endcomment %}<p>Hello</p>"
    assert untranslated_text(source) == ["Hello"]


def test_it_catches_a_bare_word():
    assert untranslated_text("<p>Hello {% translate 'there' %}</p>") == ["Hello"]
