"""The checklist as a form: reporter wording, handler labels and reasons, a list of keys."""

import re

from django import forms

from safelight.triage.forms import ChecklistForm, checklist_field


def test_it_asks_reporters_in_their_own_words(checklist):
    form = ChecklistForm(checklist, for_handler=False)
    assert list(form.fields) == ["checked"]
    html = str(form)
    assert ("Does the person know any of your passwords, or can they get into or control "
            "your accounts or devices?") in html
    assert 'type="checkbox"' in html
    assert "Knows passwords or controls accounts" not in html  # the handler's label
    assert "Freed et al." not in html  # the reasons are for handlers
    assert "nothing here is your fault" in html  # the introduction, as help text


def test_it_shows_handlers_labels_and_reasons(checklist):
    form = ChecklistForm(checklist, for_handler=True)
    assert list(form.fields) == ["checked", "note"]
    html = str(form)
    assert "<strong>Knows passwords or controls accounts or devices</strong>" in html
    assert "Freed et al. 2018" in html
    assert "urgent on its own" in html
    assert "Does the person know" not in html


def test_it_escapes_what_an_administrator_wrote(checklist):
    item = checklist.items.get(key="passwords")
    item.handler_label = "<script>alert(1)</script>"
    item.save()
    html = str(ChecklistForm(checklist, for_handler=True))
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;" in html


def test_it_cleans_to_item_keys_in_checklist_order(checklist):
    form = ChecklistForm(checklist, for_handler=True,
                         data={"checked": ["children", "threats"], "note": "  Call first.  "})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["checked"] == ["threats", "children"]
    assert form.checked == ["threats", "children"]
    assert form.note == "Call first."


def test_it_accepts_nothing_ticked(checklist):
    form = ChecklistForm(checklist, for_handler=False, data={})
    assert form.is_valid()
    assert form.cleaned_data["checked"] == []
    assert form.note == ""


def test_it_explains_an_unknown_choice_and_keeps_the_input(checklist):
    form = ChecklistForm(checklist, for_handler=True,
                         data={"checked": ["threats", "made-up"], "note": "Kept."})
    assert not form.is_valid()
    assert "checked" in form.errors
    html = str(form)
    assert "Kept." in html
    assert re.search(r'value="threats"[^>]* checked>', html)
    assert not re.search(r'value="location"[^>]* checked>', html)


def test_it_refuses_an_overlong_note(checklist):
    form = ChecklistForm(checklist, for_handler=True, data={"note": "x" * 10_001})
    assert not form.is_valid()
    assert "note" in form.errors


def test_it_starts_from_an_earlier_assessment(checklist):
    form = ChecklistForm(checklist, for_handler=True,
                         initial={"checked": ["location"], "note": "Earlier note."})
    html = str(form)
    assert "Earlier note." in html
    assert re.search(r'value="location"[^>]* checked>', html)
    assert not re.search(r'value="threats"[^>]* checked>', html)


def test_it_gives_the_intake_questionnaire_just_the_field(checklist):
    field = checklist_field(checklist, label="Your safety", help_text="Optional.")
    assert isinstance(field, forms.MultipleChoiceField)
    assert isinstance(field.widget, forms.CheckboxSelectMultiple)
    assert (field.label, field.help_text, field.required) == ("Your safety", "Optional.", False)
    assert [key for key, _label in field.choices][:2] == ["passwords", "shared_plan"]
    assert field.clean(["shared_plan", "passwords"]) == ["passwords", "shared_plan"]
    assert field.clean([]) == []
    default = checklist_field(checklist)
    assert (default.label, default.help_text) == (checklist.name, checklist.introduction)
