"""Reply templates in the staff administration: versioned and audited saves, placeholder checks,
and each organisation's administrators kept to their own templates."""

import datetime

import pytest
from django.contrib.auth.models import Permission

from safelight.accounts.actions import create_handler, create_organisation
from safelight.audit.models import Event
from safelight.cases.models import ReplyTemplate, TemplateKind
from safelight.cases.template_actions import save_template
from tests.conftest import PASSWORD, sign_in

ADMIN = "/staff/admin/cases/replytemplate/"


def add_template(organisation, **fields) -> ReplyTemplate:
    values = {"kind": TemplateKind.ACKNOWLEDGEMENT, "name": "Thanks", "language": "en",
              "body": "Thank you. Your reference is {reference}."}
    values.update(fields)
    return save_template(template=ReplyTemplate(organisation=organisation, **values))


def change_data(client, template: ReplyTemplate, **changes) -> dict:
    """What the change page posts back when nothing is edited, with the given edits."""
    page = client.get(f"{ADMIN}{template.pk}/change/")
    assert page.status_code == 200
    data = {
        "kind": template.kind, "name": template.name, "language": template.language,
        "body": template.body, "reviewer": template.reviewer,
        "reviewed_on": template.reviewed_on.isoformat() if template.reviewed_on else "",
    }
    if template.active:
        data["active"] = "on"
    for formset in page.context["inline_admin_formsets"]:
        prefix = formset.formset.prefix
        count = formset.formset.initial_form_count()
        data.update({f"{prefix}-TOTAL_FORMS": count, f"{prefix}-INITIAL_FORMS": count,
                     f"{prefix}-MIN_NUM_FORMS": 0, f"{prefix}-MAX_NUM_FORMS": 1000})
    data.update(changes)
    return data


@pytest.fixture
def admin_client(client, administrator):
    return sign_in(client, administrator)


@pytest.fixture
def other_organisation(db):
    return create_organisation(name="Other Org", slug="other")


@pytest.fixture
def organisation_admin_client(client, organisation):
    """An administrator of one organisation who is not a superuser of the whole server."""
    handler = create_handler(organisation=organisation, username="oona", password=PASSWORD)
    user = handler.user
    user.is_staff = True
    user.save()
    user.user_permissions.add(*Permission.objects.filter(
        content_type__app_label="cases",
        codename__in=["view_replytemplate", "add_replytemplate", "change_replytemplate"],
    ))
    return sign_in(client, handler)


def test_it_creates_a_template_as_version_one_and_records_it(admin_client, organisation,
                                                             administrator):
    page = admin_client.get(f"{ADMIN}add/").content.decode()
    assert "<code>{reference}</code>" in page and "<code>{feedback_by}</code>" in page
    assert "reference, for example" in page  # each placeholder is explained
    response = admin_client.post(f"{ADMIN}add/", {
        "organisation": organisation.pk, "kind": TemplateKind.OUTCOME, "name": "Outcome",
        "language": "en", "active": "on", "body": "Dear reporter,\r\n\r\nAbout {reference}.",
        "reviewer": "Dr. Ruth Ames", "reviewed_on": "2025-03-01",
    })
    assert response.status_code == 302, response.context["adminform"].form.errors
    template = ReplyTemplate.objects.get()
    assert (template.version, template.body) == (1, "Dear reporter,\n\nAbout {reference}.")
    assert template.revisions.get().reviewer == "Dr. Ruth Ames"
    assert Event.objects.filter(action="replytemplate.create", actor=administrator.user,
                                target_id=str(template.pk)).count() == 1


