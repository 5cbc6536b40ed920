"""The transparent half of message-severity scoring: named rules, each a regular expression with a
weight, a plain description a handler or survivor can read ("Says they will kill or hurt someone")
and examples that the tests check it matches (and non-examples it must not match).

How a message is matched (`match`):

1. It is normalised once: lower case, typographic apostrophes made straight.
2. Only the rules that could match are tried. What each alternative of a pattern needs (words,
   letters, a digit, "@", an emoji) is read from the pattern itself when the module loads
   (`requirements`), so a neutral message costs a word split and a few set look-ups rather than
   dozens of regular-expression scans, and the rules stay plain regular expressions.
3. A rule does not fire when its `unless` pattern also matches the message (game talk for "I'll
   destroy you", "rape crisis centre" for the word rape), nor, for a `negatable` rule, when the
   match is directly preceded by a negation ("I'm not going to hurt you", "no one will hurt you").

A category's rule score is the noisy-or of the weights of its rules that fired,
1 - (1 - w1)(1 - w2)..., so two weak signals together count for more than either alone, and a
strong rule alone is enough. Weights say how sure a rule is on its own: about 0.85 for
unambiguous wording, 0.6-0.75 for wording that is usually abusive, 0.3-0.5 for supporting signals
(a phone number, a weapon word) that must combine with something else to pass a threshold.

This module needs no Django beyond `gettext_noop`, which only marks the descriptions for
translation; `safelight.triage.severity.reasons` translates them when it shows them.
"""

from __future__ import annotations

import enum
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext_noop as N_

# A match whose preceding two words are a negation does not count, for negatable rules.
_NEGATED = re.compile(
    r"\b(?:not|never|no one|nobody|noone|no|won'?t|wouldn'?t|don'?t|didn'?t|isn'?t|aint|ain't)"
    r"(?:\s+[\w']+)?\s+$"
)
_WORD = re.compile(r"[a-z]+")
_DIGIT = re.compile(r"\d")
_DIGITS = re.compile(r"\d+")
_NEGATION_WINDOW = 24

# One requirement of a pattern: any of these atoms, each ("w", word), ("s", substring) or
# ("d", "3") for a run of at least that many digits.
Clause = frozenset[tuple[str, str]]


@dataclass(frozen=True)
class Alternative:
    """One top-level alternative of a rule's pattern, with what a message must contain for it to
    have any chance of matching (see `requirements`)."""

    regex: re.Pattern[str]
    clauses: tuple[Clause, ...]
    needed_words: frozenset[str] = field(init=False, repr=False)
    needed_substrings: tuple[str, ...] = field(init=False, repr=False)
    needs_digits: int = field(init=False, repr=False)  # the longest run of digits it needs
    any_of: tuple[tuple[frozenset[str], tuple[str, ...], int], ...] = field(
        init=False, repr=False
    )

    def __post_init__(self) -> None:
        single = [next(iter(c)) for c in self.clauses if len(c) == 1]
        object.__setattr__(self, "needed_words", frozenset(v for k, v in single if k == "w"))
        object.__setattr__(self, "needed_substrings", tuple(v for k, v in single if k == "s"))
        object.__setattr__(
            self, "needs_digits", max((int(v) for k, v in single if k == "d"), default=0)
        )
        object.__setattr__(
            self,
            "any_of",
            tuple(
                (
                    frozenset(v for k, v in c if k == "w"),
                    tuple(v for k, v in c if k == "s"),
                    min((int(v) for k, v in c if k == "d"), default=0),
                )
                for c in self.clauses
                if len(c) > 1
            ),
        )

    def possible(self, words: set[str], norm: str, digits: int) -> bool:
        """Whether a message with these words and its longest run of `digits` digits could
        match (never False when it could)."""
        if not self.needed_words <= words or self.needs_digits > digits:
            return False
        for substring in self.needed_substrings:
            if substring not in norm:
                return False
        for clause_words, substrings, digit in self.any_of:
            if clause_words.isdisjoint(words) and not (digit and digit <= digits):
                for substring in substrings:
                    if substring in norm:
                        break
                else:
                    return False
        return True


@dataclass(frozen=True)
class Rule:
    id: str
    category: str
    weight: float
    description: str
    pattern: str
    examples: tuple[str, ...]
    non_examples: tuple[str, ...] = ()
    unless: str | None = None
    negatable: bool = False
    regex: re.Pattern[str] = field(init=False, repr=False, compare=False)
    unless_regex: re.Pattern[str] | None = field(init=False, repr=False, compare=False)
    alternatives: tuple[Alternative, ...] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "regex", re.compile(self.pattern))
        object.__setattr__(
            self, "unless_regex", re.compile(self.unless) if self.unless is not None else None
        )
        object.__setattr__(
            self,
            "alternatives",
            tuple(
                Alternative(re.compile(source), requirements(source))
                for source in split_alternatives(self.pattern)
            ),
        )

    def _found(self, regex: re.Pattern[str], norm: str) -> bool:
        if not self.negatable:
            return regex.search(norm) is not None
        for m in regex.finditer(norm):
            if not _NEGATED.search(norm, max(0, m.start() - _NEGATION_WINDOW), m.start()):
                return True
        return False

    def _allowed(self, norm: str) -> bool:
        return self.unless_regex is None or self.unless_regex.search(norm) is None

    def fires(self, norm: str) -> bool:
        """Whether the rule fires on a normalised message (see `normalise`)."""
        return self._found(self.regex, norm) and self._allowed(norm)


# --- reading a pattern ------------------------------------------------------------------------
#
# A small reader of the regular-expression syntax the rules use, giving the same parse (the same
# codes, nesting and simplifications) as Python's own parser, which is private to the `re`
# module. Anything else it does not read (inline flags, named groups, back references, numeric
# escapes, atomic groups) raises `Unreadable`, and the rule is then tried on every message.


class Code(enum.Enum):
    """The parts of a parsed pattern, named as Python's own parser names them."""

    LITERAL = enum.auto()
    NOT_LITERAL = enum.auto()
    IN = enum.auto()
    ANY = enum.auto()
    AT = enum.auto()
    BRANCH = enum.auto()
    SUBPATTERN = enum.auto()
    MAX_REPEAT = enum.auto()
    MIN_REPEAT = enum.auto()
    POSSESSIVE_REPEAT = enum.auto()
    ASSERT = enum.auto()
    ASSERT_NOT = enum.auto()
    NEGATE = enum.auto()
    RANGE = enum.auto()
    CATEGORY = enum.auto()
    AT_BEGINNING = enum.auto()
    AT_BEGINNING_STRING = enum.auto()
    AT_BOUNDARY = enum.auto()
    AT_NON_BOUNDARY = enum.auto()
    AT_END = enum.auto()
    AT_END_STRING = enum.auto()
    CATEGORY_DIGIT = enum.auto()
    CATEGORY_NOT_DIGIT = enum.auto()
    CATEGORY_SPACE = enum.auto()
    CATEGORY_NOT_SPACE = enum.auto()
    CATEGORY_WORD = enum.auto()
    CATEGORY_NOT_WORD = enum.auto()


# One part of a parsed pattern: (Code.LITERAL, code point), (Code.IN, [set items]),
# (Code.MAX_REPEAT, (low, high, [parts])), (Code.BRANCH, (None, [[parts], ...])), ...
Part = tuple[Code, Any]
MAXREPEAT = 4294967295  # "no upper bound", as `re` writes it
_REPEATS = frozenset({Code.MAX_REPEAT, Code.MIN_REPEAT, Code.POSSESSIVE_REPEAT})
# Parts that compare by value; the others hold parsed sequences, which are never shared.
_ATOMS = frozenset({Code.LITERAL, Code.NOT_LITERAL, Code.IN, Code.ANY, Code.AT})
_SPECIAL = frozenset(".\\[{()*+?^$|")
_ESCAPED_CHARACTERS = {
    "\\a": 7, "\\b": 8, "\\f": 12, "\\n": 10, "\\r": 13, "\\t": 9, "\\v": 11, "\\\\": 92,
}
_ESCAPED_CLASSES = {
    "\\d": Code.CATEGORY_DIGIT, "\\D": Code.CATEGORY_NOT_DIGIT,
    "\\s": Code.CATEGORY_SPACE, "\\S": Code.CATEGORY_NOT_SPACE,
    "\\w": Code.CATEGORY_WORD, "\\W": Code.CATEGORY_NOT_WORD,
}
_ESCAPED_POSITIONS = {
    "\\A": Code.AT_BEGINNING_STRING, "\\Z": Code.AT_END_STRING,
    "\\b": Code.AT_BOUNDARY, "\\B": Code.AT_NON_BOUNDARY,
}


class Unreadable(ValueError):
    """A pattern uses syntax that `parse` does not read."""


class _Reader:
    """The pattern as tokens: one character, or a backslash and the character after it."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.at = 0
        self.groups = 0

    @property
    def next(self) -> str | None:
        if self.at >= len(self.text):
            return None
        if self.text[self.at] == "\\":
            if self.at + 1 >= len(self.text):
                raise Unreadable("a backslash ends the pattern")
            return self.text[self.at : self.at + 2]
        return self.text[self.at]

    def get(self) -> str | None:
        token = self.next
        if token is not None:
            self.at += len(token)
        return token

    def match(self, token: str) -> bool:
        if self.next == token:
            self.at += len(token)
            return True
        return False

    def expect(self, token: str) -> None:
        if not self.match(token):
            raise Unreadable(f"expected {token!r} at {self.at}")


def parse(pattern: str) -> list[Part]:
    """The parsed form of `pattern`, as Python's own (private) parser gives it."""
    reader = _Reader(pattern)
    parts = _alternatives(reader)
    if reader.next is not None:
        raise Unreadable("unbalanced parenthesis")
    return parts


def _alternatives(reader: _Reader) -> list[Part]:
    """`a|b|c`, with what every alternative starts with taken out of the choice, and a choice of
    single characters written as a character set (as `re` does)."""
    items = [_sequence(reader)]
    while reader.match("|"):
        items.append(_sequence(reader))
    if len(items) == 1:
        return items[0]
    parts: list[Part] = []
    while all(items) and items[0][0][0] in _ATOMS and all(i[0] == items[0][0] for i in items):
        parts.append(items[0][0])
        for item in items:
            del item[0]
    characters: list[tuple[Code, Any]] = []
    for item in items:
        if len(item) != 1:
            break
        code, value = item[0]
        if code is Code.LITERAL:
            characters.append((code, value))
        elif code is Code.IN and value[0][0] is not Code.NEGATE:
            characters.extend(value)
        else:
            break
    else:
        parts.append((Code.IN, list(dict.fromkeys(characters))))
        return parts
    parts.append((Code.BRANCH, (None, items)))
    return parts


