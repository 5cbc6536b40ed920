from __future__ import annotations

import datetime
from typing import TYPE_CHECKING, Any, cast

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from safelight.crypto import InvalidPassphrase
from safelight.crypto.passphrases import normalize_passphrase
from safelight.evidence.taxonomy import abuse_kinds
from safelight.forms import SECRET_INPUT_ATTRS, NoAutofill
from safelight.intake.questions import MultipleFileField

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

TEXT_LIMIT = 50_000


class PassphraseForm(NoAutofill, forms.Form):
    passphrase = forms.CharField(
        label=gettext_lazy("Your passphrase"),
        max_length=300,
        help_text=gettext_lazy("The seven words you were given when you made your locker. Capitals "
                               "and what you put between the words do not matter."),
        widget=forms.TextInput(attrs=SECRET_INPUT_ATTRS),
    )

    def clean_passphrase(self) -> str:
        try:
            return normalize_passphrase(self.cleaned_data["passphrase"])
        except InvalidPassphrase as exc:
            if exc.position is not None:
                position = exc.position
                raise ValidationError(_(
                    "Word %(position)s is not one of the passphrase words. Check its spelling."
                ) % {"position": position}) from exc
            raise ValidationError(_(
                "A passphrase has seven words. Check that you typed all of them."
            )) from exc


def _text(label: StrOrPromise, *, rows: int = 4, help_text: StrOrPromise = "") -> forms.CharField:
    return forms.CharField(label=label, required=False, max_length=TEXT_LIMIT, help_text=help_text,
                           widget=forms.Textarea(attrs={"rows": rows}))


class IncidentForm(NoAutofill, forms.Form):
    title = forms.CharField(label=gettext_lazy("A short title"), required=False, max_length=200,
                            help_text=gettext_lazy("Only for you to find it again, e.g. "
                                                   "“Messages after the party”."))
    start_date = forms.DateField(label=gettext_lazy("When did it happen? (date)"), required=False,
                                 widget=forms.DateInput(attrs={"type": "date"}))
    start_time = forms.TimeField(label=gettext_lazy("Time, if you know it"), required=False,
                                 widget=forms.TimeInput(attrs={"type": "time"}))
    end_date = forms.DateField(label=gettext_lazy("If it went on for a while: until (date)"),
                               required=False, widget=forms.DateInput(attrs={"type": "date"}))
    end_time = forms.TimeField(label=gettext_lazy("Until (time)"), required=False,
                               widget=forms.TimeInput(attrs={"type": "time"}))
    kind = forms.ChoiceField(label=gettext_lazy("What kind of abuse was it?"), required=False)
    platform = forms.CharField(label=gettext_lazy("Platform, app or device"), required=False,
                               max_length=500,
                               help_text=gettext_lazy("For example Instagram, WhatsApp, an AirTag, "
                                                      "your laptop."))
    who = _text(gettext_lazy("Who did it?"), rows=2, help_text=gettext_lazy(
        "Names, usernames, profile links, phone numbers or email addresses, as you know them."))
    what = _text(gettext_lazy("What happened?"), rows=6)
    impact = _text(gettext_lazy("How did it affect you?"), rows=3, help_text=gettext_lazy(
        "Only if you want to. For example fear, missed work, moving home, costs."))
    urls = _text(gettext_lazy("Links"), rows=3, help_text=gettext_lazy(
        "One link per line. If you saw it at another time than now, put the date and time "
        "after it, e.g. https://example.com/post/1 2026-03-02 21:40"))
    notes = _text(gettext_lazy("Notes"), rows=3)
    # Django's form metaclass moves declared fields into base_fields, so this never shadows
    # Form.files (the uploaded files) as the stubs, which cannot know that, assume.
    files = MultipleFileField(  # type: ignore[assignment]
        label=gettext_lazy("Screenshots, photos or files"), required=False,
        help_text=gettext_lazy("They are kept exactly as they are, with their hidden details, "
                               "because those can be evidence."))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["kind"]).choices = [
            ("", _("Choose if one fits")), *abuse_kinds()]

    def clean_urls(self) -> list[dict[str, str]]:
        found = []
        check = URLValidator(schemes=["http", "https"])
        now = timezone.localtime().strftime("%Y-%m-%d %H:%M")
        for number, line in enumerate(self.cleaned_data["urls"].splitlines(), start=1):
            parts = line.strip().split(None, 1)
            if not parts:
                continue
            url, captured = parts[0], (parts[1].strip() if len(parts) > 1 else now)
            try:
                check(url)
            except ValidationError:
                raise ValidationError(_(
                    "Line %(number)s is not a web link. Links start with https:// or http://."
                ) % {"number": number}) from None
            if captured != now and not _parse_moment(captured):
                raise ValidationError(_(
                    "On line %(number)s, write the date and time as 2026-03-02 21:40, or leave "
                    "them out."
                ) % {"number": number})
            found.append({"url": url, "captured_at": captured})
        return found

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        start, end = _moment(data, "start"), _moment(data, "end")
        if data.get("start_time") and not data.get("start_date"):
            self.add_error("start_date", _("Add the date as well as the time."))
        if data.get("end_time") and not data.get("end_date"):
            self.add_error("end_date", _("Add the date as well as the time."))
        if start and end and end < start:
            self.add_error("end_date", _("This is before the start. Check both dates."))
        return data

    def content(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "title": data["title"].strip(),
            "start": _moment(data, "start") or "",
            "end": _moment(data, "end") or "",
            "kind": data["kind"],
            "platform": data["platform"].strip(),
            "who": data["who"].strip(),
            "what": data["what"].strip(),
            "impact": data["impact"].strip(),
            "notes": data["notes"].strip(),
            "urls": data["urls"],
        }

    @classmethod
    def initial_from(cls, content: dict[str, Any]) -> dict[str, Any]:
        initial = {k: content.get(k, "") for k in
                   ("title", "kind", "platform", "who", "what", "impact", "notes")}
        for side in ("start", "end"):
            value = content.get(side) or ""
            if value:
                date, _sep, time = value.partition("T")
                initial[f"{side}_date"] = date
                initial[f"{side}_time"] = time
        initial["urls"] = "\n".join(
            f"{u['url']} {u['captured_at']}" for u in content.get("urls", []))
        return initial


