"""The case core: what a report is, who can read it, and how it is sealed.

Models (channels, questionnaires, reports, report keys, messages, attachments), sealing
(`sealing.py`), encrypted file storage (`storage.py`, `uploads.py`), scoped reads (`access.py`:
who reads a channel, which reports a handler may open) and the writes every app shares
(`actions.py`: sealing a report key to its readers, messages, attachments, status changes).
It imports none of the apps built on it (tests/test_import_contracts.py).
"""