def _sequence(reader: _Reader) -> list[Part]:
    parts: list[Part] = []
    while (this := reader.next) is not None and this not in "|)":
        reader.get()
        if this[0] == "\\":
            parts.append(_escape(this))
        elif this not in _SPECIAL:
            parts.append((Code.LITERAL, ord(this)))
        elif this == "[":
            parts.append(_character_set(reader))
        elif this in "?*+{":
            if not _repeat(reader, this, parts):
                parts.append((Code.LITERAL, ord(this)))
        elif this == ".":
            parts.append((Code.ANY, None))
        elif this == "^":
            parts.append((Code.AT, Code.AT_BEGINNING))
        elif this == "$":
            parts.append((Code.AT, Code.AT_END))
        else:  # "("
            parts.append(_group(reader))
    # A non-capturing group is written in place: "a(?:b)c" reads as "abc".
    for index in range(len(parts) - 1, -1, -1):
        code, value = parts[index]
        if code is Code.SUBPATTERN and value[0] is None:
            parts[index : index + 1] = value[3]
    return parts


def _repeat(reader: _Reader, this: str, parts: list[Part]) -> bool:
    """Apply a quantifier to the last part; False when a "{" is a plain character."""
    low, high = {"?": (0, 1), "*": (0, MAXREPEAT), "+": (1, MAXREPEAT)}.get(this, (0, MAXREPEAT))
    if this == "{":
        if reader.next == "}":
            return False
        here = reader.at
        text = reader.text
        end = text.find("}", here)
        bounds = text[here:end].split(",") if end >= 0 else []
        if not 1 <= len(bounds) <= 2 or not all(b.isascii() and (b.isdigit() or not b)
                                                    for b in bounds):
            return False
        reader.at = end + 1
        low = int(bounds[0]) if bounds[0] else 0
        high = int(bounds[-1]) if bounds[-1] else (low if len(bounds) == 1 else MAXREPEAT)
        if high < low:
            raise Unreadable("min repeat greater than max repeat")
    if not parts or parts[-1][0] is Code.AT or parts[-1][0] in _REPEATS:
        raise Unreadable("nothing to repeat")
    item = parts[-1:]
    if item[0][0] is Code.SUBPATTERN and item[0][1][0] is None:
        item = item[0][1][3]
    if reader.match("?"):
        parts[-1] = (Code.MIN_REPEAT, (low, high, item))
    elif reader.match("+"):
        parts[-1] = (Code.POSSESSIVE_REPEAT, (low, high, item))
    else:
        parts[-1] = (Code.MAX_REPEAT, (low, high, item))
    return True


def _group(reader: _Reader) -> Part:
    group: int | None = None
    if reader.match("?"):
        kind = reader.get()
        if kind == "<" and reader.next in ("=", "!"):
            kind = "<" + (reader.get() or "")
        if kind in ("=", "!", "<=", "<!"):
            inner = _alternatives(reader)
            reader.expect(")")
            code = Code.ASSERT if kind.endswith("=") else Code.ASSERT_NOT
            return (code, (-1 if kind.startswith("<") else 1, inner))
        if kind != ":":
            raise Unreadable(f"group (?{kind} is not read")
    else:
        reader.groups += 1
        group = reader.groups
    inner = _alternatives(reader)
    reader.expect(")")
    return (Code.SUBPATTERN, (group, 0, 0, inner))


def _plain(escape: str) -> int:
    """The character of an escaped punctuation mark or symbol ("\\.", "\\(", ...)."""
    character = escape[1]
    if character.isascii() and character.isalnum():
        raise Unreadable(f"escape {escape} is not read")
    return ord(character)


def _escape(escape: str) -> Part:
    if escape in _ESCAPED_CLASSES:
        return (Code.IN, [(Code.CATEGORY, _ESCAPED_CLASSES[escape])])
    if escape in _ESCAPED_POSITIONS:
        return (Code.AT, _ESCAPED_POSITIONS[escape])
    if escape in _ESCAPED_CHARACTERS:
        return (Code.LITERAL, _ESCAPED_CHARACTERS[escape])
    return (Code.LITERAL, _plain(escape))


def _set_item(token: str) -> tuple[Code, Any]:
    if token in _ESCAPED_CHARACTERS:  # "\b" is a backspace here
        return (Code.LITERAL, _ESCAPED_CHARACTERS[token])
    if token in _ESCAPED_CLASSES:
        return (Code.CATEGORY, _ESCAPED_CLASSES[token])
    if token[0] == "\\":
        return (Code.LITERAL, _plain(token))
    return (Code.LITERAL, ord(token))


def _character_set(reader: _Reader) -> Part:
    items: list[tuple[Code, Any]] = []
    negate = reader.match("^")
    while True:
        this = reader.get()
        if this is None:
            raise Unreadable("unterminated character set")
        if this == "]" and items:
            break
        first = _set_item(this)
        if not reader.match("-"):
            items.append(first)
            continue
        that = reader.get()
        if that is None:
            raise Unreadable("unterminated character set")
        if that == "]":
            items += [first, (Code.LITERAL, ord("-"))]
            break
        last = _set_item(that)
        if first[0] is not Code.LITERAL or last[0] is not Code.LITERAL or last[1] < first[1]:
            raise Unreadable(f"bad character range {this}-{that}")
        items.append((Code.RANGE, (first[1], last[1])))
    items = list(dict.fromkeys(items))
    if len(items) == 1 and items[0][0] is Code.LITERAL:
        return (Code.NOT_LITERAL, items[0][1]) if negate else items[0]
    if negate:
        items.insert(0, (Code.NEGATE, None))
    return (Code.IN, items)


# --- what a pattern needs: the words, substrings and digits without which it cannot match ------
#
# The rules are tried only on messages that could match them, which makes a neutral message cost
# a word split and a few set look-ups rather than dozens of regular-expression scans. What each
# alternative of a pattern requires is read from the pattern itself (`parse`, above), so it can
# never disagree with the pattern: a literal word between word boundaries must occur as a word of
# the message; other literal letters as a substring; a mandatory digit as a digit; for a group of
# alternatives, any one of theirs.

_LETTERS = frozenset("abcdefghijklmnopqrstuvwxyz")
_BOUNDARY_AT = frozenset(
    {Code.AT_BOUNDARY, Code.AT_BEGINNING, Code.AT_BEGINNING_STRING,
     Code.AT_END, Code.AT_END_STRING}
)
# Frequent words make poor keys for the index; a clause of rarer words is chosen when there is one.
VERY_COMMON_WORDS = frozenset(
    (
        "a", "and", "are", "be", "do", "for", "have", "i", "in", "is", "it", "me", "my", "of",
        "on", "s", "so", "that", "the", "to", "u", "what", "where", "you",
    )
)
COMMON_WORDS = VERY_COMMON_WORDS | frozenset(
    (
        "about", "after", "all", "am", "an", "as", "at", "back", "been", "but", "by", "can",
        "come", "coming", "could", "d", "day", "did", "don", "dont", "from", "get", "go",
        "going", "gonna", "good", "got", "had", "has", "he", "her", "here", "him", "his",
        "home", "how", "if", "ill", "im", "just", "keep", "know", "like", "ll", "love", "m",
        "make", "no", "not", "now", "ok", "one", "or", "our", "out", "re", "said", "say", "see",
        "send", "she", "still", "t", "take", "tell", "them", "then", "there", "they", "this",
        "time", "too", "up", "ur", "us", "ve", "very", "want", "was", "we", "were", "when",
        "who", "why", "will", "with", "work", "would", "x", "your",
    )
)


def split_alternatives(pattern: str) -> list[str]:
    """The top-level alternatives of a pattern, split at each `|` outside groups and classes."""
    parts, depth, start, i, in_class = [], 0, 0, 0, False
    while i < len(pattern):
        ch = pattern[i]
        if ch == "\\":
            i += 2
            continue
        if in_class:
            in_class = ch != "]"
        elif ch == "[":
            in_class = True
            if pattern[i + 1 : i + 2] == "]":  # "[]...]": a literal ] first
                i += 1
        elif ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
        elif ch == "|" and depth == 0:
            parts.append(pattern[start:i])
            start = i + 1
        i += 1
    parts.append(pattern[start:])
    return parts


def _char_kind(op, av) -> str:
    """For one consumed character: "letter" (may be a-z), "digit" (always a digit), "sep"
    (never a-z, never a digit), "other" (never a-z, may be a digit)."""
    if op is Code.LITERAL:
        ch = chr(av)
        return "letter" if ch in _LETTERS else "digit" if ch.isdigit() else "sep"
    if op is Code.IN:
        kinds = set()
        for item_op, item_av in av:
            if item_op is Code.NEGATE:
                return "letter"
            if item_op is Code.LITERAL:
                kinds.add(_char_kind(item_op, item_av))
            elif item_op is Code.RANGE:
                low, high = item_av
                if low <= ord("z") and high >= ord("a"):
                    return "letter"
                kinds.add("digit" if ord("0") <= low and high <= ord("9") else "other")
            elif item_op is Code.CATEGORY:
                if item_av is Code.CATEGORY_DIGIT:
                    kinds.add("digit")
                elif item_av in (Code.CATEGORY_SPACE, Code.CATEGORY_NOT_WORD):
                    kinds.add("sep")
                else:
                    return "letter"
            else:
                return "letter"
        if "letter" in kinds:
            return "letter"
        if kinds == {"digit"}:
            return "digit"
        return "sep" if "digit" not in kinds and "other" not in kinds else "other"
    return "letter"


def _only_separators(sub) -> bool:
    return all(
        op in (Code.LITERAL, Code.IN) and _char_kind(op, av) == "sep"
        for op, av in sub
    )



def _cost(clause: Clause) -> int:
    total = 0
    for kind, value in clause:
        if kind == "w":
            total += 60 if value in VERY_COMMON_WORDS else 30 if value in COMMON_WORDS else 1
        elif kind == "s":  # checked with `in` on every message: worse when short or common
            total += 70 if len(value) < 4 or value in COMMON_WORDS else 30
        else:
            total += 50
    return total


