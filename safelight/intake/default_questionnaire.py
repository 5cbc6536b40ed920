"""The questionnaire every new channel can start from: technology-facilitated abuse.

Plain words, no blame, every question optional (DESIGN.md: trauma-informed). An administrator can
edit the copy an organisation gets; this module only seeds it, in the language active then.
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from safelight.intake.models import QuestionKind as K


def steps() -> list[dict]:
    abuse_kinds = "\n".join([
        "threats | " + _("Threats, including threats to hurt you or people close to you"),
        "stalking | " + _("Stalking or monitoring: being watched, followed or checked on"),
        "location | " + _("Location tracking: a tracker, shared location or a phone app"),
        "accounts | " + _("Someone got into or controls your accounts or devices"),
        "impersonation | " + _("Someone pretends to be you, or made fake profiles"),
        "images | " + _("Intimate images shared, or a threat to share them"),
        "doxxing | " + _("Your personal details were published (address, phone, workplace)"),
        "coordinated | " + _("Many people harassing you together, or organised harassment"),
        "other | " + _("Something else"),
    ])
    return [
        {
            "title": _("What happened"),
            "introduction": _(
                "Tell us in your own words, as much or as little as you want. You do not need "
                "to have every detail or any proof. Nothing you write is sent until the last page."
            ),
            "questions": [
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
                 "help_text": _("A name, a username, a profile link, or how you know them.")},
                {"key": "together", "kind": K.REPORT_TOGETHER,
                 "label": _("Would you like to report together with others?"),
                 "help_text": _("Some people only want their report to go ahead if they are "
                                "not the only one. If you choose this, your report is kept "
                                "locked until someone else names the same person. Then both "
                                "reports are opened together.")},
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
            "title": _("How it affects you, and your safety"),
            "introduction": _("Only if you want to say. It helps us understand what you need "
                              "and how quickly to act."),
            "questions": [
                {"key": "impact", "kind": K.LONG_TEXT,
                 "label": _("How has this affected you?"),
                 "help_text": _("For example on your safety, work, health, money or family.")},
                {"key": "safety", "kind": K.RISK_CHECKLIST,
                 "label": _("Do any of these apply to you?"),
                 "help_text": _("Tick any that fit, or none. These are things that can make "
                                "abuse more dangerous; if any apply, the people handling your "
                                "report act faster and will think with you about your "
                                "safety. Leaving them empty is fine.")},
                {"key": "tech_dependence_details", "kind": K.SHORT_TEXT,
                 "label": _("Which technology do you depend on?"),
                 "help_text": _("For example a glucose monitor, a hearing aid app or a screen "
                                "reader. It changes what safety advice fits you."),
                 "show_if": ("safety", "assistive")},
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
                 "help_text": _("Only one the person who hurt you cannot see. Say when it is "
                                "safe to contact you."),
                 "identity": True},
            ],
        },
    ]
