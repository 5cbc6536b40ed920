"""The reply templates an organisation can start from, one for each kind of reply.

Written to the principles of trauma-informed, survivor-centred response to technology-facilitated
abuse: believe, never blame, never ask for a retelling, plain words, say what happens next and
when, remind of safety where a device or account may be watched, say who reads what and where
confidentiality ends. Words in [square brackets] are notes for the handler to replace.

They have NOT been reviewed by an expert for any organisation, so they are installed with no
reviewer and no review date: the handler sees "not yet reviewed" until the organisation's own
expert has reviewed them and an administrator has recorded it. They are installed by
safelight.cases.template_actions.install_default_templates, one row a language in every language
Safelight speaks, their words from the gettext catalogues (translations that are drafts until a
native speaker has reviewed them: a reason more to have them reviewed before relying on them).
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from safelight.cases.models import TemplateKind


def templates() -> list[dict]:
    """kind, name and body of each default template, in the language active now."""
    return [
        {
            "kind": TemplateKind.ACKNOWLEDGEMENT,
            "name": _("Acknowledgement: your report has reached us"),
            "body": _(
                "Hello,\n"
                "\n"
                "Thank you for telling us what happened. We know this may not have been easy. "
                "Your report has reached us. Its reference is {reference}.\n"
                "\n"
                "My name is {handler}. I am one of the people at {organisation} who read reports "
                "sent through “{channel}”.\n"
                "\n"
                "We take what you told us seriously. Nobody should be treated like this, and you "
                "were right to tell us. You do not need proof, and you do not need to have every "
                "detail.\n"
                "\n"
                "We have read everything you sent, and you will not need to tell it again. If "
                "something is unclear to us, we will ask you one specific question here, and you "
                "can choose whether to answer.\n"
                "\n"
                "What happens next\n"
                "- We will look at what you told us and at what we can do, starting with anything "
                "that could help you feel safer now.\n"
                "- We will write to you here by {feedback_by} at the latest to tell you what we "
                "are doing. We hope to be in touch well before then, and we will write sooner if "
                "we have a question or news.\n"
                "- We will talk with you before we take any step that affects you.\n"
                "- You can write to us here at any time: to add something, to ask a question, to "
                "tell us what you would like to happen, or to say you want to pause.\n"
                "\n"
                "Who can read this\n"
                "Only the people who handle reports sent through this channel can read what you "
                "wrote. We will not share it without talking with you first. There are rare "
                "exceptions: if we believe someone is in immediate danger, or if the law requires "
                "us to. Even then, we will tell you first wherever we can, and share only what is "
                "needed.\n"
                "\n"
                "Your safety\n"
                "If someone might be able to see your phone, computer or accounts, it may be "
                "safer to read our messages from a device they cannot reach. Keep your receipt "
                "somewhere only you can find it. If you are in danger right now, call the "
                "emergency services.\n"
                "\n"
                "With care,\n"
                "{handler}\n"
                "{organisation}"
            ),
        },
        {
            "kind": TemplateKind.MORE_INFORMATION,
            "name": _("Request for more information: one specific question"),
            "body": _(
                "Hello,\n"
                "\n"
                "Thank you again for your report ({reference}). We have read everything you "
                "sent, and you do not need to go over any of it again.\n"
                "\n"
                "There is one thing that would help us [understand / act on] your report:\n"
                "\n"
                "[Write one or two specific questions. Ask only what you really need, and say "
                "why you need it. Never ask the reporter to describe what happened again.]\n"
                "\n"
                "Answer only if and when you feel ready. A few words are enough. “I don't know”, "
                "“I don't remember” and “I'd rather not say” are all fine answers. If you choose "
                "not to answer, we will carry on with what you have already told us, and we will "
                "tell you if that limits what we can do.\n"
                "\n"
                "If you want to send screenshots or other files, you can attach them to your "
                "reply. Send only what you are comfortable sharing. Please do not put yourself at "
                "risk to collect anything new, and do not contact the other person to get it.\n"
                "\n"
                "If someone might be able to see your phone, computer or accounts, it may be "
                "safer to answer from a device they cannot reach.\n"
                "\n"
                "Whatever you decide, we will keep you updated here.\n"
                "\n"
                "With care,\n"
                "{handler}"
            ),
        },
        {
            "kind": TemplateKind.REFERRAL,
            "name": _("Referral: services that can help"),
            "body": _(
                "Hello,\n"
                "\n"
                "While we work on your report ({reference}), you may want support from people "
                "who specialise in this. These services may be able to help:\n"
                "\n"
                "{referrals}\n"
                "\n"
                "[Check the list above. For each service, say what it can help with, how to reach "
                "it and when it is open.]\n"
                "\n"
                "Good to know\n"
                "- These services are independent of {organisation}. Contacting them is your "
                "choice, and it does not change how we handle your report.\n"
                "- We have not shared your report or your details with any of them. If you would "
                "like us to contact a service for you, tell us here, and we will agree with you "
                "first exactly what to share.\n"
                "- You decide what to tell a service. You do not have to tell them everything.\n"
                "\n"
                "If you are worried that your devices or accounts are being watched\n"
                "- It may be safer to contact these services from a device or account the other "
                "person cannot reach, such as a trusted friend's phone or a public computer. Your "
                "browsing history and call log can show who you contacted.\n"
                "- If you think there is spying software on your phone, or someone can get into "
                "your accounts, talk to a specialist before you remove anything or change "
                "passwords. Removing an app or locking someone out can alert them, and can also "
                "remove evidence. A specialist can help you plan the safest way to do it.\n"
                "\n"
                "If you are in danger right now, call the emergency services.\n"
                "\n"
                "With care,\n"
                "{handler}"
            ),
        },
        {
            "kind": TemplateKind.INTERIM_MEASURES,
            "name": _("Interim measures: support while we look into your report"),
            "body": _(
                "Hello,\n"
                "\n"
                "While we look into your report ({reference}), we want to help you feel safer "
                "[at work / on our platform] now. These are things we can put in place straight "
                "away:\n"
                "\n"
                "[List only what you can really offer, in plain words. For example:\n"
                "- a change of team, shift or place of work, so you do not have to be near the "
                "other person, with no loss of pay or status\n"
                "- working from home, or flexible hours\n"
                "- help from a specialist to secure your accounts and devices\n"
                "- a new work phone, number or account\n"
                "- asking for content to be taken down\n"
                "- paid time off]\n"
                "\n"
                "None of these is a decision about your report, and none of them is a punishment "
                "for you. Any change should make things easier for you, not harder. If something "
                "we suggest would leave you worse off, tell us and we will look for another way.\n"
                "\n"
                "You can say yes, no or “not yet” to each one, and you can change your mind later. "
                "If something else would help, please tell us. You know your situation best.\n"
                "\n"
                "We will not change anything about your work, your accounts or your devices "
                "without your agreement. Some steps, such as telling the other person to stay "
                "away from you, may let them know that a concern has been raised. We will talk "
                "this through with you before we do anything, so that we can plan for your "
                "safety together.\n"
                "\n"
                "Please reply here with what you would like, or tell us if you would rather talk "
                "it through first.\n"
                "\n"
                "With care,\n"
                "{handler}"
            ),
        },
        {
            "kind": TemplateKind.OUTCOME,
            "name": _("Outcome: what we decided and what happens now"),
            "body": _(
                "Hello,\n"
                "\n"
                "We have finished looking into your report ({reference}), and we want you to "
                "hear the outcome from us first. Thank you for trusting us with this, and for "
                "your patience.\n"
                "\n"
                "What we found\n"
                "[In plain words: what we decided and why, as far as we can share it. Avoid legal "
                "terms.]\n"
                "\n"
                "What we have done\n"
                "[The actions taken, as far as we can share them. If privacy rules stop us giving "
                "details about another person, say so plainly, and say what we can share.]\n"
                "\n"
                "[Keep this paragraph if we could not confirm what happened:] Not being able to "
                "confirm what happened is not the same as not believing you. It means we could "
                "not establish it to the standard we have to use. Telling us was still the right "
                "thing to do.\n"
                "\n"
                "What happens now\n"
                "- [Say which support measures continue and which end, and when.] We will talk "
                "with you before we change any of them.\n"
                "- We will check in with you here in the coming months to ask whether anyone has "
                "treated you worse since you reported. Treating someone worse because they "
                "reported is not allowed. If it happens, tell us here at any time, and we will "
                "act on it.\n"
                "- If you disagree with the outcome or with how we handled your report, you can "
                "tell us here. [Say how to ask for a review or appeal, and which outside body the "
                "reporter can turn to.]\n"
                "- What you told us stays confidential, as before.\n"
                "\n"
                "Support is still there for you, whatever you decide to do next:\n"
                "{referrals}\n"
                "\n"
                "You can keep reading and writing here with your receipt. Keep it somewhere only "
                "you can find it.\n"
                "\n"
                "With care,\n"
                "{handler}"
            ),
        },
        {
            "kind": TemplateKind.CHECK_IN,
            "name": _("Check-in: how are things since you reported?"),
            "body": _(
                "Hello,\n"
                "\n"
                "We are writing, as we said we would, to ask how you are since your report "
                "({reference}).\n"
                "\n"
                "Since you reported, has anyone treated you worse because of it? For example: "
                "left you out, changed your work or shifts, made threats, spread rumours, or "
                "contacted or watched you online.\n"
                "\n"
                "You do not have to answer, and you do not need to go over what happened before. "
                "A short “yes”, “no” or “I'd like to talk” is enough.\n"
                "\n"
                "If something has happened, it is not your fault. Treating someone worse because "
                "they reported is not allowed, and we will act on it. We will talk with you "
                "before we take any step.\n"
                "\n"
                "If anything else has changed, or you would like support now, tell us here.\n"
                "\n"
                "If someone might be able to see your phone, computer or accounts, it may be "
                "safer to answer from a device they cannot reach. If you are in danger right "
                "now, call the emergency services.\n"
                "\n"
                "With care,\n"
                "{handler}"
            ),
        },
    ]