def _edge(items, first: bool) -> bool | None:
    """Whether a word boundary is certain at the start (first) or end of a parsed sequence: it
    begins or ends with a boundary assertion or with a character that is never a-z. None when the
    sequence may match nothing, so that the text beyond it decides."""
    for op, av in items if first else reversed(items):
        if op in (Code.ASSERT, Code.ASSERT_NOT):
            continue
        if op is Code.AT:
            return av in _BOUNDARY_AT
        if op in (Code.LITERAL, Code.IN):
            return _char_kind(op, av) != "letter"
        if op in (Code.MAX_REPEAT, Code.MIN_REPEAT):
            edge = _edge(list(av[2]), first)
            if av[0] >= 1 and edge is not None:
                return edge
            if edge is False:
                return False
            continue  # it may match nothing: what comes next decides
        if op is Code.SUBPATTERN:
            edge = _edge(list(av[3]), first)
            if edge is None:
                continue
            return edge
        if op is Code.BRANCH:
            edges = [_edge(list(branch), first) for branch in av[1]]
            if False in edges:
                return False
            if None in edges:
                continue  # one branch may match nothing: what comes next decides
            return True
        return False
    return None


def _flatten(items) -> list:
    """A parsed sequence with each optional part `x?` written as a choice between `x` and
    nothing, so that "nudes?" reads as the words "nude" or "nudes"."""
    out = []
    for op, av in items:
        if op in (Code.MAX_REPEAT, Code.MIN_REPEAT) and av[0] == 0 and av[1] == 1:
            out.append((Code.BRANCH, (None, [_flatten(av[2]), []])))
        else:
            out.append((op, av))
    return out


def _analyse(items, left_bounded: bool, right_bounded: bool) -> list[Clause]:
    """Clauses (all required; any atom of each) for a parsed sequence, given whether a boundary is
    certain just before and just after it."""
    items = _flatten(items)
    clauses: list[Clause] = []
    run: list[str] = []
    run_left = left_bounded

    def end_run(bounded: bool) -> None:
        if run:
            word = "".join(run)
            clauses.append(frozenset({("w" if run_left and bounded else "s", word)}))
            run.clear()

    def edge_of(part, first: bool, otherwise: bool) -> bool:
        edge = _edge(part, first)
        return otherwise if edge is None else edge

    index = 0
    while index < len(items):
        op, av = items[index]
        index += 1
        rest_bounded = edge_of(items[index:], True, right_bounded)
        before = left_bounded and not run  # a boundary is certain just before this item
        if op in (Code.LITERAL, Code.IN):
            kind = _char_kind(op, av)
            if kind == "letter" and op is Code.LITERAL:
                if not run:
                    run_left = left_bounded
                run.append(chr(av))
                continue
            end_run(kind != "letter")
            if kind == "digit":
                clauses.append(frozenset({("d", "1")}))
            elif op is Code.LITERAL and (chr(av) == "@" or not chr(av).isascii()):
                clauses.append(frozenset({("s", chr(av))}))
            left_bounded = kind != "letter"
        elif op is Code.AT:
            end_run(av in _BOUNDARY_AT)
            left_bounded = av in _BOUNDARY_AT
        elif op in (Code.ASSERT, Code.ASSERT_NOT):
            continue  # zero-width: neither consumes nor bounds
        elif op in (Code.MAX_REPEAT, Code.MIN_REPEAT):
            low, high, inner = av
            inner = list(inner)
            starts = edge_of(inner, True, False)
            ends = edge_of(inner, False, False)
            single: tuple[Any, Any] = inner[0] if len(inner) == 1 else (None, None)
            if low >= 1 and single[0] is Code.LITERAL and chr(single[1]) in _LETTERS:
                if not run:
                    run_left = left_bounded
                run.extend(chr(single[1]) * low)  # "dox+" needs "dox"
                end_run(False)
                left_bounded = False
                continue
            if low >= 2 and single[0] is not None and _char_kind(*single) == "digit":
                end_run(True)
                clauses.append(frozenset({("d", str(low))}))  # "\d{3}" needs three in a row
                left_bounded = True
                continue
            if low >= 1:
                end_run(starts)
                # A later repetition follows an earlier one: its edges are the part's own.
                once = high == 1
                clauses.extend(
                    _analyse(inner, before and (ends or once), rest_bounded and (starts or once))
                )
                left_bounded = ends
            else:
                end_run(starts and rest_bounded)
                left_bounded = ends and before
        elif op in (Code.SUBPATTERN, Code.BRANCH):
            branches = [list(av[3])] if op is Code.SUBPATTERN else [list(b) for b in av[1]]
            # Letters just before and just after belong to each branch: "no(?:body| one)" is
            # "nobody" or "no one", and "colo(?:u|)r" is "colour" or "color".
            prefix = [(Code.LITERAL, ord(c)) for c in run]
            branch_left = run_left if run else before
            run.clear()
            suffix = []
            while (
                index < len(items)
                and items[index][0] is Code.LITERAL
                and chr(items[index][1]) in _LETTERS
            ):
                suffix.append(items[index])
                index += 1
            after = edge_of(items[index:], True, right_bounded)
            branches = [prefix + branch + suffix for branch in branches]
            found = [_analyse(branch, branch_left, after) for branch in branches]
            if len(found) == 1:
                clauses.extend(found[0])
            elif all(found):
                clauses.append(frozenset().union(*(min(f, key=_cost) for f in found)))
            left_bounded = all(edge_of(b, False, branch_left) for b in branches)
        else:
            end_run(False)
            left_bounded = False
    end_run(right_bounded)
    return clauses


def requirements(source: str) -> tuple[Clause, ...]:
    """What a message must contain for the pattern `source` to match it (see above): nothing,
    which means "try it on every message", if the pattern cannot be read."""
    try:
        return tuple(_analyse(parse(source), False, False))
    except Unreadable:  # syntax `parse` does not read: stay correct, be slower
        return ()


def normalise(text: str) -> str:
    return text.lower().replace("\u2019", "'").replace("\u2018", "'")


# --- shared fragments ------------------------------------------------------------------------

YOU = r"(?:you|u|ya|yu)"
YOUR = r"(?:your|ur|yer)"
YOURE = r"(?:you'?re|youre|you are|u r|u are|ur|your|yr)"
# Words that say the speaker means to act.
INTENT = (
    r"(?:i'?ll|ill|i will|i'?m (?:gonna|gunna|going to|about to)"
    r"|im (?:gonna|gunna|going to|about to)"
    r"|i'?ma|imma|ima|i'?d|i would|i could|i can|i want to|i wanna|i'?m coming to|gonna|going to"
    r"|will|and|then|or i|i swear i'?ll)"
)
# Up to two words between the intent and the verb ("I'll fucking kill you"), never a negation.
GAP = r"(?:\s+(?!(?:never|not|no)\b)[\w']+){0,2}?"
TARGET = r"(?:you|u|ya|ur|your|yer|him|her|them|his|their)\b"
# Violent verbs, with the idioms that share their words kept out ("shoot me a text", "hit you
# up", "snap you a pic", "beat you at", "kick you out").
VIOLENT = (
    r"(?:kill|murder|stab|strangle|choke|batter|slit|drown|rape|shank|throttle|cripple|torch"
    r"|burn|behead|end|hurt|punch|smash|slap|bash|break|deck|smack|glass|knife|bury"
    r"|shoot(?!\s+\w+\s+(?:a|an)\s+(?:text|message|msg|email|dm|line|pic|photo|quick))"
    r"|hit(?!\s+\w+\s+(?:up|back)\b)"
    r"|snap(?!\s+\w+\s+(?:a|the|back|later|my)\b)"
    r"|beat(?!\s+\w+\s+(?:at|to it|in)\b)"
    r"|kick(?!\s+\w+\s+(?:out|off)\b)"
    r"|cut(?!\s+\w+\s+(?:some|a|off|in|out|loose|short|up|free|down|the|your|ur|my)\b)"
    r"|bleed|maim|disfigure|blind|scar)"
)
VIOLENT_WORDS = (
    "kill", "murder", "stab", "strangle", "choke", "batter", "slit", "drown", "rape", "shank",
    "throttle", "cripple", "torch", "burn", "behead", "end", "hurt", "punch", "smash", "slap",
    "bash", "break", "deck", "smack", "glass", "knife", "bury", "shoot", "hit", "snap", "beat",
    "kick", "cut", "bleed", "maim", "disfigure", "blind", "scar",
)
GAMES = (
    r"\b(?:fifa|fortnite|warzone|cod|apex|valorant|minecraft|roblox|mario ?kart|smash bros|tekken"
    r"|halo|overwatch|lobby|ranked|1v1|scrabble|chess|monopoly|darts|tennis|squash|badminton"
    r"|golf|bowling|ping pong|game|games|gaming|xbox|ps5|playstation)\b"
)
BODY = (
    r"(?:face|head|teeth|skull|legs?|arms?|jaw|neck|fingers?|nose|throat|brains?|knees?|ribs"
    r"|spine|kneecaps?|eyes?)"
)
WEAPONS = ("knife", "gun", "bullet", "bullets", "acid", "machete", "blade", "bat", "petrol")

INSULT_NOUNS = (
    "bitch", "bitches", "cunt", "cunts", "whore", "slut", "slag", "skank", "hoe", "thot", "twat",
    "dickhead", "prick", "wanker", "bastard", "moron", "retard", "idiot", "imbecile", "loser",
    "freak", "psycho", "pig", "cow", "scum", "scumbag", "trash", "garbage", "rat", "snake",
    "leech", "parasite", "failure", "disgrace", "embarrassment", "joke", "nutter", "nutcase",
    "weirdo", "creep", "arsehole", "asshole", "douche", "douchebag", "tosser", "knobhead",
    "dumbass", "dipshit", "jackass", "halfwit", "bimbo", "slapper", "minger", "munter",
    "bellend", "mong", "spastic", "spaz", "fatty", "pervert", "liar", "nobody", "waste", "twit",
    "lump", "numpty", "plonker", "dimwit", "nitwit", "cretin", "simpleton", "degenerate",
    "lowlife", "maggot", "vermin", "gold digger", "worst",
)
INSULT_ADJS = (
    "stupid", "pathetic", "worthless", "useless", "ugly", "disgusting", "fat", "dumb", "thick",
    "vile", "repulsive", "hopeless", "unstable", "crazy", "insane", "mental", "lazy", "filthy",
    "nasty", "gross", "hideous", "revolting", "brainless", "spineless", "delusional",
    "unlovable", "selfish", "evil", "twisted", "braindead", "retarded", "pathetic", "fucking",
    "lying", "sad", "dirty", "psycho", "dense", "clueless", "frigid", "sick",
)
_NOUN_ALT = "|".join(sorted(set(INSULT_NOUNS) - {"waste", "worst"}, key=len, reverse=True))
_NOUN_ALT += r"|waste of (?:space|air|oxygen|skin)|piece of (?:shit|crap|trash|work|garbage)"
_NOUN_ALT += r"|drama queen|excuse for a \w+|worst (?:\w+ )?(?:person|mother|mum|father|dad|wife"
_NOUN_ALT += r"|husband|girlfriend|boyfriend|partner|human)"
_ADJ_ALT = "|".join(sorted(set(INSULT_ADJS) - {"sick", "sad", "fucking", "lying"}, key=len,
                           reverse=True))
