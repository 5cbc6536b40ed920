"""The evidence locker's pages, one module for each audience and topic.

survivor_* are the pages of the locker's own user (on the reporter side, behind the passphrase):
the locker itself, incidents, imported messages, the export and sharing. staff_shared_lockers is
what a handler sees of a locker that was shared with them. A view module imports no other: what
they share is in safelight.evidence.responses.
"""
