"""A service as plain text for a handler's reply."""

from safelight.referrals.text import referral_text, referrals_text
from tests.referrals.conftest import make_service


def test_it_writes_everything_a_reporter_needs_to_make_contact(counselling):
    assert referral_text(counselling) == "\n".join([
        "Harbour Counselling (run by Harbour Trust)",
        "Trauma-informed counselling for adults.",
        "Phone: 01632 960 345",
        "Text message: 07700 900 345",
        "Email: hello@harbour.example.org",
        "Website: https://harbour.example.org/",
        "Web chat: https://harbour.example.org/chat",
        "Opening hours: Monday to Thursday 09:00-19:00; Friday 09:00-15:00",
        "Where it helps: Westmoor, North Dale",
        "Languages: English, Welsh, British Sign Language",
        "Accessibility: Sessions by video with BSL interpreters.",
        "Who it is for: Adults aged 18 and over.",
        "Cost: Free",
    ])


def test_it_leaves_out_what_the_entry_does_not_say(organisation):
    service = make_service(organisation, name="Quiet Line", phone="0808 157 0999")
    assert referral_text(service) == "Quiet Line\nPhone: 0808 157 0999"


def test_it_separates_several_services_with_a_blank_line(counselling, law_line):
    text = referrals_text([law_line, counselling])
    assert text.startswith("Family Law Advice Line\n")
    assert "\n\nHarbour Counselling (run by Harbour Trust)\n" in text
