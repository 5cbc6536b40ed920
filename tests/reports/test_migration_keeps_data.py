"""Moving the case core out of safelight.intake (issue 14) keeps every row and every file.

The core's models kept their app label ("intake") and their tables; the reporter side's own rows
(drafts, their files, reporter sessions) moved to the "reporter" label with state-only migrations
(reporter.0001, intake.0006). This test fills a database the way the product does (a report with
a file and a reply, a report held in escrow with its entries and shares, an evidence locker with
an incident, a draft), goes back to the schema as it was before the move, adds a draft through
that schema's own models, and migrates forward again: every row is read back through today's
models and every sealed value still opens.
"""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.test import Client
from django.utils import timezone

from safelight.crypto import generate_key
from safelight.escrow.models import EscrowEntry, EscrowShare
from safelight.evidence import actions as evidence_actions
from safelight.evidence.models import Incident, Locker
from safelight.intake.models import Draft
from safelight.reports import storage
from safelight.reports.actions import send_message
from safelight.reports.models import Attachment, Channel, Message, Report, ReportKey
from safelight.reports.sealing import REPORT, open_json, seal_json, unb64
from tests.cases.conftest import opened_with_receipt, submit
from tests.escrow.conftest import key_services  # noqa: F401
from tests.escrow.test_open_match import cora, hold, person  # noqa: F401
from tests.evidence.conftest import INCIDENT
from tests.intake import flow, samples
from tests.intake.conftest import ben, channel, hana, questionnaire  # noqa: F401

pytestmark = pytest.mark.django_db(transaction=True)

# The schema as it was before the move: the case core and the drafts all under "intake".
BEFORE_THE_MOVE = [("intake", "0005_conversation_state"), ("reporter", None)]


def _migrate(targets):
    """Migrate to `targets`; return the project state there (its historical models)."""
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    return executor.migrate(targets)


def _latest() -> list[tuple[str, str]]:
    executor = MigrationExecutor(connection)
    return executor.loader.graph.leaf_nodes()


def test_rows_files_and_sealed_values_survive_the_move(channel, hana, cora):  # noqa: F811
    # A report with a file, answered by a handler.
    report, receipt = submit(channel, {
        1: {"q_what_happened": "CANARY-MOVE he reads my messages"},
        5: {"q_evidence": [flow.upload("chat.png", samples.png())]},
    })
    opened = opened_with_receipt(receipt)
    send_message(report=report, report_key=opened.report_key, body="We have read it.",
                 author=hana)
    # A report held in escrow until someone else names the same person.
    held, _ = hold(channel, person())
    # An evidence locker with one incident.
    locker, _passphrase = evidence_actions.create_locker()
    evidence_actions.save_incident(opened=locker, content=INCIDENT, files=[])

    counts = {
        "reports": Report.objects.count(), "keys": ReportKey.objects.count(),
        "messages": Message.objects.count(), "attachments": Attachment.objects.count(),
        "entries": EscrowEntry.objects.count(), "shares": EscrowShare.objects.count(),
        "lockers": Locker.objects.count(), "incidents": Incident.objects.count(),
    }
    assert counts["attachments"] >= 1 and counts["entries"] >= 1 and counts["shares"] >= 1

    try:
        old = _migrate(BEFORE_THE_MOVE).apps
        # Before the move the drafts were intake's: write one through that schema.
        OldChannel = old.get_model("intake", "Channel")
        OldDraft = old.get_model("intake", "Draft")
        assert old.get_model("intake", "Report").objects.count() == counts["reports"]
        key = generate_key()
        draft_id = "8d1c2f0e-0000-4000-8000-000000000001"
        OldDraft.objects.create(
            id=draft_id, channel=OldChannel.objects.get(pk=channel.pk),
            created_at=timezone.now(), expires_at=timezone.now() + datetime.timedelta(hours=1),
            data=seal_json(key, {"q_what_happened": "CANARY-DRAFT"}, purpose="draft",
                           object_id=draft_id, field="answers"),
        )
    finally:
        _migrate(_latest())

    # Every row is there, read through today's models.
    assert counts == {
        "reports": Report.objects.count(), "keys": ReportKey.objects.count(),
        "messages": Message.objects.count(), "attachments": Attachment.objects.count(),
        "entries": EscrowEntry.objects.count(), "shares": EscrowShare.objects.count(),
        "lockers": Locker.objects.count(), "incidents": Incident.objects.count(),
    }
    # Sealed values still open with the keys the reporter holds.
    report = Report.objects.get(pk=report.pk)
    answers = open_json(opened.report_key, report.answers, purpose=REPORT, object_id=report.pk,
                        field="answers")
    assert any("CANARY-MOVE" in str(entry.get("value")) for entry in answers)
    reply = Message.objects.get(report=report, author=hana)
    assert open_json(opened.report_key, reply.body, purpose=REPORT, object_id=reply.pk,
                     field="message") == "We have read it."
    # The file is still in storage, and opens.
    attachment = Attachment.objects.filter(report=report).first()
    file_key = open_json(opened.report_key, attachment.sealed_key, purpose=REPORT,
                         object_id=attachment.pk, field="file-key")
    assert storage.read_bytes(attachment.storage_name, unb64(file_key)) == samples.png()
    assert Report.objects.get(pk=held.pk).escrow_entries.count() >= 1
    # The draft written through the old schema is the reporter side's now.
    draft = Draft.objects.get(pk=draft_id)
    assert draft.channel == Channel.objects.get(pk=channel.pk)
    assert open_json(key, draft.data, purpose="draft", object_id=draft_id,
                     field="answers") == {"q_what_happened": "CANARY-DRAFT"}
    assert Client().get(f"/{channel.organisation.slug}/").status_code == 200
