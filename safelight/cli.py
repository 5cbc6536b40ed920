"""The `safelight` command: Django's management commands, with Safelight's settings.

`safelight verify BUNDLE.zip` checks an evidence bundle without loading Django or any
configuration. `safelight demo` and `safelight democode` always run in demo mode. Any other
command reads SAFELIGHT_MODE (production by default) and stops with a one-line message naming
the variable to set when configuration is missing.
"""

from __future__ import annotations

import os
import sys


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv if argv is None else argv)
    argv[0] = "safelight"
    if argv[1:2] == ["verify"]:  # a court clerk has no Safelight configuration: no Django
        from safelight.evidence.verify import main as verify

        return verify(argv[2:])
    if argv[1:2] in (["demo"], ["democode"]):
        os.environ["SAFELIGHT_MODE"] = "demo"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "safelight.settings")

    from django.conf import settings
    from django.core.exceptions import ImproperlyConfigured

    try:
        settings.INSTALLED_APPS  # noqa: B018 - loading settings is what checks the configuration
    except ImproperlyConfigured as exc:
        sys.stderr.write(f"safelight: {exc}\n")
        return 2

    from django.core.management import execute_from_command_line

    execute_from_command_line(argv)
    return 0


if __name__ == "__main__":
    sys.exit(main())
