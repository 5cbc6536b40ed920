"""The questionnaire every new channel can start from: technology-facilitated abuse.

Plain words, no blame, every question optional (DESIGN.md: trauma-informed). An administrator can
edit the copy an organisation gets; this module only seeds it, in the language active then.

Each fact is asked once. The first question asks whom it happened to; the first step's words fit
both answers, and later questions that speak to the person it happened to come in two wordings,
one shown unless "someone else" was chosen (condition `!someone_else`), one only then. The safety
checklist pre-ticks what the first step already said (TICKED_BY in the default checklist); the
reporter sees those ticks and can take them away. "Who did this?" asks the name and how they are
connected; their usernames, addresses and numbers are asked once: as the scrambled "report
together" details when the reporter holds the report, else as a readable answer.
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from safelight.reports.models import QuestionKind as K
from safelight.triage import default_checklist

WITNESS = "someone_else"


def _checklist_lines(wording: dict[str, str]) -> str:
    """A checklist question's lines: `item | wording | question=choice` (questions.py)."""
    lines = []
    for item in default_checklist.items():
        key = item["key"]
        ticked_by = default_checklist.TICKED_BY.get(key)
        rule = f"{ticked_by[0]}={ticked_by[1]}" if ticked_by else ""
        if wording.get(key) or rule:
            lines.append(f"{key} | {wording.get(key, '')} | {rule}")
    return "\n".join(lines)


