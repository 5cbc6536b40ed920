"""accounts/form_fields.html, the shared field template: labels, help text and errors that a
screen reader reads out with each field (issue 13, item 15)."""

from django import forms
from django.template.loader import render_to_string

from safelight.intake.forms import ReceiptForm
from tests.accessible_html import problems


class _Choices(forms.Form):
    size = forms.ChoiceField(label="Size", choices=[("s", "Small"), ("l", "Large")],
                             widget=forms.RadioSelect, help_text="Pick one.")
    extras = forms.MultipleChoiceField(label="Extras", choices=[("a", "A"), ("b", "B")],
                                       widget=forms.CheckboxSelectMultiple)


def test_it_gives_the_help_text_the_id_the_input_points_at():
    html = render_to_string("accounts/form_fields.html", {"form": ReceiptForm()})
    assert 'aria-describedby="id_receipt_helptext"' in html
    assert 'id="id_receipt_helptext"' in html
    assert '<label for="id_receipt">' in html
    assert problems(html) == []


def test_it_gives_the_error_the_id_the_input_points_at():
    form = ReceiptForm(data={"receipt": ""})
    assert not form.is_valid()
    html = render_to_string("accounts/form_fields.html", {"form": form})
    assert 'aria-describedby="id_receipt_helptext id_receipt_error"' in html
    assert 'id="id_receipt_error"' in html
    assert 'aria-invalid="true"' in html
    assert problems(html) == []


def test_it_puts_a_group_of_choices_in_a_fieldset_named_by_its_legend():
    html = render_to_string("accounts/form_fields.html", {"form": _Choices()})
    assert "<legend>Size</legend>" in html
    assert "<legend>Extras</legend>" in html
    assert 'aria-describedby="id_size_helptext"' in html
    assert 'id="id_size_helptext"' in html
    assert '<label for="">' not in html  # no label that names nothing
    assert problems(html) == []


def test_the_checker_finds_a_reference_to_no_element_and_an_unnamed_input():
    html = '<input type="text" name="a" id="id_a" aria-describedby="id_a_helptext">'
    assert problems(html) == [
        "text 'a' has no label",
        "id_a refers to 'id_a_helptext', which is on no element",
    ]
