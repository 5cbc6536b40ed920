"""`safelight tick` (the periodic run, for cron or a timer) and `safelight worker`."""

import io
import subprocess
from unittest import mock

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from safelight.intake.models import Draft
from safelight.management.commands import demo as demo_command
from safelight.management.commands import worker as worker_command
from tests.intake.conftest import ben, channel, hana, questionnaire  # noqa: F401


def run(*args, **options) -> str:
    out = io.StringIO()
    call_command(*args, stdout=out, **options)
    return out.getvalue()


@pytest.mark.django_db
def test_it_queues_the_periodic_run_for_the_worker():
    printed = run("tick")
    row = DBTaskResult.objects.get()
    assert row.task_path == "safelight.tasks.periodic"
    assert row.args_kwargs == {"args": [], "kwargs": {}}
    assert printed.strip() == f"queued periodic run {row.id}"


@pytest.mark.django_db
def test_it_runs_the_periodic_run_here_with_now(channel):  # noqa: F811
    Draft.objects.create(
        channel=channel, created_at=timezone.now(), expires_at=timezone.now(), data=b"x"
    )
    printed = run("tick", now=True)
    assert printed.strip() == (
        "drafts_purged: 1, checkins_opened: 0, reminders_sent: 0, task_results_pruned: 0, "
        "reporter_sessions_purged: 0, orphaned_files_removed: 0"
    )
    assert not DBTaskResult.objects.exists()
    assert not Draft.objects.exists()


def test_it_runs_the_database_worker_for_the_database_backend():
    with mock.patch.object(worker_command, "call_command") as call:
        call_command("worker")
    call.assert_called_once_with(
        "db_worker", queue_name="default", batch=False, startup_delay=True, reload=False,
        verbosity=1,
    )


def test_it_runs_the_database_worker_once_through_with_batch():
    with mock.patch.object(worker_command, "call_command") as call:
        call_command("worker", batch=True, verbosity=0)
    assert call.call_args.kwargs["batch"] is True
    assert call.call_args.kwargs["startup_delay"] is False


def test_it_runs_an_rq_worker_with_the_task_job_class_for_redis(settings):
    settings.RQ_QUEUES = {"default": {"URL": "redis://127.0.0.1:6379/13"}}
    settings.TASKS = {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["default"]}}
    with mock.patch.object(worker_command, "call_command") as call:
        call_command("worker")
    call.assert_called_once_with(
        "rqworker", "default", job_class="django_tasks_rq.Job", burst=False,
        with_scheduler=True, verbosity=1,
    )
    with mock.patch.object(worker_command, "call_command") as call:
        call_command("worker", batch=True)
    assert call.call_args.kwargs["burst"] is True


def test_it_refuses_a_backend_without_a_worker(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    with pytest.raises(CommandError, match="No worker"):
        call_command("worker")


def test_it_queues_the_periodic_run_at_an_interval_with_tick_every():
    with (
        mock.patch.object(worker_command, "Ticker") as ticker,
        mock.patch.object(worker_command, "call_command") as call,
    ):
        call_command("worker", tick_every=300)
    ticker.assert_called_once_with(300)
    ticker.return_value.start.assert_called_once_with()
    assert call.call_args.args == ("db_worker",)

    periodic = mock.Mock()
    with mock.patch.object(worker_command, "periodic", periodic):
        ticking = worker_command.Ticker(0.01)
        ticking.start()
        try:
            for _ in range(500):
                if periodic.enqueue.call_count >= 3:
                    break
                ticking.stopped.wait(0.01)
        finally:
            ticking.stop()
    assert periodic.enqueue.call_count >= 3


def test_it_keeps_ticking_when_queueing_fails(caplog):
    periodic = mock.Mock()
    periodic.enqueue.side_effect = ConnectionError("queue down")
    with mock.patch.object(worker_command, "periodic", periodic):
        ticking = worker_command.Ticker(0.01)
        ticking.start()
        try:
            for _ in range(500):
                if periodic.enqueue.call_count >= 2:
                    break
                ticking.stopped.wait(0.01)
        finally:
            ticking.stop()
    assert periodic.enqueue.call_count >= 2
    assert "Could not queue the periodic run" in caplog.text


def test_it_runs_the_worker_beside_the_demo_server(settings, monkeypatch):
    monkeypatch.delenv("SAFELIGHT_STAFF_URL", raising=False)
    worker = mock.Mock()
    with mock.patch.object(subprocess, "Popen", return_value=worker) as popen:
        assert demo_command.start_worker("127.0.0.1:8123") is worker
    command = popen.call_args.args[0]
    assert command[1:] == ["-m", "safelight.cli", "worker", "--tick-every=300"]
    env = popen.call_args.kwargs["env"]
    assert env["SAFELIGHT_MODE"] == "demo"
    assert env["SAFELIGHT_DATA_DIR"] == str(settings.SAFELIGHT_DATA_DIR)
    assert env["SAFELIGHT_STAFF_URL"] == "http://127.0.0.1:8123"

    demo_command.stop_worker(worker)
    worker.terminate.assert_called_once_with()
    worker.wait.assert_called_once_with(timeout=15)
