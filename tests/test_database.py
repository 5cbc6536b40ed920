"""The default SQLite database runs in WAL mode with a busy timeout, as configured."""

from django.db import connection
from django.db.backends.sqlite3.base import DatabaseWrapper

from safelight import config


def test_it_opens_sqlite_in_wal_mode_with_a_busy_timeout(tmp_path, django_db_blocker):
    settings_dict = config.database_settings("", tmp_path)
    wrapper = DatabaseWrapper({**connection.settings_dict, **settings_dict}, alias="wal-check")
    with django_db_blocker.unblock(), wrapper.cursor() as cursor:
        cursor.execute("PRAGMA journal_mode")
        assert cursor.fetchone()[0] == "wal"
        cursor.execute("PRAGMA busy_timeout")
        assert cursor.fetchone()[0] == 20_000
        cursor.execute("PRAGMA synchronous")
        assert cursor.fetchone()[0] == 1  # NORMAL
    wrapper.close()