def steps() -> list[dict]:
    # Words that fit whether it happened to the reporter or to someone else. The codes are the
    # ones first shipped: an evidence locker's incidents keep them (safelight.evidence.taxonomy).
    abuse_kinds = "\n".join([
        "threats | " + _("Threats, including threats to hurt someone or people close to them"),
        "stalking | " + _("Stalking or monitoring: being watched, followed or checked on"),
        "location | " + _("Location tracking: a tracker, shared location or a phone app"),
        "accounts | " + _("Someone got into or controls accounts or devices"),
        "impersonation | " + _("Someone pretends to be the person, or made fake profiles"),
        "images | " + _("Intimate images shared, or a threat to share them"),
        "doxxing | " + _("Personal details were published (address, phone, workplace)"),
        "coordinated | " + _("Many people harassing together, or organised harassment"),
        "other | " + _("Something else"),
    ])
    happened_to = "\n".join([
        "me | " + _("It happened to me"),
        WITNESS + " | " + _(
            "It happened to someone else, for example a colleague, a friend or someone using "
            "the platform. They will not be contacted without care for their safety."
        ),
    ])
    return [
        {
            "title": _("What happened"),
            "introduction": _(
                "Tell us in your own words, as much or as little as you want. You do not need "
                "to have every detail or any proof. Nothing you write is sent until the last page."
            ),
            "questions": [
                {"key": "happened_to", "kind": K.SINGLE_CHOICE,
                 "label": _("Did this happen to you, or to someone else?"),
                 "help_text": _("Anyone can report: the person it happened to, or someone who "
                                "saw it or was told about it. If it happened to someone else, "
                                "the people handling the report will not contact them without "
                                "care for their safety."),
                 "choices": happened_to},
                {"key": "what_happened", "kind": K.LONG_TEXT,
                 "label": _("What happened?"),
                 "help_text": _("You can write short notes. If something is hard to put into "
                                "words, you can leave it and add it later in a message.")},
                {"key": "abuse_kinds", "kind": K.MULTIPLE_CHOICE,
                 "label": _("Which of these describe what happened?"),
                 "help_text": _("Choose all that fit, or none."),
                 "choices": abuse_kinds},
                {"key": "abuse_other", "kind": K.SHORT_TEXT,
                 "label": _("In a few words, what else happened?"),
                 "show_if": ("abuse_kinds", "other")},
                {"key": "images_now", "kind": K.YES_NO,
                 "label": _("Are the images online right now?"),
                 "help_text": _("If they are, we can help you ask platforms to take them down."),
                 "show_if": ("abuse_kinds", "images")},
            ],
        },
        {
            "title": _("When and where"),
            "introduction": _("Rough dates are fine. If it is still going on, say so."),
            "questions": [
                {"key": "when", "kind": K.DATE_RANGE,
                 "label": _("When did it happen?"),
                 "help_text": _("A single day: put the same date twice, or only the first.")},
                {"key": "ongoing", "kind": K.YES_NO, "label": _("Is it still happening?")},
                {"key": "platforms", "kind": K.LONG_TEXT,
                 "label": _("Which platforms, apps or devices were involved?"),
                 "help_text": _("For example: WhatsApp, Instagram, work email, a shared phone "
                                "plan, a car app, an AirTag or other tracker.")},
            ],
        },
        {
            "title": _("Who was involved"),
            "introduction": _(
                "This is optional. If you name someone, only the people who read this report "
                "will see it."
            ),
            "questions": [
                {"key": "who", "kind": K.LONG_TEXT,
                 "label": _("Who did this, if you know?"),
                 "help_text": _("A name if you know it, and how they are connected: for "
                                "example an ex-partner, a manager, a client, or someone known "
                                "only online.")},
                {"key": "together", "kind": K.REPORT_TOGETHER,
                 "label": _("Would you like to report together with others?"),
                 "help_text": _("Some people only want their report to go ahead if they are "
                                "not the only one. If you choose this, your report is kept "
                                "locked until someone else names the same person. Then both "
                                "reports are opened together.")},
                # Asked once: with report together, these details are given (scrambled) there.
                {"key": "who_details", "kind": K.LONG_TEXT,
                 "label": _("Do you know their usernames, profile links, email addresses or "
                            "phone numbers?"),
                 "help_text": _("Any you know help the people handling the report find the "
                                "right person and accounts."),
                 "show_if": ("together", "!yes")},
                {"key": "excluded", "kind": K.EXCLUDED_RECIPIENTS,
                 "label": _("Is any of these people involved, or should not see this report?"),
                 "help_text": _("Anyone you tick will not be able to open your report, now or "
                                "later. For example a manager who is involved.")},
                {"key": "others_to_avoid", "kind": K.LONG_TEXT,
                 "label": _("Is there anyone else who must not learn about this report?"),
                 "help_text": _("The people handling it will keep them out.")},
            ],
        },
        {
            "title": _("Impact and safety"),
            "introduction": _("Only if you want to say. It helps us understand what is needed "
                              "and how quickly to act."),
            "questions": [
                {"key": "impact", "kind": K.LONG_TEXT,
                 "label": _("How has this affected you?"),
                 "help_text": _("For example on your safety, work, health, money or family."),
                 "show_if": ("happened_to", "!" + WITNESS)},
                {"key": "impact_them", "kind": K.LONG_TEXT,
                 "label": _("As far as you know, how has this affected the person it happened "
                            "to?"),
                 "help_text": _("For example on their safety, work, health, money or family. "
                                "You can also say how it has affected you."),
                 "show_if": ("happened_to", WITNESS)},
                {"key": "safety", "kind": K.RISK_CHECKLIST,
                 "label": _("Do any of these apply to you?"),
                 "help_text": _("Tick any that fit, or none. These are things that can make "
                                "abuse more dangerous; if any apply, the people handling your "
                                "report act faster and will think with you about your "
                                "safety. Some may already be ticked from what you chose on "
                                "the first page: untick any that do not fit. Leaving them "
                                "empty is fine."),
                 "choices": _checklist_lines({}),
                 "show_if": ("happened_to", "!" + WITNESS)},
                {"key": "safety_them", "kind": K.RISK_CHECKLIST,
                 "label": _("As far as you know, do any of these apply to the person it "
                            "happened to?"),
                 "help_text": _("Tick any you know of, or none: you do not need to find out "
                                "more. These are things that can make abuse more dangerous; "
                                "if any apply, the people handling the report act faster. "
                                "They will not contact the person it happened to without "
                                "care for their safety. Some may already be ticked from what "
                                "you chose on the first page: untick any that do not fit."),
                 "choices": _checklist_lines(default_checklist.about_them()),
                 "show_if": ("happened_to", WITNESS)},
                {"key": "tech_dependence_details", "kind": K.SHORT_TEXT,
                 "label": _("Which technology do you depend on?"),
                 "help_text": _("For example a glucose monitor, a hearing aid app or a screen "
                                "reader. It changes what safety advice fits you."),
                 "show_if": ("safety", "assistive")},
                {"key": "tech_dependence_them", "kind": K.SHORT_TEXT,
                 "label": _("Which technology do they depend on?"),
                 "help_text": _("For example a glucose monitor, a hearing aid app or a screen "
                                "reader. It changes what safety advice fits them."),
                 "show_if": ("safety_them", "assistive")},
            ],
        },
        {
            "title": _("What you have done and what you want"),
            "questions": [
                {"key": "already_done", "kind": K.LONG_TEXT,
                 "label": _("Have you already done anything about it?"),
                 "help_text": _("For example blocked someone, told a friend, reported it to a "
                                "platform or the police. There is no right or wrong answer.")},
                {"key": "wanted", "kind": K.LONG_TEXT,
                 "label": _("What would you like to happen?"),
                 "help_text": _("For example: that it stops, help with your accounts, a change "
                                "at work, or just that it is on record.")},
                {"key": "evidence", "kind": K.FILE,
                 "label": _("Would you like to add screenshots, photos or files?"),
                 "help_text": _("Only if you have them and feel ready to. You can also send "
                                "them later.")},
            ],
        },
        {
            "title": _("How to reach you (optional)"),
            "introduction": _(
                "You can stay anonymous: leave this page empty and use your receipt to follow "
                "up. If you give details, they are kept apart from your report and encrypted "
                "separately."
            ),
            "questions": [
                {"key": "name", "kind": K.SHORT_TEXT, "label": _("Your name"),
                 "identity": True},
                {"key": "contact", "kind": K.SHORT_TEXT,
                 "label": _("A safe way to contact you"),
                 "help_text": _("Only one that the person who did this cannot see. Say when "
                                "it is safe to contact you."),
                 "identity": True},
            ],
        },
    ]
