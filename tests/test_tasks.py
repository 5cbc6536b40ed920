"""Background tasks through both real backends: the database (default) and RQ on Redis.

Each test queues a task, runs a real worker until the queue is empty and looks at the effect. The
canary a reporter wrote must be in no task row, no Redis job and no email.
"""

import ast
import contextlib
import datetime
import json
import logging
import os
import subprocess
import sys
import uuid
import zlib
from pathlib import Path

import pytest
from django.core import mail
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command
from django.db import transaction
from django.utils import timezone
from django.utils.module_loading import import_string
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from safelight import tasks
from safelight.intake.models import Draft
from safelight.notification_tasks import notify_reopened_task, notify_urgent_task
from safelight.reports.models import Recipient
from tests.intake.conftest import (  # noqa: F401
    ben,
    channel,
    hana,
    olga,
    other_channel,
    questionnaire,
)
from tests.test_notifications import give_email, submit_with_canary

REDIS_URL = "redis://127.0.0.1:6379/13"  # a database number of the tests' own
ROOT = Path(__file__).resolve().parent.parent
RQ_QUEUE = "default"  # the queue the tasks name; the database number keeps it apart


@pytest.fixture
def canary():
    return f"CANARY{uuid.uuid4().hex}"


@pytest.fixture
def report(channel, hana, ben, canary):  # noqa: F811
    give_email(hana, ben)
    Recipient.objects.filter(channel=channel).update(on_call=True)
    report = submit_with_canary(channel, canary)
    # Submitting queues the new-report notification (tests/cases/test_notifications_new_message);
    # these tests queue their own task on an empty queue.
    DBTaskResult.objects.all().delete()
    return report


def task_rows_text() -> str:
    return repr(list(DBTaskResult.objects.values()))


def assert_no_content(canary, report, *texts) -> None:
    for text in texts:
        assert canary not in text
        # The report's id is the task's one argument, by design; the reference is its first
        # eight hex digits, so look for the reference everywhere but in the id itself.
        without_id = text.replace(str(report.pk), "").replace(report.pk.hex, "")
        assert report.reference not in without_id


@pytest.mark.django_db
def test_it_queues_a_task_only_once_the_transaction_commits(
    report, canary, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks() as callbacks:
        with transaction.atomic():
            tasks.enqueue_on_commit(notify_urgent_task, report.pk)
        assert not DBTaskResult.objects.exists()
    assert len(callbacks) == 1
    callbacks[0]()
    row = DBTaskResult.objects.get()
    assert row.task_path == "safelight.notification_tasks.notify_urgent_task"
    # The report's id, as a string, is all a task carries.
    assert row.args_kwargs == {"args": [str(report.pk)], "kwargs": {}}


# The database worker runs in autocommit, as in production (and closes a connection left in a
# transaction), so its tests commit for real.


@pytest.mark.django_db(transaction=True)
def test_it_sends_an_urgent_notification_through_the_database_worker(report, canary):
    with transaction.atomic():
        tasks.enqueue_on_commit(notify_urgent_task, str(report.pk))
        assert not DBTaskResult.objects.exists()
    assert mail.outbox == []  # queued, not yet run
    assert str(report.pk) in task_rows_text()
    assert_no_content(canary, report, task_rows_text())

    call_command("worker", batch=True, verbosity=0)

    row = DBTaskResult.objects.get()
    assert row.status == TaskResultStatus.SUCCESSFUL
    assert row.return_value == 2
    assert sorted(m.to[0] for m in mail.outbox) == ["ben@acme.example", "hana@acme.example"]
    assert_no_content(
        canary, report, task_rows_text(), *(str(m.message()) for m in mail.outbox)
    )


@pytest.mark.django_db(transaction=True)
def test_it_runs_the_reopen_notification_through_the_database_worker(report):
    tasks.enqueue_on_commit(notify_reopened_task, str(report.pk))
    call_command("worker", batch=True, verbosity=0)
    assert DBTaskResult.objects.get().status == TaskResultStatus.SUCCESSFUL
    assert len(mail.outbox) == 2
    assert mail.outbox[0].subject == "Safelight: a case was reopened"


@pytest.fixture
def rq_backend(settings):
    """The RQ backend on the tests' own Redis database, emptied before and after."""
    import django_rq
    from redis import Redis

    connection = Redis.from_url(REDIS_URL)
    connection.flushdb()
    settings.RQ_QUEUES = {RQ_QUEUE: {"URL": REDIS_URL}}
    settings.TASKS = {
        "default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": [RQ_QUEUE]}
    }
    queue = django_rq.get_queue(RQ_QUEUE)
    yield connection, queue
    connection.flushdb()