_MODIFIERS = (
    r"(?:a|an|such|so|really|fucking|fkn|fuckin|effing|bloody|absolute|absolutely|total|complete"
    r"|utter|little|big|fat|stupid|ugly|dumb|pathetic|useless|worthless|disgusting|crazy|psycho"
    r"|lazy|sad|thick|nasty|mentally|too|lying|attention seeking|attention-seeking|dirty|filthy"
    r"|sick|old|ass|just|nothing but|the biggest|one|dense|frigid|evil|vile|gross|literally|the"
    r"|most|such an|brainless|cheap|two-faced|worthless|miserable|dumb ass)"
)
# Laughter, love and congratulations that often mark affectionate swearing between friends.
_BANTER_WORDS = frozenset(
    (
        "lol", "lolol", "lmao", "lmfao", "rofl", "jk", "joking", "kidding", "legend", "congrats",
        "congratulations",
    )
)
_BANTER_MARKS = ("😂", "🤣", "😆", "😭", "❤", "♥", "😘", "🥰", "😍", "🥳", "😁", "😊")
_LOVE_YOU = re.compile(r"(?:^|\bi |\bi do |\bstill )(?:love|luv) (?:you|u|ya)\b")
_ENDS_WITH_KISS = re.compile(r"\bxx*\W*$")


def is_banter(norm: str, words: set[str] | frozenset[str]) -> bool:
    """Whether a normalised message (with its words, see `words_of`) laughs, says love or
    congratulates: "hahaha", "lol", "😂", "love you", a closing "x"."""
    if not _BANTER_WORDS.isdisjoint(words):
        return True
    if "haha" in norm or "hehe" in norm or "lmao" in norm or "so proud" in norm:
        return True
    if not norm.isascii() and any(mark in norm for mark in _BANTER_MARKS):
        return True
    if ("love" in words or "luv" in words) and _LOVE_YOU.search(norm):
        return True
    return "x" in words and _ENDS_WITH_KISS.search(norm) is not None


# The message speaks to someone ("you", "u", "ur", "you're", ...).
SECOND_PERSON_WORDS = frozenset(
    ("you", "u", "ur", "your", "yours", "youre", "ya", "yourself", "urself", "yer")
)


def words_of(norm: str) -> set[str]:
    """The words of a normalised message: its runs of the letters a-z."""
    return set(_WORD.findall(norm))


def R(*args, **kwargs) -> Rule:
    return Rule(*args, **kwargs)


_ALL_INSULT_TRIGGERS = tuple(
    sorted(set(INSULT_NOUNS) | set(INSULT_ADJS) | {"excuse", "piece", "drama"})
)

