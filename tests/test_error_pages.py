"""Error pages a reporter can meet keep the quick exit and say plainly what to do."""

import pytest
from django.test import Client


@pytest.mark.django_db
def test_it_explains_a_failed_form_check_without_technical_detail(organisation):
    client = Client(enforce_csrf_checks=True)
    response = client.post("/staff/admin/login/", {"username": "x", "password": "y"})
    content = response.content.decode()
    assert response.status_code == 403
    assert "Please send the form again" in content and "Nothing was stored." in content
    assert "data-quick-exit" in content
    assert "CSRF" not in content and "DEBUG" not in content


@pytest.mark.django_db
def test_it_answers_a_bad_host_with_a_plain_page(client):
    response = client.get("/", HTTP_HOST="evil.example")
    assert response.status_code == 400
    assert "This request could not be handled" in response.content.decode()
    assert "data-quick-exit" in response.content.decode()