def redis_text(connection) -> str:
    """Everything in the Redis database, job payloads decompressed."""
    parts = []
    for key in connection.keys("*"):
        kind = connection.type(key)
        if kind == b"hash":
            values = connection.hgetall(key).values()
        elif kind == b"stream":
            values = [v for _id, fields in connection.xrange(key) for v in fields.values()]
        elif kind in (b"list",):
            values = connection.lrange(key, 0, -1)
        elif kind == b"zset":
            values = connection.zrange(key, 0, -1)
        elif kind == b"set":
            values = list(connection.smembers(key))
        else:
            values = [connection.get(key) or b""]
        for value in values:
            with contextlib.suppress(zlib.error):
                value = zlib.decompress(value)
            parts.append(value.decode("latin-1"))
    return "\n".join(parts)


@pytest.mark.django_db
def test_it_sends_an_urgent_notification_through_redis_and_an_rq_worker(
    report, canary, rq_backend, django_capture_on_commit_callbacks
):
    from django_tasks_rq import Job
    from rq import SimpleWorker

    connection, queue = rq_backend
    with django_capture_on_commit_callbacks(execute=True):
        tasks.enqueue_on_commit(notify_urgent_task, str(report.pk))
    assert queue.count == 1
    job = Job.fetch(queue.job_ids[0], connection=connection)
    assert job.func_name == "safelight.notification_tasks.notify_urgent_task"
    assert (tuple(job.args), job.kwargs) == ((str(report.pk),), {})
    assert str(report.pk) in redis_text(connection)  # the search reads the payloads
    assert_no_content(canary, report, redis_text(connection))
    assert not DBTaskResult.objects.exists()

    worker = SimpleWorker([queue], connection=connection, job_class=Job)
    assert worker.work(burst=True)

    assert queue.count == 0
    assert notify_urgent_task.get_result(job.id).status == TaskResultStatus.SUCCESSFUL
    assert sorted(m.to[0] for m in mail.outbox) == ["ben@acme.example", "hana@acme.example"]
    assert_no_content(
        canary, report, redis_text(connection), *(str(m.message()) for m in mail.outbox)
    )


@pytest.mark.django_db
def test_it_runs_the_periodic_task_through_redis(rq_backend):
    from django_tasks_rq import Job
    from rq import SimpleWorker

    connection, queue = rq_backend
    result = tasks.periodic.enqueue()
    SimpleWorker([queue], connection=connection, job_class=Job).work(burst=True)
    result.refresh()
    assert result.status == TaskResultStatus.SUCCESSFUL
    assert result.return_value == {
        "drafts_purged": 0, "checkins_opened": 0, "reminders_sent": 0, "task_results_pruned": 0,
        "reporter_sessions_purged": 0, "orphaned_files_removed": 0,
    }


@pytest.mark.django_db(transaction=True)
def test_it_runs_the_periodic_task_through_the_database_worker(channel):  # noqa: F811
    Draft.objects.create(
        channel=channel, created_at=timezone.now(), expires_at=timezone.now(), data=b"x"
    )
    result = tasks.periodic.enqueue()
    call_command("worker", batch=True, verbosity=0)
    result.refresh()
    assert result.status == TaskResultStatus.SUCCESSFUL
    assert result.return_value == {
        "drafts_purged": 1, "checkins_opened": 0, "reminders_sent": 0, "task_results_pruned": 0,
        "reporter_sessions_purged": 0, "orphaned_files_removed": 0,
    }
    assert not Draft.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_it_prunes_finished_task_rows_after_a_week():
    old = tasks.periodic.enqueue()
    call_command("worker", batch=True, verbosity=0)
    waiting = tasks.periodic.enqueue()
    now = timezone.now()
    assert tasks.prune_task_results(now) == 0
    assert tasks.prune_task_results(now + datetime.timedelta(days=8)) == 1
    assert list(DBTaskResult.objects.values_list("id", flat=True)) == [uuid.UUID(waiting.id)]
    assert old.id != waiting.id


@pytest.mark.django_db
def test_it_prunes_nothing_on_redis(rq_backend):
    assert tasks.prune_task_results() == 0


@pytest.mark.parametrize("argument", [{"answers": "x"}, ["x"], b"x", None, True, 1.5])
def test_it_takes_only_ids_as_task_arguments(argument):
    with pytest.raises(TypeError, match="ids"):
        tasks.enqueue_on_commit(notify_urgent_task, argument)