RULES: tuple[Rule, ...] = (
    # ---- threat of violence ------------------------------------------------------------------
    R(
        "threat.will_harm", "threat", 0.9,
        N_("Says they will kill, hurt or attack someone"),
        rf"\b{INTENT}{GAP}\s+{VIOLENT}(?:\s+(?:the (?:shit|crap|hell|fuck|life|living daylights)"
        rf" out of))?\s+{TARGET}",
        ("i'll kill you", "ima stab him if he shows up", "im gonna fucking hurt u",
         "say that again and i'll smash your car", "i will beat the crap out of you",
         "i'd strangle you if i could"),
        ("i'd never hurt you", "i'm not going to hurt you", "no one is going to hurt you",
         "i'll hit you up later", "shoot me a text", "i'll beat you at chess",
         "this traffic is killing me", "i'd kill for a coffee", "mum will kill me",
         "i'll snap you a pic later"),
        unless=GAMES,
        negatable=True,
    ),
    R(
        "threat.body_harm", "threat", 0.85,
        N_("Describes injuring a part of someone's body"),
        r"\b(?:smash|kick|cave|bash|punch|knock|break|snap|slit|cut|rip|stamp on|stomp on|stab)"
        rf"\b[\w' ]{{0,25}}\b(?:your|ur|his|her|their|ya|yer) (?:\w+ )?{BODY}\b"
        r"|\bevery bone in (?:your|ur|his|her|their) body",
        ("gonna kick ur head in", "i'll cut your throat", "break every bone in his body"),
        ("i broke my leg skiing", "cut your nails they're too long"),
        negatable=True,
    ),
    R(
        "threat.you_are_dead", "threat", 0.8,
        N_("Tells someone they are dead or finished"),
        rf"\b{YOURE} (?:so |fucking |fkn )?(?:dead|finished|a dead (?:man|woman|girl|boy)"
        r"|done for(?! (?:the|today|tonight|now)))"
        r"\b(?! to me)(?!\s*(?:lol|😂|🤣|haha|tired))"
        r"|\bdead (?:man|woman|girl|boy|meat) walking\b",
        ("you're dead", "ur dead when i see u", "dead man walking"),
        ("you're dead to me", "ur dead lol", "you're done for the day?"),
    ),
    R(
        "threat.veiled", "threat", 0.7,
        N_("Uses a phrase that warns of harm (\"watch your back\", \"you'll regret this\")"),
        r"\bwatch (?:your|ur|yer) back\b|\bsleep with (?:one eye open|the lights on)"
        r"|\b(?:you'?ll|you will|ull|u will|ur gonna|you'?re gonna|you are going to) (?:be sorry"
        r"|regret (?:this|it|that|the day)|pay for (?:this|that|it)|wish (?:you|u) were dead)"
        r"|\bmark my words\b|\bhope (?:you|u) like hospital"
        r"|\b(?:body bag|in a ditch|six feet under|in (?:a|the) (?:morgue|grave|coffin))\b"
        r"|\b(?:your|ur) days are numbered|\b(?:don'?t|dont) test me\b"
        r"|\bnot a threat,? (?:it'?s |its )?a promise|\bwon'?t live to\b|\bwont live to\b"
        r"|\bmake (?:you|u) disappear|\bwith (?:your|ur) name (?:\w+ )?on it"
        r"|\bwhat'?s coming to (?:you|u)\b|\bwhats coming to (?:you|u)\b"
        r"|\b(?:you|u) better (?:hope|pray)\b|\bbetter watch (?:yourself|himself|herself|out)\b"
        r"|\bremember what happened (?:last time|to)\b|\bsee what happens to (?:you|u|your|ur)\b"
        r"|\bsomeone(?:'ll| will) be waiting\b"
        r"|\b(?:haven'?t|havent|didn'?t|didnt) (?:\w+ )?(?:stabbed|killed|hit|hurt|punched"
        r"|strangled"
        r"|shot|smashed|battered) (?:you|u) yet\b",
        ("watch ur back", "you'll regret this", "you'll pay for that",
         "he'll end up in a body bag", "your days are numbered", "u better pray i dont see u"),
        ("watch your step, the floor is wet", "sorry i'm late", "you won't regret coming!"),
    ),
    R(
        "threat.coming_for_you", "threat", 0.75,
        N_("Says they are coming for someone or will find them"),
        rf"\b(?:i'?m|im|i am) coming (?:for|after|to get) {YOU}\b"
        rf"|\b(?:i'?ll|ill|i will|gonna|going to) (?:come (?:and |n )?)?(?:find|get) {YOU}\b"
        r"(?!\s+(?:a|an|some|one|the|from|at|later|tomorrow|after|in|something|anything|home|back"
        r"|coffee|food|lunch|dinner|tea|there|up))"
        rf"|\b(?:catch|get) {YOU} alone\b",
        ("i'm coming for you", "i will find you", "ill come find u", "wait till i catch u alone"),
        ("i'll get you a coffee", "i'll come find you at the cafe", "i'll get you from school"),
        negatable=True,
    ),
    R(
        "threat.weapon", "threat", 0.45,
        N_("Mentions a weapon"),
        r"\b(?:knife|knives|gun|bullets?|acid|machete|blade|baseball bat|petrol|shotgun|pistol"
        r"|hammer|crowbar|axe|brick|rope)\b|🔪|🔫|🩸|⚰",
        ("i've got a knife", "🔪", "remember i have a gun"),
        ("the kitchen is clean",),
    ),
    R(
        "threat.throw_acid", "threat", 0.85,
        N_("Says they will throw acid or petrol at someone"),
        r"\b(?:throw|throwing|pour|chuck|splash)\w* (?:acid|petrol|bleach)\b",
        ("i'll throw acid on you",),
        ("pour bleach down the drain",),
        unless=r"\bdrain|\btoilet|\bsink\b",
    ),
    R(
        "threat.come_over", "threat", 0.35,
        N_("Says they are coming to someone's door"),
        r"\b(?:coming|come|comin) (?:over|round|around)\b|\bopen the door\b"
        r"|\bwaiting (?:outside|for (?:you|u))\b",
        ("i'm coming over", "open the door", "i'll be waiting outside"),
        ("see you at the cafe",),
    ),
    R(
        "threat.door", "threat", 0.7,
        N_("Threatens to break in"),
        r"\b(?:kick|kicking|break|breaking|smash|smashing) (?:the|your|ur|ya) (?:\w+ )?"
        r"(?:door|window)s?"
        r" (?:in|down)\b|\bsmash (?:the|your|ur) windows?\b|\bopen the door or\b",
        ("open up or i kick the door in", "i'll smash ur windows"),
        ("the wind broke the door handle",),
    ),
    R(
        "threat.incite", "threat", 0.8,
        N_("Urges others to hurt someone"),
        r"\b(?:someone|somebody|some1|you lot|people) (?:should|needs? to|ought to|gotta|will)"
        r" (?:[\w']+ ){0,4}?(?:kill|hurt|beat|shoot|stab|teach|rape|slap|punch|run|sort"
        r"|deal with)\b"
        r"|\bteach (?:you|u|her|him|them) a lesson\b|\bsomeone'?s (?:gonna|going to) get hurt"
        r"|\b(?:gonna|going to|will|might|could) have an accident\b|\baccidents happen\b"
        r"|\bsomething (?:bad |terrible |nasty )?(?:will|might|could|is going to|is gonna|would)"
        r" happen to\b|\bshame if something (?:happened|were to happen)\b"
        r"|\b(?:you'?re|you are|ur|u r|youre|you'?ll|you will|u will) (?:gonna |going to )?"
        r"get hurt\b"
        r"|\bif i can'?t have (?:you|u),? (?:no one|nobody|noone) can\b"
        r"|\b(?:be|should be|better be) (?:very )?(?:scared|afraid|frightened) of me\b"
        r"|\bmake (?:you|u) (?:pay|suffer|bleed)\b|\bhunt (?:you|u) down\b"
        r"|\bi'?(?:ve| have) (?:got )?nothing (?:left )?to lose\b",
        ("somebody should teach her a lesson", "someone needs to shut him up and beat him",
         "your car might have an accident"),
        ("someone should fix the printer",),
    ),
    R(
        "threat.hold_down", "threat", 0.7,
        N_("Describes restraining someone"),
        rf"\bhold {YOU} down\b|\bdrag (?:you|u|her|him) (?:out )?by (?:your|ur|the|her|his) hair"
        rf"|\brun {YOU} (?:over|down)\b|\bfuck {YOU} up\b|\bput {YOU} in (?:the )?(?:hospital"
        r"|ground|grave|ditch|wheelchair|coffin|a box)",
        ("i'll hold u down", "gonna run you over", "ima fuck u up", "i'll put you in hospital"),
        ("hold your horses", "i'll put you in touch with her"),
        negatable=True,
    ),
    R(
        "threat.life_hell", "threat", 0.45,
        N_("Threatens to make someone's life hell or to see what happens"),
        r"\bmake (?:your|ur|his|her) life (?:a )?(?:living )?hell\b|\bsee what happens\b",
        ("i'll make your life hell", "do it and see what happens"),
        ("what happened at work?",),
    ),
    R(
        "threat.keep_it_up", "threat", 0.35,
        N_("Warns the person to stop (\"keep it up\", \"keep ignoring me\")"),
        r"\bkeep (?:it up|ignoring me|talking|pushing me|lying)\b|\bone more (?:word|lie|time)\b",
        ("keep it up", "one more word"),
        ("keep up the good work",),
    ),
    # ---- sexual harassment ---------------------------------------------------------------------
    R(
        "sexual.nudes", "sexual", 0.75,
        N_("Asks for or mentions nude pictures"),
        r"\bnudes?\b|\bnude (?:pics?|photos?|selfies?)\b|\bnaked (?:pics?|photos?|selfies?|video)"
        r"|\bsee (?:you|u|ya) naked\b|\bsex ?tape\b|\bonlyfans\b|\bvideo of us\b",
        ("send nudes", "i still have ur nudes", "i want to see u naked", "found your onlyfans"),
        ("our nudist neighbours are at it again", "watch the video of the concert"),
    ),
    R(
        "sexual.naked", "sexual", 0.55,
        N_("Mentions someone being naked"),
        r"\bnaked\b|\bwith nothing on\b|\bnothing on but\b|\bsleep naked\b",
        ("bet u sleep naked", "i'd love to see you with nothing on"),
        ("the naked truth is we're broke",),
        unless=r"naked (?:truth|eye)",
    ),
    R(
        "sexual.explicit", "sexual", 0.75,
        N_("Uses explicit sexual words"),
        r"\b(?:tits|titties|boobs|nipples?|pussy|cum|cumming|jerk(?:ed|ing)? off|wank(?:ed|ing)?"
        r" (?:over|to|off)|horny|blowjob|handjob|boner|orgasm|masturbat\w*|touched myself"
        r"|sexting|give (?:good )?head|gives (?:good )?head|lingerie|thong)\b"
        r"|\b(?:my|suck|ur|your|his|touch) (?:\w+ )?(?:dick|cock)\b|\bdick ?pics?\b|\bcock\b",
        ("show me ur tits", "suck my dick", "i'm so horny", "cum over", "i jerked off"),
        ("my boss is being a dick", "the cocktail bar", "heads up"),
        unless=r"\bpussy ?cat|\bcocktails?\b|\bcockpit",
    ),
    R(
        "sexual.sex_act", "sexual", 0.85,
        N_("Says they want a sexual act with someone"),
        rf"\b(?:wants?|wanna|gonna|going|i'?d|let me|like|love|would) (?:to )?(?:fuck|shag|bang"
        rf"|screw|lick|suck|ride|finger|taste|eat) (?:{YOU}|ur|your)\b"
        rf"|\bfuck {YOU} (?:so hard|hard|senseless|all night|properly|good|raw)"
        rf"|\bevery inch of (?:{YOU}|your body|ur body)|\bsit on my (?:lap|face)"
        rf"|\bsle(?:ep|pt) with (?:anyone|anybody|everyone|every|half|loads|me|{YOU}\b)"
        r"|\bslept with\b|\bwhat i'?d do to (?:you|u)\b|\bdo whatever i want (?:to|with)\b"
        r"|\bmade for (?:sucking|fucking|me to use)\b|\bon (?:your|ur) knees\b"
        r"|\b(?:in|between) the sheets\b|\bdown there\b|\bundress\w*|\bdtf\b|\bbooty call"
        r"|\bfuck ?buddy\b|\bblow me\b|\bspank (?:you|u)\b|\bmake (?:you|u) moan\b"
        r"|\bunder (?:that|your|ur|those) (?:dress|skirt|top|shirt|clothes)\b"
        r"|\bimagining (?:you|u) (?:naked|undressed|in|without)\b"
        rf"|\bi (?:grabbed|touched|groped|felt up) {YOU}\b|\bin bed\b(?!\s*(?:early|now|with a))",
        ("i want to fuck you", "wanna lick u", "how many guys have u slept with",
         "you'd look good on your knees", "come sit on my lap"),
        ("fuck you", "sleep with one eye open", "i'm in bed early tonight",
         "want to eat out tonight?", "the keys are down there by the door"),
        unless=r"\b(?:is|are|it'?s|keys?|box|shelf|cupboard|drawer) (?:\w+ )?down there\b",
    ),
    R(
        "sexual.body", "sexual", 0.5,
        N_("Comments on someone's body or underwear"),
        r"\b(?:your|ur|ya|yer|those|them|that|nice|great|sexy|hot|fit) (?:\w+ )?(?:ass|arse|butt"
        r"|bum|tits|boobs|rack|legs|lips|body|curves|thighs|bra|underwear|knickers|panties"
        r"|bikini)\b",
        ("nice legs", "your ass in those jeans", "ur body is perfect"),
        ("my bra strap snapped", "a pain in the ass", "every bone in your body"),
        unless=r"\bin (?:your|ur|his|her|their) body\b",
    ),
    R(
        "sexual.undress", "sexual", 0.85,
        N_("Asks someone to undress or show themselves"),
        r"\b(?:take|get) (?:your|ur|it|them|that|those) (?:\w+ )?(?:top|clothes|shirt|bra"
        r"|knickers|pants|kit|dress) off\b|\bstrip (?:for|off)\b"
        rf"|\b(?:pic|picture|photo|video|selfie|vid) (?:of {YOU} )?in (?:your|ur|the) (?:underwear"
        r"|bra|knickers|lingerie|bikini|shower|bath)\b"
        r"|\bshow me (?:your|ur) (?:body|tits|boobs|ass|bum)\b"
        r"|\bwhat colou?r (?:is|are) (?:your|ur) (?:bra|underwear|knickers|panties|thong)"
        r"|\b(?:look|see|peek) up (?:it|your|ur|her) ?(?:skirt|dress)?\b|\bup (?:your|ur) skirt",
        ("take ur top off", "strip for me", "send a pic of u in the shower",
         "what colour are ur knickers"),
        ("take your coat off, stay a while", "look up the bus times"),
        unless=r"\blook up (?:it|the|your|ur) (?:bus|train|times|number|address|recipe|word)",
    ),
    R(
        "sexual.virgin", "sexual", 0.85,
        N_("Asks intrusive sexual questions"),
        rf"\b(?:are|r) {YOU} (?:a |still a )?virgin\b|\bhow many (?:guys|men|boys|girls|people"
        rf"|blokes|lads|women) (?:have|did|ve) {YOU} (?:slept with|been with|fucked|shagged)"
        rf"|\b(?:ur|you'?re|your|u r|youre) (?:so )?tight\b|\bi'?m (?:so )?(?:hard|wet)\b"
        r"(?! (?:at|working|worker))|\bim (?:so )?(?:hard|wet)\b(?! (?:at|working))",
        ("r u a virgin", "bet ur tight", "i'm so hard right now"),
        ("i'm hard at work", "im wet from the rain"),
        unless=r"\brain\b|\bumbrella|\bsoaked",
    ),
    R(
        "sexual.quid_pro_quo", "sexual", 0.6,
        N_("Hints at sex in exchange for something, or behind a partner's back"),
        r"\byou know what you (?:have|need|got|gotta) to do\b|\bworth (?:your|ur) while\b"
        r"|\bcome to my (?:room|hotel|place|office) (?:after|tonight|later)"
        r"|\bwon'?t tell (?:your|ur) (?:husband|wife|boyfriend|girlfriend|partner|bf|gf)"
        r"|\bwhat you do to me\b|\bescorts?\b|\bhook ?up (?:site|app)|\bsex (?:site|line)\b",
        ("if you want the job you know what you have to do",
         "come to my room after the party"),
        ("you know what you have to do for the exam, revise",),
        unless=r"\bexam|\brevis",
    ),
    R(
        "sexual.rape", "sexual", 0.7,
        N_("Mentions rape"),
        r"\brap(?:e|ed|ing|ist)\b",
        ("i'll rape you",),
        ("the rape crisis centre can help",),
        unless=r"rape (?:crisis|trial|case|charges?|survivors?|support|helpline|line)"
        r"|charged with rape|convicted of rape",
    ),
    R(
        "sexual.emoji_adjective", "sexual", 0.3,
        N_("Uses sexual emoji or words like \"sexy\""),
        r"🍆|💦|🍑|👅|\bsexy\b|\bhot\b|\bnaughty\b|\bkinky\b|\bcam\b|\bshower\b|\bstaring\b",
        ("🍆💦", "u look sexy"),
        ("it's cold today",),
    ),
    # ---- insults and abuse -----------------------------------------------------------------
    R(
        "insult.directed", "insult", 0.85,
        N_("Calls the person an insulting name"),
        rf"\b(?:{YOURE}|{YOU}|ur such|your such|u such|you such)[\s,]+(?:{_MODIFIERS}\s+){{0,4}}"
        rf"(?:{_NOUN_ALT}|{_ADJ_ALT})\b",
        ("you're a worthless piece of shit", "ur so pathetic", "you stupid cow",
         "your such a loser", "you are mentally unstable", "get lost you lazy leech"),
        ("lmao ur such a dork", "i'm such an idiot", "you looked gorgeous today",
         "you're so kind"),
    ),
    R(
        "insult.name_only", "insult", 0.85,
        N_("A message that is only an insulting name"),
        rf"^\W*(?:(?:you|u|ur|ya|such a|what a|a|an|{_MODIFIERS}|{_ADJ_ALT})\W+){{0,4}}"
        rf"(?:{_NOUN_ALT}|{_ADJ_ALT})(?:\W+(?:{_NOUN_ALT}|{_ADJ_ALT}))?"
        r"(?:\W+(?:lol|lmao|haha\w*))?\W*$",
        ("cunt", "stupid fat cow", "useless. absolutely useless", "dumb whore", "ugly ass hoe"),
        ("stupid printer", "idiot sandwich recipe"),
    ),
    R(
        "insult.third_person", "insult", 0.7,
        N_("Calls someone an insulting name"),
        rf"\b(?:she'?s|he'?s|shes|hes|she is|he is|what a|this|that|dox this|they'?re)\s+"
        rf"(?:{_MODIFIERS}\s+){{0,3}}(?:{_NOUN_ALT})\b",
        ("she's a lying whore", "what a joke of a man"),
        ("this joke is great", "that snake at the zoo was huge"),
        unless=r"\b(?:this|that) (?:joke|snake|rat|pig|cow)\b(?! of)",
    ),
    R(
        "insult.worthless", "insult", 0.8,
        N_("Says the person is unloved, worthless or disgusting"),
        rf"\b(?:nobody|no one|noone|no1) (?:will|would|could|is ever going to|is gonna)? ?"
        rf"(?:ever )?"
        rf"(?:loves?|wants?|miss|misses|believes?|likes?|cares? about|stands?|trusts?) {YOU}\b"
        rf"|\b(?:dumb|thick|stupid) as (?:rocks|a brick|a plank|shit|fuck|they come)\b"
        rf"|\b{YOU} ruin (?:everything|every\w+)\b|\bnobody cares about {YOU}\b"
        rf"|\bno wonder (?:no one|nobody|noone|your \w+ left|ur \w+ left)"
        rf"|\bwho (?:could|would|can) (?:ever )?(?:stand|love|want) {YOU}\b"
        rf"|\b{YOU} (?:make|makes) me (?:sick|want to puke|want to vomit)"
        rf"|\b{YOU} (?:disgust|repulse|sicken) me|\beveryone (?:laughs at|hates|pities) {YOU}\b"
        rf"|\b{YOURE} nothing\b(?! to worry)|\bgo back to where (?:you|u) came from"
        rf"|\bshould (?:have|of|'ve) aborted {YOU}|\bjoke of a\b|\bexcuse (?:for|of) a\b"
        rf"|\b(?:go )?cry to (?:your|ur) (?:mummy|mommy|mum|mom)|\bnobody asked {YOU}\b"
        rf"|\b{YOU} (?:stink|smell)\b|\blook at the state of {YOU}\b|\blook at (?:yourself|urself)",
        ("nobody will ever love u", "you disgust me", "ur nothing", "no one believes you",
         "go back to where you came from"),
        ("you're nothing to worry about", "no one will love you more than i do? haha"),
        unless=r"\bmore than i do\b",
    ),
    R(
        "insult.wish_death", "insult", 0.9,
        N_("Tells the person to kill themselves or wishes them dead or ill"),
        r"\bkys\b|\bkill (?:yourself|urself|ur self|your self)\b|\b(?:go|just|pls|please) die\b"
        r"|\b(?:fuck|piss) off and die\b|\bhope (?:you|u) (?:die|rot|get cancer|get hit|burn"
        r"|choke|suffer|crash)\b|\bdrink bleach\b|\bneck (?:yourself|urself)\b"
        r"|\bbetter (?:off )?without (?:you|u)\b|\bno one would miss (?:you|u)\b",
        ("kys", "just go die", "hope u rot", "the world is better off without you"),
        ("hope you have fun",),
    ),
    R(
        "insult.swear_at", "insult", 0.7,
        N_("Swears at the person"),
        r"\bfuck (?:you|u|ya|off|urself|yourself)\b(?!\s+(?:up|so hard|hard|senseless|all night"
        r"|properly|good|raw)\b)|\bstfu\b|\bpiss off\b|\bgo to hell\b"
        r"|\bget fucked\b"
        r"|\bshut (?:the fuck|the hell|ur|your|yer)(?: \w+)? (?:up|mouth|face|trap)\b",
        ("fuck you", "stfu", "piss off", "shut the fuck up", "shut your ugly mouth"),
        ("fuck yeah we won", "the shop is shut", "i'll fuck u up"),
    ),
    R(
        "insult.shut_up", "insult", 0.45,
        N_("Tells the person to shut up"),
        r"\bshut (?:it|up)\b",
        ("shut up",),
        ("the shop is shut",),
    ),
    R(
        "insult.vomit", "insult", 0.35,
        N_("Uses a disgust emoji"),
        r"🤮|🤢|🖕",
        ("look at u 🤮",),
        ("ok",),
    ),
    # ---- personal details exposed ----------------------------------------------------------
    R(
        "exposure.street_address", "exposure", 0.45,
        N_("Contains a street address"),
        r"\b\d{1,4}[a-z]?,?\s+(?:[a-z']+\s+){1,3}(?:street|st|road|rd|avenue|ave|lane|ln|close"
        r"|way|drive|dr|court|ct|crescent|cres|grove|terrace|place|pl|view|gardens|gdns|square|sq"
        r"|row|mews|walk|hill|park|rise|boulevard|blvd|parade|green)\b"
        r"|\b(?:flat|apt|apartment|unit) \d+[a-z]?\b",
        ("she's at 42 Rowan Close", "12 high st", "221b baker street"),
        ("we lost 3-0 on saturday", "at 3.15 today"),
    ),
    R(
        "exposure.phone", "exposure", 0.45,
        N_("Contains a phone number"),
        r"(?<![\d.])(?:\+\d{1,3}[\s-]?)?(?:0?7\d{3}|0\d{2,4}|\(?\d{3}\)?)[\s.-]?\d{3,4}[\s.-]?"
        r"\d{3,4}(?![\d.])|(?<![\d.])\d{3}-\d{4}(?![\d.-])",
        ("07700 900481", "+44 7700 900776", "call 020 7946 0123", "555-0143"),
        ("12/03/2024", "the code is 482913", "3.15pm"),
    ),
    R(
        "exposure.email", "exposure", 0.45,
        N_("Contains an email address"),
        r"\b[\w.+-]+@[\w-]+\.[\w.-]+\b",
        ("lena.marsh@example.com",),
        ("see you @ 5",),
    ),
    R(
        "exposure.id_number", "exposure", 0.75,
        N_("Contains an ID, bank or vehicle number"),
        r"\b[a-z]{2}\s?\d{2}\s?\d{2}\s?\d{2}\s?[a-d]\b"
        r"|\b(?:passport|licen[cs]e|national insurance|ni|ssn|social security|account|acc|card"
        r"|sort code|reg|plate|nhs)(?: number| no\.?| num| plate)?(?: is)?:?\s*"
        r"[a-z]*\d[a-z\d -]{3,}"
        r"|\b[a-z]{2}\d{2}\s?[a-z]{3}\b|\bsort ?code\b|\bmaiden name\b|\bdate of birth\b"
        r"|\b(?:buzz|buzzer|door|gate|alarm|key ?safe) code\b",
        ("qq 12 34 56 c", "passport number is 533802771", "reg plate kx19 abc",
         "her mothers maiden name"),
        ("booking ref is kx77q2", "your verification code is 482913"),
    ),
    R(
        "exposure.possessive_detail", "exposure", 0.4,
        N_("Names someone's address, number or other personal detail"),
        r"\b(?:her|his|your|ur|their|ya|yer|[a-z]+'s|mums|dads)\s+(?:(?:new|home|work|personal"
        r"|mobile|real|current|private|mum'?s|dad'?s|sister'?s|brother'?s|mothers?|driving)\s+){0,2}"
        r"(?:address|number|phone number|mobile number|email|e-mail|workplace|reg plate|postcode"
        r"|national insurance|ni number|ssn|social security|passport|licence|license"
        r"|bank details|sort code|date of birth|dob|maiden name|payslip|details|insta)\b",
        ("her address is", "his new number", "your mum's address", "her driving licence"),
        ("my new number is", "the address of the venue"),
    ),
    R(
        "exposure.disclose", "exposure", 0.65,
        N_("Says someone's details were or will be shared"),
        r"\b(?:post|posted|posting|share|shared|sharing|leak|leaked|leaking|publish\w*|put|putting"
        r"|sent|gave|give|giving|spread\w*|tell|told|telling|show|showing)\b(?! me\b)[\w' ,]{0,40}"
        r"\b(?:address|number|phone|details|email|payslip|where (?:you|u|she|he|they) (?:live|lives"
        r"|work|works|stay|stays))\b"
        r"|\b(?:let|tell|show) (?:everyone|everybody|people|the world|all) (?:know )?where"
        r"|\b(?:address|number|details|email) (?:is|are) (?:all )?(?:over|on) (?:facebook|twitter"
        r"|insta\w*|the internet|online|tiktok|reddit|the group|twitter)\b"
        r"|\b(?:address|number) (?:is )?on (?:twitter|facebook|insta\w*|tiktok|reddit|grindr)\b"
        r"|\bdox+(?:x|ing|ed)?\b|\bthis is (?:where )?(?:she|he|they) lives?\b"
        r"|\b(?:this|here'?s|heres) is (?:her|his|their) (?:new )?(?:number|address|email)"
        r"|\b(?:this is|here'?s|heres) (?:her|his|their) (?:new )?(?:number|address|email)",
        ("ill post your address online", "i gave your number to his mates",
         "tell everyone where she lives", "dox him", "heres his new number"),
        ("give me your address and i'll send the invite", "tell me the code for your phone",
         "drop me your address and i'll post the invite"),
        unless=r"\b(?:give|send|drop|text|share) me (?:your|ur) (?:address|number|email)"
        r"|\b(?:invite|parcel|card|present|delivery)",
    ),
    R(
        "exposure.whereabouts", "exposure", 0.5,
        N_("Says where someone lives, works or their children go to school"),
        r"\b(?:she|he|they|you|u|her \w+|his \w+|your \w+|ur \w+)\s+(?:still\s+)?(?:lives?|living"
        r"|stays?|staying|moved|works?|working)\s+(?:\w+\s+)?(?:at|on|in|to|for|with)\b"
        r"|\bwhere (?:she|he|they) (?:lives?|works?|stays?|sleeps?)\b"
        r"|\b(?:she|he|they|you|u)(?:'s|'re| is| are| was| were) (?:at|on) \d"
        r"|\b(?:your|ur|her|his|their) (?:\w+ )?(?:kids?|son|daughter|children|child|boy|girl"
        r"|grandkids)(?:'s| is| are| go| goes| attends?)?\b[\w' ]{0,25}\b(?:primary|academy|high"
        r"|school|nursery|college|year \d)\b"
        r"|\bnumber \d+ with the\b|\bthe (?:blue|red|green|white|yellow) (?:house|door)\b",
        ("she lives at number 4", "her kids go to st mary's primary", "this is where he works",
         "he works nights at the garage", "she's at 12 elm road"),
        ("i work at the library now", "pick up from school is at 3.15",
         "i know where you live", "can you grab the kids from nursery at 5"),
    ),
    R(
        "exposure.where_you_go", "exposure", 0.3,
        N_("Says they know where the person works or goes"),
        r"\b(?:where|which \w+) (?:you|u|she|he) (?:work|works|go|goes|train|trains|live|lives)\b",
        ("found out where u work", "i know which gym you go to"),
        ("where do you want to go?",),
    ),
    R(
        "exposure.contact_others", "exposure", 0.5,
        N_("Contacts, or threatens to contact, the person's employer, school or family"),
        r"\b(?:tell|told|telling|email\w*|call|called|calling|ring|rang|messag\w+|contact\w*"
        r"|write to|wrote to|report\w*|text\w*|dm\w*|visit\w*) (?:your|ur|her|his|their) (?:\w+ )?"
        r"(?:boss|manager|employer|work|hr|school|landlord|parents|mum|mom|dad|family|husband"
        r"|wife|partner|church|colleagues|teacher)\b"
        r"|\b(?:your|ur|her|his) (?:boss|manager|employer|landlord|parents|family|husband|wife"
        r"|partner)\b[\w' ]{0,25}\bhear from me\b",
        ("i emailed your boss", "i'll tell ur parents", "ur manager would love to hear from me"),
        ("tell your sister i said hi", "call your mum back, she rang twice"),
        unless=r"\b(?:said hi|say hi|said hello|back)\b",
    ),
    R(
        "exposure.has_details", "exposure", 0.6,
        N_("Says they have someone's address, number or other details"),
        r"\b(?:got|have|found|know|has|had|get|getting|gotten|dug up|tracked down) (?:all )?"
        r"(?:your|ur|her|his|their|yer) (?:\w+ )?(?:home address|address|number|phone number"
        r"|details|date of birth|dob|maiden name|bank details|postcode|new place|new address"
        r"|new number)\b(?!\s*(?:\?|again|pls|please|for))|\bfollowed (?:you|u|her|him) home\b",
        ("i have your home address", "got your new number off your cousin",
         "i followed you home"),
        ("have you got my number?", "can i get your number please"),
        unless=r"\b(?:can|could|may) i (?:get|have)\b|\bdo (?:you|u) have\b",
    ),
    R(
        "exposure.incite_contact", "exposure", 0.4,
        N_("Urges others to contact or visit someone"),
        r"\b(?:spam|flood) (?:her|him|them|it)\b|\bgo (?:nuts|say hi|knock|wild)\b|\bhave a word\b"
        r"|\benjoy the (?:visitors|calls|attention|messages)\b|\bcall (?:her|him|them) (?:and|up)\b"
        r"|\bpay (?:her|him|them) a visit\b|\bif anyone (?:wants|needs)\b"
        r"|\bask (?:her|him) what (?:he|she)\b|\bcall (?:her|him) (?:yourself|urself)"
        r"|\b(?:tell|show|send (?:it|this) to) the (?:boys|lads|girls|group|others)\b",
        ("spam her", "go say hi", "enjoy the calls"),
        ("enjoy the film",),
    ),
    # ---- monitoring and control ------------------------------------------------------------
    R(
        "control.know_where", "control", 0.8,
        N_("Says they know where the person is, lives or goes"),
        rf"\b(?:i|we) (?:know|found out|worked out|figured out|can find out) (?:where|which \w+)"
        rf" (?:{YOU}|ur|you'?re) (?:are|r|live|work|go|sleep|stay|staying|been|were|is)?\b"
        rf"|\bi know (?:{YOU}) (?:were|was|went|are|r|work|still work|moved|go)\b"
        rf"|\bfound out where {YOU}\b|\bi know (?:your|ur) (?:new )?(?:place|address|house|flat)"
        rf"|\b(?:not|wasn'?t|wasnt) hard to find\b|\btracked {YOU} down\b"
        rf"|\bfollowed {YOU} (?:home|to|from|there)\b|\bthought (?:you|u) could hide\b",
        ("i know where you are", "i know where u live", "i know you were at the pub",
         "found out where u work"),
        ("i know where you mean", "do you know where the keys are?"),
        unless=r"\bi know where (?:you|u) mean\b",
    ),
    R(
        "control.why_were_you", "control", 0.7,
        N_("Questions why the person was somewhere or with someone"),
        rf"\bwhy (?:were|was|are|r|did) {YOU} (?:at|in|with|on|out|there|so long|go to|going to"
        rf"|go out|leave|left)\b|\bwhat were {YOU} doing (?:at|with|in|out|there|on)\b"
        rf"|\bwhy (?:were|was|are|r) {YOU} (?:online|typing|active)\b",
        ("why were you at the gym", "what were you doing at costa", "why r u online at 2am"),
        ("why were you so happy today?",),
    ),
    R(
        "control.who_with", "control", 0.7,
        N_("Demands to know who the person was with or talking to"),
        rf"\bwho (?:were|was|are|r|is) {YOU} (?:with|talking to|texting|messaging|seeing|meeting"
        rf"|on the phone)\b|\bwho(?:'s| is| was) (?:the|that) (?:guy|girl|man|woman|bloke|lad"
        r"|boy|dude|chick)\b|\bwhose (?:car|house|place|flat|jacket|number|phone|bike) (?:was|is)"
        r"|\bwith that (?:guy|girl|man|woman|bloke|lad)\b|\bwho is [a-z]+\?"
        rf"|\bwho (?:was|were) (?:there )?with {YOU}\b",
        ("who were you with", "who r u texting", "whose car was that", "who's that guy"),
        ("who is coming to the quiz",),
    ),
    R(
        "control.proof", "control", 0.8,
        N_("Demands photos, calls or screenshots to prove where the person is"),
        r"\b(?:send|show|take|give)\b[\w' ]{0,12}\b(?:photo|pic|picture|selfie|video|screenshot"
        r"|snap|vid)\b[\w' ]{0,30}\b(?:where|who|right now|now|prove|proof|room|call log|receipt"
        r"|alone|messages|texts)\b|\bvideo ?call me (?:now|right now)\b"
        r"|\bso i can see (?:who|where|what)\b|\bturn (?:on )?(?:your|ur) camera(?: on)?\b"
        r"|\bprove (?:it|where|who|ur|you)\b",
        ("send me a pic of where u are", "video call me now",
         "show me a screenshot of your messages"),
        ("send me a pic of the dog!!", "take a photo of the view"),
    ),
    R(
        "control.saw_you", "control", 0.65,
        N_("Says they watched the person's movements"),
        rf"\bi (?:saw|seen|watched|noticed|could see|can see) {YOU} (?:left|leave|leaving|go|going"
        rf"|get|getting|come|coming|walk|walking)\b(?:\W*$|[\w' .:]{{0,25}}(?:\bat \d|\bearly\b"
        rf"|\blate\b|\bwith\b|\bin a\b|\bhis\b|\bher\b))|\bi saw (?:your|ur) car\b"
        rf"|\b{YOU} left (?:the house|home|work|the office|at)\b[\w' ]{{0,15}}\d"
        rf"|\b{YOU} were (?:on|at|in) [\w' ]{{1,30}} at \d"
        rf"|\b(?:i )?(?:can|could) see {YOU} (?:were|was|are|r) (?:online|active|typing|reading)"
        rf"|\bi can see (?:everything|every \w+|where|who|what) {YOU}\b|\bi can see {YOU} read"
        rf"|\bi'?m watching {YOU}\b(?! (?:play|on|in the))|\bim watching {YOU}\b(?! play)",
        ("i saw you left at 5", "you left home at 7.40", "i can see everything you do",
         "im watching u", "i saw ur car outside his house"),
        ("saw you at the park earlier! wave next time", "i saw you left your charger at mine",
         "i'm watching you play, go on!"),
    ),
    R(
        "control.password", "control", 0.85,
        N_("Demands the person's passwords, codes or logins"),
        r"\b(?:give|send|tell|text) me (?:your|ur|the|yer) (?:\w+ )?(?:password|passcode|pin|code"
        r"|login|log in|unlock code|details)\b"
        r"|\bwhy (?:did|have) (?:you|u) (?:change|changed) (?:your|ur|the) (?:\w+ )?(?:password"
        r"|passcode|pin|code)\b|\bwhat'?s (?:your|ur|the) (?:phone )?(?:passcode|pin|unlock code)"
        r"|\bwhats (?:your|ur|the) (?:phone )?(?:passcode|pin|unlock code)"
        r"|\bwhat'?s (?:your|ur) (?:\w+ )?(?:password|passcode|pin|login)\b"
        r"|\bwhats (?:your|ur) (?:\w+ )?(?:password|passcode|pin|login)\b"
        r"|\b(?:logged|logging|got|went|been) (?:into|in to) (?:your|ur) (?:icloud|email|account"
        r"|phone|facebook|insta\w*|snapchat|whatsapp|google|gmail|laptop)\b",
        ("give me your password", "tell me the code for ur phone", "whats the passcode",
         "i logged into your icloud"),
        ("did you change the netflix password?", "the wifi password is on the fridge",
         "your bank will never ask for your password"),
    ),
    R(
        "control.phone_access", "control", 0.7,
        N_("Demands the person's phone, cards or messages"),
        r"\b(?:give|hand|show|pass)(?: over)? (?:me )?(?:your|ur|yer) (?:phone|laptop|bank ?card"
        r"|card|cards|pin|messages|keys|wages|money)\b"
        r"|\b(?:i )?(?:read|checked|went through|looked through|go through|going through|check"
        r"|checking) (?:all )?(?:your|ur) (?:messages|texts|phone|emails|dms|chats|whatsapp"
        r"|call log|search history|history|browser|bank|statements|account|location|emails)\b"
        r"|\bi want to (?:check|see|go through|look at) (?:it|your|ur|something|everything)\b",
        ("give me your phone", "i read your messages", "hand over your bank card",
         "i'm checking ur bank statements"),
        ("give me a call when you can",),
    ),
    R(
        "control.forbid", "control", 0.7,
        N_("Forbids the person to go out, see people or dress as they choose"),
        rf"\b{YOURE} not (?:allowed|permitted) to\b|\b{YOU} (?:r |are )?not allowed to\b"
        rf"|\b{YOURE} not to (?:speak|talk|see|go|leave|text|meet|call)\b"
        rf"|\b{YOURE} not (?:wearing|going out in|going out|going there|going anywhere|leaving)\b"
        rf"|\b{YOU} (?:can'?t|cannot|can not|aren'?t|are not|arent|r not) (?:go|going|see|seeing"
        rf"|talk|talking|speak|speaking|wear|wearing|leave|leaving|meet|meeting|text|texting)"
        r"\s+(?:to|out|with|that|him|her|them|your|ur|any|anywhere)\b"
        r"|\b(?:don'?t|dont) you dare (?:go|see|talk|speak|leave|text|call|meet|wear|tell)\b"
        r"|\bunless i say so\b|\b(?:without|need|ask for|asking for) my permission\b"
        r"|\bwho said (?:you|u) could\b|\b(?:you|u) don'?t go (?:out|anywhere)\b"
        r"|\bdont go (?:out|anywhere) unless\b"
        r"|\b(?:don'?t|dont) (?:even )?think about (?:going|seeing|leaving|talking|texting|wearing"
        r"|calling|meeting|telling)\b|\bask (?:me|my permission) (?:before|first)\b"
        r"|\b(?:who|whoever) gave (?:you|u) permission\b|\bhave to ask me\b"
        rf"|\bi (?:don'?t|dont|do not) want {YOU} (?:talking|seeing|going|texting|speaking"
        r"|meeting|wearing|leaving)\b",
        ("you're not allowed to see her", "u cant go out with them",
         "dont you dare go to the party", "you need my permission"),
        ("you can't go wrong with pizza", "don't you dare eat the last brownie",
         "you're not going to believe this"),
    ),
    R(
        "control.isolate", "control", 0.7,
        N_("Tells the person to cut off friends or family"),
        r"\b(?:stop|quit) (?:seeing|talking to|texting|speaking to|hanging out with|messaging)"
        r" (?:your|ur|them|him|her|those|that|any)\b"
        r"|\bdelete (?:him|her|them|his|that)\b[\w' ]{0,25}\b(?:off|from|number|contact)"
        r"|\b(?:isn'?t|is not|isnt|aren'?t|arent) welcome here\b"
        r"|\bnever see (?:the|your|ur) (?:kids|children|son|daughter|family|baby) again"
        r"|\bdelete (?:that|this|the|your|ur) (?:\w+ )?(?:app|account|number|instagram|insta"
        r"|snapchat|facebook|tinder|tiktok|profile)\b",
        ("stop talking to your mum", "delete him off snapchat", "you'll never see the kids again"),
        ("stop talking and eat",),
    ),
    R(
        "control.location", "control", 0.6,
        N_("Demands or tracks the person's location"),
        r"\b(?:turn|switch|put) (?:your|ur) (?:\w+ )?(?:location|gps|find my|tracking|life360)"
        r"\b[\w' ]{0,12}\bon\b"
        r"|\b(?:send|share|drop) (?:me )?(?:your|ur) (?:live )?location\b"
        r"|\bwhy (?:did|have|has|is|was)\b[\w' ]{0,20}\b(?:location|find my|gps|tracking)"
        r"|\btracker\b|\btracking (?:you|u|your|ur)\b|\blife360\b|\bspyware\b|\bstalkerware\b"
        r"|\bmspy\b|\bcheck in with me\b|\bevery (?:place|where) (?:you|u) go\b"
        r"|\btell me where (?:you'?re|you are|ur|u r|youre) going\b"
        r"|\b(?:your|ur) location (?:on|shared|sharing)\b[\w' ,]{0,20}\b(?:all times|always"
        r"|24/7|understood|or else|or)\b"
        r"|\bi (?:check|track|watch) (?:your|ur) (?:location|phone)\b",
        ("turn ur location on", "send me your location", "why is ur location off",
         "check in with me every hour"),
        ("my location sharing is on if u need to find me",),
    ),
    R(
        "control.answer_now", "control", 0.5,
        N_("Demands an answer or a call back at once"),
        r"\banswer (?:me|your phone|ur phone|the phone)\b|\bpick up (?:the|your|ur) (?:fucking )?"
        r"phone\b|\breply (?:in|within|now|right now)\b|\bi (?:called|rang|phoned) (?:you|u) \d+"
        r"|\bwhy (?:are|r) (?:you|u) ignoring me\b|\bunblock me\b"
        r"|\bwhy (?:weren'?t|werent|aren'?t|arent|didn'?t|didnt|don'?t|dont) (?:you|u) (?:answer\w*"
        r"|pick\w* up|reply\w*|respond\w*|text\w* back|call\w* back)"
        r"|\bor (?:i'?m|im|i'?ll|ill) (?:coming|call|calling)\b",
        ("answer me", "pick up the phone", "i called you 14 times", "unblock me"),
        ("can't answer, in a meeting",),
    ),
    R(
        "control.ultimatum", "control", 0.6,
        N_("Sets a curfew or an ultimatum"),
        r"\b(?:don'?t|dont) bother coming (?:home|back)\b|\bor we'?re (?:done|finished|over)\b"
        r"|\bbe home by\b|\bfrom now on (?:you|u)\b|\bi'?ll know if (?:you|u)\b"
        r"|\b(?:don'?t|dont) (?:lie|lie to me)\b|\bwhat are (?:you|u) hiding\b"
        r"|\bwhere (?:did|have) (?:you|u) (?:go|been)\b|\bdidn'?t tell me (?:you|u) were\b"
        r"|\bdidnt tell me (?:you|u) were\b|\bi'?m parked outside (?:your|ur)\b",
        ("be home by 6", "dont bother coming back", "what are u hiding"),
        ("i'll be home by 6",),
        unless=r"\bi'?ll be home by\b",
    ),
    R(
        "control.where_are_you", "control", 0.3,
        N_("Asks where the person is"),
        r"\bwhere (?:are|r|were) (?:you|u)\b",
        ("where are you",),
        ("where is the remote",),
    ),
)

