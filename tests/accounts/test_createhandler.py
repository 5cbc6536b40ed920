import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from safelight.accounts.models import Handler
from safelight.audit.models import Event


@pytest.mark.django_db
def test_it_creates_a_handler_with_the_password_from_stdin(organisation, monkeypatch):
    monkeypatch.setattr("sys.stdin", io.StringIO("a long and unusual passphrase\n"))
    out = io.StringIO()
    call_command("createhandler", "noor", organisation="acme", stdout=out)
    handler = Handler.objects.get(user__username="noor")
    assert handler.organisation == organisation
    assert handler.user.check_password("a long and unusual passphrase")
    assert not handler.user.is_staff
    assert "Created handler noor in Acme Platform." in out.getvalue()
    event = Event.objects.get(action="handler.create")
    assert event.target_id == str(handler.pk) and event.organisation == organisation


@pytest.mark.django_db
def test_it_creates_an_administrator(organisation, monkeypatch):
    monkeypatch.setattr("sys.stdin", io.StringIO("a long and unusual passphrase\n"))
    call_command(
        "createhandler", "ada", organisation="acme", administrator=True, stdout=io.StringIO()
    )
    user = Handler.objects.get(user__username="ada").user
    assert user.is_staff and not user.is_superuser  # an organisation administrator only


@pytest.mark.django_db
def test_it_rejects_a_weak_password_and_stores_nothing(organisation, monkeypatch):
    monkeypatch.setattr("sys.stdin", io.StringIO("password\n"))
    with pytest.raises(CommandError, match="too short"):
        call_command("createhandler", "noor", organisation="acme")
    assert not Handler.objects.exists()
    assert not Event.objects.filter(action="handler.create").exists()


@pytest.mark.django_db
def test_it_names_an_unknown_organisation(organisation):
    with pytest.raises(CommandError, match="No organisation with the address 'nowhere'"):
        call_command("createhandler", "noor", organisation="nowhere")


@pytest.mark.django_db
def test_it_asks_for_a_password_on_stdin(organisation, monkeypatch):
    monkeypatch.setattr("sys.stdin", io.StringIO(""))
    with pytest.raises(CommandError, match="No password"):
        call_command("createhandler", "noor", organisation="acme")


@pytest.mark.django_db
def test_it_asks_twice_on_a_terminal_and_refuses_a_mismatch(organisation, monkeypatch):
    answers = iter(["first passphrase here", "second passphrase here"])
    monkeypatch.setattr("sys.stdin.isatty", lambda: True, raising=False)
    monkeypatch.setattr("getpass.getpass", lambda prompt: next(answers))
    with pytest.raises(CommandError, match="differ"):
        call_command("createhandler", "noor", organisation="acme")
