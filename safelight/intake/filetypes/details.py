"""Plain names for the hidden details that files carry.

The parsers report details as short keys (``GPS``, ``DEVICE``...); ``labels`` turns a set of keys
into the reporter-facing labels, always in the same order.
"""

from django.utils.translation import gettext_lazy as _

GPS = "gps"
DEVICE = "device"
TAKEN = "taken"
AUTHOR = "author"
COMPANY = "company"
CREATED = "created"
HISTORY = "history"
OTHER = "other"

LABELS = {
    GPS: _("where it was taken (GPS location)"),
    DEVICE: _("camera or phone model"),
    TAKEN: _("date and time taken"),
    AUTHOR: _("author name"),
    COMPANY: _("company name"),
    CREATED: _("when it was created or last changed"),
    HISTORY: _("editing history and comments' authors"),
    OTHER: _("other hidden details"),
}

# What files we cannot clean may hold: shown so the reporter knows before sending.
MAY_HOLD_RECORDING = _("may include where and when it was recorded and on which device")
MAY_HOLD_PHOTO = _("may include where and when it was taken and on which device")


def labels(keys):
    """The labels of ``keys`` (an iterable of the constants above) in a fixed order."""
    keys = set(keys)
    return tuple(label for key, label in LABELS.items() if key in keys)
