"""The risk checklist every organisation starts from, written for technology-facilitated abuse.

Ten items, each with a weight and a short reason for handlers; sources are listed in
docs/triage.md. The weights are a starting point for routing, not a validated risk instrument:
they decide how soon a handler looks, never what the handler concludes. An administrator can edit
the organisation's copy (as a new version); this module only says what it holds, in the language
active then, and safelight.triage.actions.install_default_checklist seeds it.

With these weights (elevated from 3, urgent from 8): a tracker, escalation or threats to share
images alone make a report elevated; a tracker and escalation together make it urgent, as do
threats to kill or harm on their own.
"""

from __future__ import annotations

from django.utils.translation import gettext as _

ELEVATED_AT = 3
URGENT_AT = 8


def name() -> str:
    return _("Safety checklist")


def introduction() -> str:
    return _(
        "These questions help us understand your safety, so we can see how quickly to respond "
        "and what help to offer. Every question is optional: tick any that fit, or none. There "
        "are no wrong answers, and nothing here is your fault. Only the people who read your "
        "report see what you tick."
    )


def items() -> list[dict]:
    """The ten default items, in the order they are asked."""
    return [
        {
            "key": "passwords",
            "weight": 2,
            "urgent_alone": False,
            "question": _(
                "Does the person know any of your passwords, or can they get into or control "
                "your accounts or devices?"
            ),
            "handler_label": _("Knows passwords or controls accounts or devices"),
            "reason": _(
                "Account access lets them read messages, see plans to leave or get help, lock "
                "the person out and impersonate them (Freed et al. 2018). Changing passwords "
                "suddenly can alert them."
            ),
        },
        {
            "key": "shared_plan",
            "weight": 1,
            "urgent_alone": False,
            "question": _(
                "Do you share a phone plan or a family account with the person, for example a "
                "phone contract or a family cloud or app store account?"
            ),
            "handler_label": _("Shared phone plan or family account"),
            "reason": _(
                "The account holder can often see call logs, device locations and purchases, "
                "and can cut off or take back the phone (Freed et al. 2018)."
            ),
        },
        {
            "key": "location",
            "weight": 4,
            "urgent_alone": False,
            "question": _(
                "Can the person see where you are, through location sharing, an app, or a "
                "tracker you did not choose?"
            ),
            "handler_label": _("Location sharing or unknown tracker"),
            "reason": _(
                "Being followed or spied on more than doubles the risk of attempted or actual "
                "partner homicide (McFarlane, Campbell & Watson 2002). Removing a tracker can "
                "alert them: plan safety first."
            ),
        },
        {
            "key": "smart_home",
            "weight": 2,
            "urgent_alone": False,
            "question": _(
                "Does the person control any smart devices in your home, such as cameras, "
                "speakers, doorbells, locks or heating?"
            ),
            "handler_label": _("Smart-home devices they control"),
            "reason": _(
                "Remote control of cameras, locks and heating is used to watch, confuse and "
                "frighten, often after separation (Lopez-Neira et al. 2019, UCL Gender and IoT)."
            ),
        },
        {
            "key": "images",
            "weight": 3,
            "urgent_alone": False,
            "question": _(
                "Has the person shared, or threatened to share, intimate or sexual photos or "
                "videos of you?"
            ),
            "handler_label": _("Shared or threatened to share intimate images"),
            "reason": _(
                # xgettext:no-python-format ("83% of" is a percentage, not a placeholder)
                "Sharing or the threat of it is a tool of coercive control, usually alongside "
                "other abuse (Refuge 2020: 83% of those threatened by a partner also suffered "
                "other abuse); used to silence and isolate."
            ),
        },
        {
            "key": "threats",
            "weight": 6,
            "urgent_alone": True,
            "question": _(
                "Has the person threatened to kill or hurt you, your children or someone close "
                "to you?"
            ),
            "handler_label": _("Threats to kill or harm"),
            "reason": _(
                "Threats to kill are among the strongest risk factors for intimate partner "
                "homicide (Campbell et al. 2003; a high-risk question of the DASH checklist). "
                "Urgent on their own."
            ),
        },
        {
            "key": "escalation",
            "weight": 4,
            "urgent_alone": False,
            "question": _(
                "Is what the person does to you happening more often, or getting worse?"
            ),
            "handler_label": _("Abuse more frequent or severe"),
            "reason": _(
                "Escalation is a recognised warning sign of serious harm: the first item of the "
                "Danger Assessment, a DASH question, and stage 5 of Monckton Smith's homicide "
                "timeline."
            ),
        },
        {
            "key": "tech_expertise",
            "weight": 2,
            "urgent_alone": False,
            "question": _(
                "As far as you know, is the person very skilled with technology, or do they "
                "work in IT or for a phone or internet company?"
            ),
            "handler_label": _("Technical expertise, or works in IT or telecoms"),
            "reason": _(
                "Most tech abuse needs no skill, but an expert or an insider with access to "
                "records can hide spyware and evade usual checks: plan for a capable adversary "
                "(Freed et al. 2018; Havron et al. 2019)."
            ),
        },
        {
            "key": "assistive",
            "weight": 2,
            "urgent_alone": False,
            "question": _(
                "Do you rely on a device or app for your health, care or getting around, such "
                "as a medical device or a hearing or communication aid?"
            ),
            "handler_label": _("Depends on technology for medical or assistive reasons"),
            "reason": _(
                "Disabled people face more domestic abuse (Public Health England 2015), for "
                "longer (SafeLives 2017); an abuser who controls a needed device can cause "
                "direct harm, and advice like “switch it off” may be unsafe."
            ),
        },
        {
            "key": "children",
            "weight": 2,
            "urgent_alone": False,
            "question": _(
                "Are any children's phones, tablets, watches or toys part of what is happening "
                "to you, for example gifts from the person or devices they set up?"
            ),
            "handler_label": _("Children's devices involved"),
            "reason": _(
                "Children's devices and gifts are used to track and contact a parent, often "
                "around child contact, and children may be at risk themselves (DASH asks about "
                "child contact; Freed et al. 2018)."
            ),
        },
    ]


