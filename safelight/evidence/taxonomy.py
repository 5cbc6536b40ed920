"""The kinds of abuse an incident can be: the same taxonomy as the intake's questionnaire."""

from __future__ import annotations

from safelight.intake import default_questionnaire


def abuse_kinds() -> list[tuple[str, str]]:
    """(key, label) pairs in the questionnaire's order, in the active language."""
    for step in default_questionnaire.steps():
        for question in step["questions"]:
            if question["key"] == "abuse_kinds":
                return [
                    (key.strip(), label.strip())
                    for key, _sep, label in (
                        line.partition("|") for line in question["choices"].splitlines())
                ]
    raise LookupError("the default questionnaire has no abuse_kinds question")


def kind_label(key: str) -> str:
    return dict(abuse_kinds()).get(key, key)
