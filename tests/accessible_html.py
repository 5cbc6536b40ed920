"""What a screen reader needs from a form's HTML, checked without a browser: every input has a
name (a <label for>, or is inside a fieldset with a legend when it is one of a group of choices),
and every id that aria-describedby or aria-labelledby names is on the page."""

from __future__ import annotations

from html.parser import HTMLParser

GROUPED = {"radio", "checkbox"}
UNLABELLED = {"hidden", "submit", "button", "reset", "image"}


class _Collector(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.ids: set[str] = set()
        self.label_for: set[str] = set()
        self.controls: list[dict[str, str]] = []
        self.references: list[tuple[str, str]] = []
        self._labels_open = 0
        self._fieldsets: list[bool] = []  # per open fieldset: has a legend been seen?

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if "id" in a:
            self.ids.add(a["id"])
        for attr in ("aria-describedby", "aria-labelledby"):
            for ref in a.get(attr, "").split():
                self.references.append((a.get("id", tag), ref))
        if tag == "label":
            self._labels_open += 1
            if a.get("for"):
                self.label_for.add(a["for"])
        elif tag == "fieldset":
            self._fieldsets.append(False)
        elif tag == "legend" and self._fieldsets:
            self._fieldsets[-1] = True
        elif tag in ("input", "textarea", "select"):
            kind = a.get("type", "text") if tag == "input" else tag
            if kind not in UNLABELLED:
                self.controls.append({**a, "_kind": kind,
                                      "_wrapped": str(self._labels_open > 0),
                                      "_in_legend_group": str(any(self._fieldsets))})

    def handle_endtag(self, tag: str) -> None:
        if tag == "label":
            self._labels_open = max(0, self._labels_open - 1)
        elif tag == "fieldset" and self._fieldsets:
            self._fieldsets.pop()


def problems(html: str) -> list[str]:
    """Plain-language problems; an empty list when the form is fine."""
    page = _Collector()
    page.feed(html)
    found = []
    for control in page.controls:
        named = (
            control.get("id", "") in page.label_for
            or control["_wrapped"] == "True"
            or "aria-label" in control
            or "aria-labelledby" in control
        )
        if not named:
            found.append(f"{control['_kind']} {control.get('name')!r} has no label")
        if control["_kind"] in GROUPED and control["_in_legend_group"] != "True" and not named:
            found.append(f"{control['_kind']} {control.get('name')!r} is in no named group")
    for owner, ref in page.references:
        if ref not in page.ids:
            found.append(f"{owner} refers to {ref!r}, which is on no element")
    return found
