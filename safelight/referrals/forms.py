from __future__ import annotations

from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from safelight.accounts.models import Organisation
from safelight.forms import NoAutofill
from safelight.referrals import languages
from safelight.referrals.models import Category


class SearchForm(NoAutofill, forms.Form):
    """The reporter-side search: every field optional, sent with POST (nothing in the address)."""

    q = forms.CharField(label=_("Words to look for"), required=False, max_length=200)
    category = forms.ChoiceField(label=_("Kind of help"), required=False)
    region = forms.ChoiceField(label=_("Where you are"), required=False)
    language = forms.ChoiceField(label=_("Language"), required=False)

    def __init__(self, *args: Any, regions: list[str], language_codes: list[str],
                 **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._choice("category").choices = [("", _("Any kind of help")), *Category.choices]
        self._choice("region").choices = [("", _("Anywhere")), *((r, r) for r in regions)]
        self._choice("language").choices = [
            ("", _("Any language")),
            *((code, languages.language_name(code)) for code in language_codes),
        ]

    def _choice(self, name: str) -> forms.ChoiceField:
        return cast(forms.ChoiceField, self.fields[name])


class ImportForm(forms.Form):
    organisation = forms.ModelChoiceField(
        label=_("Directory of"), queryset=Organisation.objects.order_by("name"), empty_label=None
    )
    file = forms.FileField(
        label=_("HSDS file"),
        help_text=_("Open Referral HSDS: a JSON file, or a zip of CSV files with "
                    "datapackage.json. Entries are matched on their id: existing ones are "
                    "updated, new ones added."),
    )


class ExportForm(forms.Form):
    organisation = forms.ModelChoiceField(
        label=_("Directory of"), queryset=Organisation.objects.order_by("name"), empty_label=None
    )
    format = forms.ChoiceField(
        label=_("Format"),
        choices=[("json", _("HSDS JSON (one file)")), ("csv", _("HSDS CSV (a zip of tables)"))],
        widget=forms.RadioSelect,
        initial="json",
    )
