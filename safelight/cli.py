"""The `safelight` command: Django's management commands, with Safelight's settings.

`safelight verify BUNDLE.zip` checks an evidence bundle without loading Django or any
configuration. `safelight demo` and `safelight democode` always run in demo mode. Any other
command reads SAFELIGHT_MODE (production by default) and stops with a one-line message naming
the variable to set when configuration is missing.
"""

from __future__ import annotations

import os
import sys

# Imported for `safelight verify`, which loads neither Django nor a configuration; it needs only
# the standard library and safelight.crypto, which every other command loads anyway.
from safelight.evidence.verify import main as verify_bundle


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv if argv is None else argv)
    argv[0] = "safelight"
    if argv[1:2] == ["verify"]:  # a court clerk has no Safelight configuration: no Django
        return verify_bundle(argv[2:])
    if argv[1:2] in (["demo"], ["democode"]):
        os.environ["SAFELIGHT_MODE"] = "demo"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "safelight.settings")

    from django.conf import settings
    from django.core.exceptions import ImproperlyConfigured

    try:
        settings.INSTALLED_APPS  # noqa: B018 - loading settings is what checks the configuration
    except ImproperlyConfigured as exc:
        if not _asks_for_help(argv):
            sys.stderr.write(f"safelight: {exc}\n")
            return 2
        # Reading how to start a server needs no production secrets: describe the commands
        # with demo settings in a throw-away data directory (nothing is served or kept).
        _help_settings()
        settings.INSTALLED_APPS  # noqa: B018

    from django.core.management import execute_from_command_line

    execute_from_command_line(argv)
    return 0


def _asks_for_help(argv: list[str]) -> bool:
    return argv[1:2] in ([], ["help"], ["--help"], ["-h"]) or any(
        arg in ("--help", "-h") for arg in argv[2:])


def _help_settings() -> None:
    import atexit
    import shutil
    import tempfile

    data_dir = tempfile.mkdtemp(prefix="safelight-help-")
    atexit.register(shutil.rmtree, data_dir, ignore_errors=True)
    os.environ["SAFELIGHT_MODE"] = "demo"
    os.environ["SAFELIGHT_DATA_DIR"] = data_dir
    for name in ("SAFELIGHT_DEBUG", "SAFELIGHT_KEY_SHARE", "SAFELIGHT_KEY_SERVICE_TOKEN"):
        os.environ.pop(name, None)


if __name__ == "__main__":
    sys.exit(main())
