"""One door for a secret: the page where a person types a secret that opens something.

Three pages are such a door: the receipt (intake's follow-up), the locker's passphrase
(evidence) and the receipt that shares a locker with a report's handlers (evidence). Each one
works the same way, and this module is that way, written once:

* the form has one secret field; a form that does not validate (a typo that can be told without
  any lookup) costs no try;
* a valid try is charged before it is tried, atomically, to several budgets at once
  (`safelight.ratelimit.charge_posted_guess`: the client, the page's guess session, the pools of
  clients without an address and of each trusted proxy), under the door's scope;
* past a budget, the page says so plainly, with the same words on every door
  (`TOO_MANY_TRIES`), and nothing is tried;
* a right secret costs nothing (its charge is refunded); a wrong one gets one neutral message
  that tells nothing about what exists;
* the page is shown again with status 200 whatever happened: a refusal is an ordinary page.

What differs between the doors is a parameter of `SecretDoor`: the form and its secret field,
what the secret opens, the scope of the budgets, and the wrong secret's message and where it
shows. What the view does with what was opened (set a cookie, redirect, share) stays the view's.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Generic, TypeVar

from django import forms
from django.http import HttpRequest
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy

from safelight import ratelimit

FormT = TypeVar("FormT", bound=forms.Form)
Opened = TypeVar("Opened")

# What every door says once a budget is spent.
TOO_MANY_TRIES = gettext_lazy(
    "There have been too many tries from here. For your safety, please wait an hour and try "
    "again. If you are in danger now, contact emergency services."
)


@dataclass(frozen=True)
class Attempt(Generic[FormT, Opened]):
    """What one request at a door gave: the form to show again (with its errors), what the secret
    opened (None unless a right secret was tried), and the guess-session ticket for the form's
    hidden field (`safelight.ratelimit.TICKET_FIELD`, in the template as `attempt`)."""

    form: FormT
    opened: Opened | None
    ticket: str

    def context(self) -> dict[str, object]:
        """The template context every door's page takes: the form and its ticket."""
        return {"form": self.form, "attempt": self.ticket}


@dataclass(frozen=True)
class SecretDoor(Generic[FormT, Opened]):
    """One door: its form, the field that holds the secret, what the secret opens, the scope of
    its rate-limit budgets ("receipt", "locker"), and `failure`, the neutral message a wrong
    secret is told (on the form as a whole, or on `failure_field`)."""

    scope: str
    form_class: type[FormT]
    field: str
    opens: Callable[[str], Opened | None]
    failure: str | Promise
    failure_field: str | None = None
    too_many_tries: str | Promise = TOO_MANY_TRIES

    def attempt(self, request: HttpRequest) -> Attempt[FormT, Opened]:
        """Read the form; on a valid POST charge the try, then try the secret (see the module's
        docstring). Nothing here writes but the rate-limit counters in the cache."""
        form = self.form_class(request.POST or None)
        opened: Opened | None = None
        if request.method == "POST" and form.is_valid():
            # Counted before it is tried, atomically, under several budgets (safelight.ratelimit).
            charge = ratelimit.charge_posted_guess(request, self.scope)
            if not charge.allowed:
                form.add_error(None, str(self.too_many_tries))
            else:
                opened = self.opens(form.cleaned_data[self.field])
                if opened is not None:
                    charge.refund()
                else:
                    form.add_error(self.failure_field, str(self.failure))
        return Attempt(form=form, opened=opened, ticket=ratelimit.ticket_for(request))
