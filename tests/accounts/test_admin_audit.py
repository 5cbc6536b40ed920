"""Every administration action lands in Safelight's audit log, not only Django's (issue 20)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from safelight.accounts.models import Handler
from safelight.audit.models import Event
from safelight.referrals.models import Service

pytestmark = pytest.mark.django_db


def test_it_audits_a_change_made_in_any_admin_page(staff_client, administrator, handler):
    url = reverse("admin:accounts_handler_change", args=[handler.pk])
    response = staff_client.post(url, {"display_name": "Hana from HR", "language": "en"})
    assert response.status_code == 302
    event = Event.objects.get(action="admin.change:accounts.handler")
    assert (event.actor, event.organisation, event.target_id) == (
        administrator.user, handler.organisation, str(handler.pk))
    # Who, what, which object, when: never the content that was written.
    assert "Hana from HR" not in repr(Event.objects.values().get(pk=event.pk))
    assert Handler.objects.get(pk=handler.pk).display_name == "Hana from HR"


def test_it_audits_additions_deletions_and_list_actions(staff_client, administrator,
                                                        organisation):
    add = staff_client.post(reverse("admin:referrals_service_add"), {
        "organisation": organisation.pk, "name": "Helpline", "categories": ["legal"],
        "active": "on", "regions": "", "languages": "",
    })
    assert add.status_code == 302, add.content.decode()[:3000]
    service = Service.objects.get(name="Helpline")
    assert Event.objects.filter(action="admin.add:referrals.service", target_id=str(service.pk),
                                actor=administrator.user).exists()
    changelist = reverse("admin:referrals_service_changelist")
    staff_client.post(changelist, {"action": "mark_verified_today",
                                   "_selected_action": [service.pk]})
    assert Event.objects.filter(action="admin.action.mark_verified_today:referrals.service",
                                target_id=str(service.pk)).exists()
    staff_client.post(reverse("admin:referrals_service_delete", args=[service.pk]),
                      {"post": "yes"})
    assert not Service.objects.filter(pk=service.pk).exists()
    assert Event.objects.filter(action="admin.delete:referrals.service",
                                target_id=str(service.pk), organisation=organisation).exists()
