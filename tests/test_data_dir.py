"""The data directory is this account's alone (issue 20, item 9): the database, its WAL and the
stored files are 0600/0700, and production refuses a data directory others can read."""

import os
import stat
import subprocess
import sys

import pytest

from safelight import config
from safelight.config import ConfigurationError
from safelight.reports import storage


def _mode(path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


def test_it_refuses_a_data_directory_others_can_read_in_production(tmp_path):
    data_dir = tmp_path / "var"
    data_dir.mkdir()
    data_dir.chmod(0o755)
    with pytest.raises(ConfigurationError) as excinfo:
        config.secure_data_dir(data_dir, production=True)
    assert f"chmod 700 {data_dir}" in str(excinfo.value)
    assert _mode(data_dir) == 0o755  # nothing was changed behind the operator's back


def test_it_tightens_its_own_demo_data_directory(tmp_path):
    data_dir = tmp_path / "var"
    data_dir.mkdir()
    data_dir.chmod(0o755)
    (data_dir / "safelight.sqlite3").write_bytes(b"")
    (data_dir / "safelight.sqlite3").chmod(0o644)
    config.secure_data_dir(data_dir, production=False)
    assert _mode(data_dir) == 0o700
    assert _mode(data_dir / "safelight.sqlite3") == 0o600


def test_it_creates_a_missing_data_directory_private(tmp_path):
    data_dir = tmp_path / "new" / "var"
    config.secure_data_dir(data_dir, production=True)
    assert _mode(data_dir) == 0o700


def test_it_stores_files_0600_in_0700_directories_whatever_the_umask(tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "files"
    old = os.umask(0o022)
    try:
        name = storage.new_name()
        storage.write_bytes(name, b"k" * 32, b"ciphertext only")
    finally:
        os.umask(old)
    path = storage.path_for(name)
    assert _mode(path) == 0o600
    assert _mode(path.parent) == 0o700
    assert _mode(tmp_path / "files") == 0o700


def test_it_creates_the_database_and_its_wal_0600(tmp_path):
    """A fresh process with the default umask: settings set 077 before SQLite creates anything."""
    data_dir = tmp_path / "var"
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("SAFELIGHT_", "DJANGO_")) and k != "DATABASE_URL"}
    env.update(SAFELIGHT_MODE="demo", SAFELIGHT_DATA_DIR=str(data_dir),
               DJANGO_SETTINGS_MODULE="safelight.settings")
    script = (
        "import os; os.umask(0o022); import django; django.setup()\n"
        "from django.db import connection\n"
        "with connection.cursor() as c:\n"
        "    c.execute('CREATE TABLE t (x)'); c.execute('INSERT INTO t VALUES (1)')\n"
        "    assert os.path.exists(str(connection.settings_dict['NAME']) + '-wal')\n"
        "    name = str(connection.settings_dict['NAME'])\n"
        "    for suffix in ('', '-wal', '-shm'):\n"
        "        print(oct(os.stat(name + suffix).st_mode & 0o777))\n"
    )
    result = subprocess.run([sys.executable, "-c", script], env=env, capture_output=True,
                            text=True, timeout=60, check=False)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["0o600", "0o600", "0o600"]
    assert _mode(data_dir) == 0o700
