"""Writes to the directory: saving, deleting, verifying, and referrals given in a reply."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from safelight.audit.models import Event
from safelight.referrals.actions import (
    delete_service,
    mark_verified,
    record_referrals,
    save_service,
)
from safelight.referrals.models import Category, Referral, Service


def test_it_saves_an_entry_with_its_categories_and_records_it(organisation, administrator):
    service = save_service(
        service=Service(organisation=organisation, name="Tech Safety Clinic"),
        categories=[Category.TECHNOLOGY_SAFETY, Category.POLICE], actor=administrator.user,
    )
    assert service.category_codes() == ["technology_safety", "police"]
    event = Event.objects.get(action="service.create")
    assert event.actor == administrator.user and event.target_id == str(service.pk)

    save_service(service=service, categories=[Category.POLICE], actor=administrator.user)
    assert service.category_codes() == ["police"]
    assert Event.objects.filter(action="service.change").count() == 1


def test_it_keeps_categories_when_none_are_given(counselling):
    counselling.name = "Harbour Counselling Service"
    save_service(service=counselling)
    assert counselling.category_codes() == ["mental_health"]


def test_it_stores_nothing_when_an_entry_is_invalid(organisation):
    with pytest.raises(ValidationError):
        save_service(service=Service(organisation=organisation, name="", email="x"),
                     categories=[Category.LEGAL])
    assert not Service.objects.exists() and not Event.objects.filter(
        action="service.create").exists()


def test_it_refuses_an_unknown_category(organisation):
    with pytest.raises(ValueError, match="unknown categories"):
        save_service(service=Service(organisation=organisation, name="X"), categories=["food"])
    assert not Service.objects.exists()


def test_it_deletes_an_entry_and_keeps_the_name_in_referrals_given(counselling, message):
    record_referrals(message=message, services=[counselling])
    delete_service(service=counselling)
    referral = Referral.objects.get()
    assert referral.service is None and referral.service_name == "Harbour Counselling"
    assert Event.objects.filter(action="service.delete").exists()


def test_it_marks_entries_verified_today_one_event_each(organisation, counselling, law_line):
    old = timezone.localdate() - datetime.timedelta(days=500)
    Service.objects.update(last_verified=old)
    count = mark_verified(services=Service.objects.all())
    assert count == 2
    assert set(Service.objects.values_list("last_verified", flat=True)) == {timezone.localdate()}
    assert Event.objects.filter(action="service.verify").count() == 2
    assert not Service.objects.stale().exists()


def test_it_records_the_services_a_reply_referred_to(message, counselling, law_line, handler):
    referrals = record_referrals(message=message, services=[law_line, counselling, law_line])

    assert [r.service for r in referrals] == [law_line, counselling]
    assert list(message.referrals.values_list("service_name", flat=True)) == [
        "Family Law Advice Line", "Harbour Counselling"]
    event = Event.objects.get(action="referral.give")
    assert event.actor == handler.user and event.target_id == str(message.pk)
    assert event.organisation == message.report.channel.organisation


def test_it_records_nothing_for_no_services(message):
    assert record_referrals(message=message, services=[]) == []
    assert not Event.objects.filter(action="referral.give").exists()


def test_it_refuses_another_organisation_s_service(message, counselling, foreign_service):
    with pytest.raises(ValueError):
        record_referrals(message=message, services=[counselling, foreign_service])
    assert not Referral.objects.exists()
