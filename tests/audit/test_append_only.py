"""The audit log is append-only in the database itself, on SQLite and on PostgreSQL."""

import pytest
from django.db import DatabaseError, connection, transaction

from safelight.audit.actions import record
from safelight.audit.models import Event


@pytest.mark.django_db
def test_it_records_who_did_what_to_which_object_without_content(organisation, handler):
    event = record(
        action="report.view", actor=handler.user, organisation=organisation, target=handler
    )
    assert (event.action, event.target_type, event.target_id) == (
        "report.view",
        "accounts.handler",
        str(handler.pk),
    )
    assert event.actor == handler.user and event.at is not None


@pytest.mark.django_db
def test_it_refuses_to_change_an_event(organisation):
    event = record(action="organisation.touch", organisation=organisation)
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        Event.objects.filter(pk=event.pk).update(action="nothing.happened")
    event.refresh_from_db()
    assert event.action == "organisation.touch"


@pytest.mark.django_db
def test_it_refuses_to_delete_an_event(organisation):
    record(action="organisation.touch", organisation=organisation)
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        Event.objects.all().delete()
    assert Event.objects.filter(action="organisation.touch").exists()


@pytest.mark.django_db
def test_it_refuses_raw_sql_deletes_too(organisation):
    record(action="organisation.touch", organisation=organisation)
    with (
        pytest.raises(DatabaseError, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute("DELETE FROM audit_event")
    assert Event.objects.exists()


@pytest.mark.django_db
def test_it_offers_no_way_to_edit_events_in_the_administration(staff_client):
    assert staff_client.get("/staff/admin/audit/event/").status_code == 200
    assert staff_client.get("/staff/admin/audit/event/add/").status_code == 403


@pytest.mark.django_db
def test_it_deletes_only_through_the_maintenance_unlock_and_never_updates(organisation):
    from safelight.audit.maintenance import unlocked

    record(action="organisation.touch", organisation=organisation)
    with unlocked():
        with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
            Event.objects.update(action="rewritten")
        Event.objects.filter(action="organisation.touch").delete()
    assert not Event.objects.filter(action="organisation.touch").exists()
    record(action="organisation.touch", organisation=organisation)
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        Event.objects.all().delete()