def _moment(data: dict[str, Any], side: str) -> str | None:
    date: datetime.date | None = data.get(f"{side}_date")
    time: datetime.time | None = data.get(f"{side}_time")
    if not date:
        return None
    if time:
        return f"{date.isoformat()}T{time.strftime('%H:%M')}"
    return date.isoformat()


def _parse_moment(text: str) -> bool:
    for pattern in ("%Y-%m-%d %H:%M", "%Y-%m-%d"):
        try:
            datetime.datetime.strptime(text, pattern)
        except ValueError:
            continue
        return True
    return False


class ImportForm(NoAutofill, forms.Form):
    export = forms.FileField(
        label=gettext_lazy("Your export"),
        help_text=gettext_lazy("A WhatsApp chat export (.txt, or .zip with media), SMS Backup & "
                               "Restore (.xml), email (.eml or .mbox), Telegram Desktop "
                               "(result.json), or Instagram or Facebook messages "
                               "(message_1.json)."),
    )


class ExportForm(NoAutofill, forms.Form):
    """Which incidents and messages go into the bundle; fields are made per locker."""

    def __init__(self, *args: Any, incidents: list, imports: list, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["incidents"] = forms.MultipleChoiceField(
            label=_("Incidents"), required=False, widget=forms.CheckboxSelectMultiple,
            choices=[(i.id, i.content.get("title") or i.kind_label or _("Incident"))
                     for i in incidents],
            initial=[i.id for i in incidents])
        for item in imports:
            self.fields[f"import_{item.id}"] = forms.ChoiceField(
                label=item.summary.get("filename") or _("Imported messages"),
                widget=forms.RadioSelect, initial="flagged",
                choices=[("flagged", _("Only the flagged messages (%(count)s)")
                          % {"count": item.flagged_total}),
                         ("all", _("All %(count)s messages") % {"count": item.messages}),
                         ("none", _("None of them"))])

    def choices(self) -> dict[str, str]:
        return {name.removeprefix("import_"): value for name, value in self.cleaned_data.items()
                if name.startswith("import_")}


class ShareForm(NoAutofill, forms.Form):
    receipt = forms.CharField(
        label=gettext_lazy("The receipt of your report"),
        max_length=100,
        help_text=gettext_lazy("The 28 digits you were given when you sent your report."),
        widget=forms.TextInput(attrs={**SECRET_INPUT_ATTRS, "inputmode": "numeric"}),
    )


class ConfirmForm(NoAutofill, forms.Form):
    confirm = forms.BooleanField(label=gettext_lazy("Yes, I understand"))


class KeptFilesForm(forms.Form):
    """The files kept from an earlier try of the incident form (safelight.evidence.kept_files):
    which ones come along, and which the person ticked to remove. Only ids of this locker's kept
    files pass; anything else (expired, another locker's, malformed) is a plain message."""

    kept_file = forms.MultipleChoiceField(required=False, widget=forms.MultipleHiddenInput)
    remove_kept = forms.MultipleChoiceField(required=False, widget=forms.MultipleHiddenInput)

    def __init__(self, *args: Any, kept: list, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices = [(f.id, f.name) for f in kept]
        message = gettext_lazy("A file you chose earlier is no longer kept (after a day it is "
                               "removed). Please choose it again; nothing else was lost.")
        for name in ("kept_file", "remove_kept"):
            field = cast(forms.MultipleChoiceField, self.fields[name])
            field.choices = choices
            field.error_messages["invalid_choice"] = message

    def keeping(self) -> list[str]:
        """The kept files that come along (those ticked for removal left out)."""
        removed = set(self.cleaned_data["remove_kept"])
        return [i for i in self.cleaned_data["kept_file"] if i not in removed]
