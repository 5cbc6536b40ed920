"""The staff administration of risk checklists: edits are audited; a used checklist is read-only;
"Make a new version" and "Publish" are list actions."""

from safelight.audit.models import Event
from safelight.triage.actions import new_version, record_assessment
from safelight.triage.models import RiskChecklist
from tests.conftest import sign_in

LIST = "/staff/admin/triage/riskchecklist/"


def change_url(checklist) -> str:
    return f"{LIST}{checklist.pk}/change/"


def form_data(page) -> dict:
    """What the browser would post back from the change page, unchanged."""
    form = page.context["adminform"].form
    data = {name: value for name, value in form.initial.items()
            if value is not None and name in form.fields}
    data.pop("organisation", None)  # read-only on the change page
    formset = page.context["inline_admin_formsets"][0].formset
    prefix = formset.prefix
    forms = formset.forms
    data.update({f"{prefix}-TOTAL_FORMS": len(forms), f"{prefix}-INITIAL_FORMS": len(forms),
                 f"{prefix}-MIN_NUM_FORMS": 0, f"{prefix}-MAX_NUM_FORMS": 1000})
    for i, item_form in enumerate(forms):
        item = item_form.instance
        for name in ("position", "key", "question", "handler_label", "reason", "weight"):
            data[f"{prefix}-{i}-{name}"] = getattr(item, name)
        if item.urgent_alone:
            data[f"{prefix}-{i}-urgent_alone"] = "on"
        data[f"{prefix}-{i}-id"] = item.pk
        data[f"{prefix}-{i}-checklist"] = item.checklist_id
    return data


def test_it_lists_checklists_to_administrators_only(client, administrator, handler, checklist):
    assert client.get(LIST).status_code == 302  # not signed in
    sign_in(client, handler)
    assert client.get(LIST).status_code == 302  # a handler who is not an administrator
    client.logout()
    sign_in(client, administrator)
    page = client.get(LIST)
    assert page.status_code == 200
    assert "Safety checklist" in page.content.decode()


def test_it_edits_an_unused_checklist_and_its_items(client, administrator, checklist):
    sign_in(client, administrator)
    page = client.get(change_url(checklist))
    assert page.status_code == 200
    data = form_data(page)
    data["name"] = "Our safety questions"
    prefix = page.context["inline_admin_formsets"][0].formset.prefix
    data[f"{prefix}-0-weight"] = 3
    response = client.post(change_url(checklist), data)
    assert response.status_code == 302, response.context["errors"] if response.context else ""
    checklist.refresh_from_db()
    assert checklist.name == "Our safety questions"
    assert checklist.items.get(key="passwords").weight == 3
    assert Event.objects.filter(action="riskchecklist.change", actor=administrator.user).exists()
    assert Event.objects.filter(action="riskitem.change", actor=administrator.user).exists()


def test_it_refuses_thresholds_out_of_order_on_the_same_page(client, administrator, checklist):
    sign_in(client, administrator)
    data = form_data(client.get(change_url(checklist)))
    data.update(elevated_at=9, urgent_at=3, name="Kept name")
    response = client.post(change_url(checklist), data)
    assert response.status_code == 200
    assert "The urgent score must be at least the elevated score." in response.content.decode()
    assert 'value="Kept name"' in response.content.decode()
    checklist.refresh_from_db()
    assert (checklist.elevated_at, checklist.urgent_at) == (3, 8)


def test_it_shows_a_used_checklist_read_only(client, administrator, checklist, report,
                                             report_key):
    record_assessment(report=report, report_key=report_key, checklist=checklist, checked=[])
    sign_in(client, administrator)
    page = client.get(change_url(checklist))
    assert page.status_code == 200
    html = page.content.decode()
    assert "Make a new version" in html  # the explanation of how to change it
    assert 'name="name"' not in html  # no editable field, items included
    assert 'name="_save"' not in html
    assert not page.context["inline_admin_formsets"][0].has_change_permission
    data = form_data(page) if page.context.get("adminform").form.fields else {}
    data["name"] = "Changed"
    assert client.post(change_url(checklist), data).status_code == 403
    checklist.refresh_from_db()
    assert checklist.name != "Changed"
    delete = client.post(f"{LIST}{checklist.pk}/delete/", {"post": "yes"})
    assert delete.status_code == 403
    assert RiskChecklist.objects.filter(pk=checklist.pk).exists()