def test_it_makes_a_new_version_when_the_text_is_edited(admin_client, organisation,
                                                        administrator):
    template = add_template(organisation)
    data = change_data(admin_client, template, body="Thank you for telling us. {reference}")
    response = admin_client.post(f"{ADMIN}{template.pk}/change/", data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    template.refresh_from_db()
    assert template.version == 2
    assert list(template.revisions.values_list("version", flat=True)) == [2, 1]
    assert Event.objects.filter(action="replytemplate.change", actor=administrator.user).exists()
    page = admin_client.get(f"{ADMIN}{template.pk}/change/").content.decode()
    assert page.index("Thank you for telling us.") < page.index("Thank you. Your reference")


@pytest.mark.parametrize("keep_review", [False, True])
def test_it_keeps_a_review_for_changed_text_only_when_told(admin_client, organisation,
                                                           keep_review):
    template = add_template(organisation, reviewer="Dr. Ruth Ames",
                            reviewed_on=datetime.date(2025, 3, 1))
    data = change_data(admin_client, template, body="Thanks. {reference}")
    if keep_review:
        data["keep_review"] = "on"
    response = admin_client.post(f"{ADMIN}{template.pk}/change/", data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    template.refresh_from_db()
    assert template.version == 2
    assert template.reviewer == ("Dr. Ruth Ames" if keep_review else "")
    page = admin_client.get(f"{ADMIN}{template.pk}/change/").content.decode()
    assert ("Reviewed by Dr. Ruth Ames" in page) is keep_review
    assert ("Not yet reviewed" in page) is not keep_review


def test_it_keeps_the_version_when_only_the_name_is_edited(admin_client, organisation):
    template = add_template(organisation, body="Thank you.\n\nYour reference is {reference}.")
    data = change_data(admin_client, template, name="Thanks, received")
    data["body"] = data["body"].replace("\n", "\r\n")  # as a browser sends the same text
    response = admin_client.post(f"{ADMIN}{template.pk}/change/", data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    template.refresh_from_db()
    assert (template.name, template.version, template.revisions.count()) == (
        "Thanks, received", 1, 1
    )


def test_it_names_unknown_placeholders_and_keeps_what_was_typed(admin_client, organisation):
    template = add_template(organisation)
    typed = "Dear {reporter_name}, about {reference} and {case.id}."
    response = admin_client.post(f"{ADMIN}{template.pk}/change/",
                                 change_data(admin_client, template, body=typed))
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors["body"][0]
    assert "{reporter_name}, {case.id}" in errors
    page = response.content.decode()
    assert "Dear {reporter_name}, about {reference} and {case.id}." in page
    template.refresh_from_db()
    assert (template.body, template.version) == ("Thank you. Your reference is {reference}.", 1)
    assert not Event.objects.filter(action="replytemplate.change").exists()


def test_it_asks_for_the_review_date_with_the_reviewer(admin_client, organisation):
    response = admin_client.post(f"{ADMIN}add/", {
        "organisation": organisation.pk, "kind": TemplateKind.OUTCOME, "name": "Outcome",
        "language": "en", "body": "About {reference}.", "reviewer": "Dr. Ruth Ames",
        "reviewed_on": "",
    })
    assert response.status_code == 200
    assert "reviewed_on" in response.context["adminform"].form.errors
    assert "Dr. Ruth Ames" in response.content.decode()
    assert not ReplyTemplate.objects.exists()


def test_it_lists_templates_with_version_and_review(admin_client, organisation):
    add_template(organisation, name="Thanks")
    add_template(organisation, name="Outcome", kind=TemplateKind.OUTCOME, reviewer="Sam Lee",
                 reviewed_on=datetime.date.today() - datetime.timedelta(days=30))
    page = admin_client.get(ADMIN).content.decode()
    assert "Thanks" in page and "Outcome" in page
    assert "Not reviewed" in page and "Reviewed" in page


def test_it_never_deletes_a_template(admin_client, organisation):
    template = add_template(organisation)
    assert admin_client.get(f"{ADMIN}{template.pk}/delete/").status_code == 403
    assert ReplyTemplate.objects.filter(pk=template.pk).exists()


def test_it_keeps_an_organisation_administrator_to_their_own_templates(
    organisation_admin_client, organisation, other_organisation
):
    client = organisation_admin_client
    ours = add_template(organisation, name="Our thanks")
    theirs = add_template(other_organisation, name="Their thanks")
    listing = client.get(ADMIN).content.decode()
    assert "Our thanks" in listing and "Their thanks" not in listing
    response = client.get(f"{ADMIN}{theirs.pk}/change/", follow=True)
    assert "Their thanks" not in response.content.decode()
    assert response.redirect_chain and response.redirect_chain[-1][0] == "/staff/admin/"
    assert client.get(f"{ADMIN}{ours.pk}/change/").status_code == 200

    add_page = client.get(f"{ADMIN}add/")
    choices = list(add_page.context["adminform"].form.fields["organisation"].queryset)
    assert choices == [organisation]
    response = client.post(f"{ADMIN}add/", {
        "organisation": other_organisation.pk, "kind": TemplateKind.OUTCOME, "name": "Sneaky",
        "language": "en", "body": "About {reference}.",
    })
    assert response.status_code == 200
    assert "organisation" in response.context["adminform"].form.errors
    assert not ReplyTemplate.objects.filter(name="Sneaky").exists()

    response = client.post(f"{ADMIN}{ours.pk}/change/", change_data(
        client, ours, body="Thanks again. {reference}", organisation=other_organisation.pk
    ))
    assert response.status_code == 302
    ours.refresh_from_db()
    assert (ours.organisation, ours.version) == (organisation, 2)