def about_them() -> dict[str, str]:
    """The items asked about the person it happened to, for someone reporting what happened to
    someone else (a witness): the default questionnaire's witness checklist question uses these
    words instead of the items' own (safelight.intake.questions.checklist_lines)."""
    return {
        "passwords": _("Does the person who did this know their passwords, or can they get into "
                       "or control their accounts or devices?"),
        "shared_plan": _("Do they share a phone plan or a family account with the person who "
                         "did this?"),
        "location": _("Can the person who did this see where they are, through location "
                      "sharing, an app, or a tracker they did not choose?"),
        "smart_home": _("Does the person who did this control any smart devices in their home, "
                        "such as cameras, speakers, doorbells, locks or heating?"),
        "images": _("Has the person who did this shared, or threatened to share, intimate or "
                    "sexual photos or videos of them?"),
        "threats": _("Has the person who did this threatened to kill or hurt them, their "
                     "children or someone close to them?"),
        "escalation": _("Is what is done to them happening more often, or getting worse?"),
        "tech_expertise": _("As far as you know, is the person who did this very skilled with "
                            "technology, or do they work in IT or for a phone or internet "
                            "company?"),
        "assistive": _("Do they rely on a device or app for their health, care or getting "
                       "around, such as a medical device or a hearing or communication aid?"),
        "children": _("Are any children's phones, tablets, watches or toys part of what is "
                      "happening to them?"),
    }


# Which answer of the default questionnaire's first step already says an item: the checklist
# question pre-ticks it from there (the person sees it ticked and can untick it), so that the
# fact is not asked twice. Each pair is (question code, choice code).
TICKED_BY = {
    "passwords": ("abuse_kinds", "accounts"),
    "location": ("abuse_kinds", "location"),
    "images": ("abuse_kinds", "images"),
    "threats": ("abuse_kinds", "threats"),
}