def test_it_makes_a_new_version_from_the_list(client, administrator, checklist, report,
                                              report_key):
    record_assessment(report=report, report_key=report_key, checklist=checklist, checked=[])
    sign_in(client, administrator)
    response = client.post(LIST, {"action": "make_new_version",
                                  "_selected_action": [checklist.pk]})
    copy = RiskChecklist.objects.get(organisation=checklist.organisation, version=2)
    assert response.status_code == 302
    assert response["Location"] == change_url(copy)
    assert not copy.published
    assert copy.items.count() == 10
    assert Event.objects.filter(action="riskchecklist.new_version",
                                actor=administrator.user).exists()
    page = client.get(change_url(copy))
    assert 'name="name"' in page.content.decode()  # the copy is editable


def test_it_publishes_from_the_list(client, administrator, checklist):
    copy = new_version(checklist=checklist)
    sign_in(client, administrator)
    response = client.post(LIST, {"action": "publish_checklists", "_selected_action": [copy.pk]},
                           follow=True)
    assert response.status_code == 200
    assert "Published" in response.content.decode()
    copy.refresh_from_db()
    checklist.refresh_from_db()
    assert copy.published and not checklist.published
    assert Event.objects.filter(action="riskchecklist.publish", actor=administrator.user).exists()


def test_it_says_why_it_cannot_publish(client, administrator, checklist):
    copy = new_version(checklist=checklist)
    sign_in(client, administrator)
    response = client.post(LIST, {"action": "publish_checklists",
                                  "_selected_action": [checklist.pk, copy.pk]}, follow=True)
    assert "Publish one version per organisation at a time" in response.content.decode()
    copy.refresh_from_db()
    assert not copy.published
    copy.items.all().delete()
    response = client.post(LIST, {"action": "publish_checklists", "_selected_action": [copy.pk]},
                           follow=True)
    assert "has no items yet" in response.content.decode()
    copy.refresh_from_db()
    assert not copy.published


def test_it_adds_a_checklist_as_the_next_unpublished_version(client, administrator, checklist):
    sign_in(client, administrator)
    page = client.get(f"{LIST}add/")
    assert page.status_code == 200
    prefix = page.context["inline_admin_formsets"][0].formset.prefix
    response = client.post(f"{LIST}add/", {
        "organisation": checklist.organisation_id, "name": "Short checklist",
        "introduction": "Optional questions.", "elevated_at": 1, "urgent_at": 2,
        f"{prefix}-TOTAL_FORMS": 1, f"{prefix}-INITIAL_FORMS": 0,
        f"{prefix}-MIN_NUM_FORMS": 0, f"{prefix}-MAX_NUM_FORMS": 1000,
        f"{prefix}-0-position": 0, f"{prefix}-0-key": "threats",
        f"{prefix}-0-question": "Has the person threatened to hurt you?",
        f"{prefix}-0-handler_label": "Threats", f"{prefix}-0-reason": "Strong risk factor.",
        f"{prefix}-0-weight": 2, f"{prefix}-0-urgent_alone": "on",
    })
    assert response.status_code == 302, response.context["errors"] if response.context else ""
    fresh = RiskChecklist.objects.get(translations__name="Short checklist")
    assert (fresh.version, fresh.published) == (2, False)
    assert list(fresh.items.values_list("key", "urgent_alone")) == [("threats", True)]
    assert Event.objects.filter(action="riskitem.create", actor=administrator.user).exists()