RULES_BY_ID = {rule.id: rule for rule in RULES}


class _Index:
    """Each alternative of each rule, filed under one of its clauses (the one of rarest words).
    An entry is (rule number, alternative, words it needs, whether it needs more than words)."""

    def __init__(self, rules: Sequence[Rule]) -> None:
        self.by_word: dict[str, list[_Entry]] = {}
        by_substring: dict[str, list[_Entry]] = {}
        self.by_digit: list[_Entry] = []
        self.always: list[_Entry] = []
        for number, rule in enumerate(rules):
            for alternative in rule.alternatives:
                more = bool(
                    alternative.needed_substrings or alternative.needs_digits or alternative.any_of
                )
                entry = (number, alternative, alternative.needed_words, more)
                if not alternative.clauses:
                    self.always.append(entry)
                    continue
                for kind, value in min(alternative.clauses, key=_cost):
                    if kind == "w":
                        self.by_word.setdefault(value, []).append(entry)
                    elif kind == "s":
                        by_substring.setdefault(value, []).append(entry)
                    else:
                        self.by_digit.append(entry)
        self.words = frozenset(self.by_word)
        self.ascii_substrings = tuple(
            (value, entries) for value, entries in by_substring.items() if value.isascii()
        )
        self.other_substrings = tuple(
            (value, entries) for value, entries in by_substring.items() if not value.isascii()
        )