@pytest.mark.django_db
def test_it_keeps_what_was_committed_when_the_queue_cannot_be_reached(
    settings, caplog, django_capture_on_commit_callbacks
):
    settings.RQ_QUEUES = {RQ_QUEUE: {"URL": "redis://127.0.0.1:1/0"}}  # nothing listens
    settings.TASKS = {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": [RQ_QUEUE]}}
    report_id = str(uuid.uuid4())
    with caplog.at_level(logging.ERROR), django_capture_on_commit_callbacks(execute=True):
        tasks.enqueue_on_commit(notify_urgent_task, report_id)
    assert "on_commit" in caplog.text


# Periodic jobs and tasks are declared by the apps (issue 14): safelight.tasks knows none of them.

PERIODIC_JOBS = {
    "drafts_purged": "safelight.intake.jobs",
    "checkins_opened": "safelight.cases.jobs",
    "reminders_sent": "safelight.cases.jobs",
    "task_results_pruned": "safelight.tasks",
    "reporter_sessions_purged": "safelight.intake.jobs",
    "orphaned_files_removed": "safelight.intake.jobs",
}
MOVED_TASKS = {
    "notify_urgent_task": "safelight.notification_tasks.notify_urgent_task",
    "notify_reopened_task": "safelight.notification_tasks.notify_reopened_task",
    "notify_new_report_task": "safelight.notification_tasks.notify_new_report_task",
    "notify_new_message_task": "safelight.notification_tasks.notify_new_message_task",
    "notify_escrow_match_task": "safelight.escrow.jobs.notify_escrow_match_task",
}


def test_setting_django_up_declares_every_job_as_a_worker_would_see_them():
    """A fresh process, as the worker or `safelight tick` starts: django.setup() alone."""
    code = (
        "import json, django\n"
        "django.setup()\n"
        "from django.utils.module_loading import import_string\n"
        "from safelight import tasks\n"
        "jobs = {name: job.__module__ for name, job in tasks.periodic_jobs().items()}\n"
        f"names = {list(MOVED_TASKS)!r}\n"
        "moved = {n: import_string('safelight.tasks.' + n).module_path for n in names}\n"
        "print(json.dumps([list(jobs.items()), moved]))\n"
    )
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "tests.settings"}
    result = subprocess.run([sys.executable, "-c", code], env=env, cwd=ROOT, capture_output=True,
                            text=True, timeout=60, check=False)
    assert result.returncode == 0, result.stderr
    jobs, moved = json.loads(result.stdout)
    assert jobs == [list(item) for item in PERIODIC_JOBS.items()]  # in the order they run
    assert moved == MOVED_TASKS


def test_the_tasks_module_imports_no_app():
    source = (ROOT / "safelight" / "tasks.py").read_text()
    imported = {node.module for node in ast.walk(ast.parse(source))
                if isinstance(node, ast.ImportFrom)}
    imported |= {alias.name for node in ast.walk(ast.parse(source))
                 if isinstance(node, ast.Import) for alias in node.names}
    assert not {name for name in imported if name and name.startswith("safelight")}


@pytest.mark.django_db(transaction=True)
def test_a_notification_queued_under_its_old_path_still_runs(report):
    """Rows queued before the tasks moved out of safelight.tasks name them there."""
    tasks.enqueue_on_commit(notify_urgent_task, str(report.pk))
    DBTaskResult.objects.update(task_path="safelight.tasks.notify_urgent_task")
    call_command("worker", batch=True, verbosity=0)
    row = DBTaskResult.objects.get()
    assert row.status == TaskResultStatus.SUCCESSFUL
    assert row.return_value == 2
    assert sorted(m.to[0] for m in mail.outbox) == ["ben@acme.example", "hana@acme.example"]


def test_the_tasks_module_has_no_other_names():
    with pytest.raises(ImportError):
        import_string("safelight.tasks.notify_nobody_task")
    assert not hasattr(tasks, "periodic_job_that_does_not_exist")


def test_the_periodic_run_runs_its_jobs_by_order_and_counts_in_that_order(monkeypatch):
    monkeypatch.setattr(tasks, "_periodic_jobs", {})
    ran = []

    @tasks.periodic_job("later", order=20)
    def later() -> int:
        ran.append("later")
        return 2

    @tasks.periodic_job("sooner", order=10)
    def sooner() -> int:
        ran.append("sooner")
        return 1

    counts = tasks.periodic.call()
    assert ran == ["sooner", "later"]
    assert list(counts.items()) == [("sooner", 1), ("later", 2)]


def test_two_periodic_jobs_cannot_share_a_name(monkeypatch):
    monkeypatch.setattr(tasks, "_periodic_jobs", dict(tasks._periodic_jobs))

    def drafts_purged() -> int:
        return 0

    with pytest.raises(ImproperlyConfigured, match="drafts_purged"):
        tasks.periodic_job("drafts_purged", order=10)(drafts_purged)
