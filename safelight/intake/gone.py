"""The neutral page shown by every reporter-side page that needs an open session (a draft, the
receipt's follow-up, a locker) when there is none: after Quick exit, Back and Forward land here,
and it shows nothing of what was there, nor what the site is for."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


def no_longer_available(request: HttpRequest) -> HttpResponse:
    return render(request, "safelight/gone.html", status=410)