_Entry = tuple[int, Alternative, frozenset[str], bool]
_INDEX = _Index(RULES)


def match(norm: str, words: set[str] | None = None) -> list[Rule]:
    """The rules that fire on a normalised message (see `normalise`), in table order. `words`,
    when the caller has them already, are `words_of(norm)`."""
    if words is None:
        words = words_of(norm)
    index = _INDEX
    entries = list(index.always)
    for word in index.words.intersection(words):
        entries += index.by_word[word]
    for value, found in index.ascii_substrings:
        if value in norm:
            entries += found
    if not norm.isascii():
        for value, found in index.other_substrings:
            if value in norm:
                entries += found
    digits = max(map(len, _DIGITS.findall(norm)), default=0) if _DIGIT.search(norm) else 0
    if digits:
        entries += index.by_digit
    fired: set[int] = set()
    for number, alternative, needed, more in entries:
        if (
            number in fired
            or not needed <= words
            or (more and not alternative.possible(words, norm, digits))
        ):
            continue
        if RULES[number]._found(alternative.regex, norm):
            fired.add(number)
    if not fired:
        return []
    return [RULES[n] for n in sorted(fired) if RULES[n]._allowed(norm)]


def match_all(norm: str) -> list[Rule]:
    """The same, trying every rule on the whole message: slower, for checking `match`."""
    return [rule for rule in RULES if rule.fires(norm)]
