"""Serving Safelight with gunicorn, in-process: no access log, no client address in any log."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.wsgi import get_wsgi_application

from safelight.logfilters import keep_server_address


def logging_config() -> dict[str, Any]:
    """gunicorn's own loggers behind the same address filter as Django's; its access log off."""
    configured: dict[str, Any] = settings.LOGGING
    level = configured["root"]["level"]
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "filters": configured["filters"],
        "formatters": configured["formatters"],
        "handlers": configured["handlers"],
        "root": {"handlers": ["stderr"], "level": level},
        "loggers": {
            "gunicorn.error": {"handlers": ["stderr"], "level": level, "propagate": False},
            "gunicorn.access": {"handlers": [], "level": "CRITICAL", "propagate": False},
        },
    }


def gunicorn_options(*, bind: str, workers: int,
                     trusted_proxies: tuple[str, ...] = ()) -> dict[str, Any]:
    return {
        "bind": bind,
        "workers": workers,
        "worker_class": "gthread",
        "threads": 4,
        "accesslog": None,  # no access log: it would hold every visitor's address
        "disable_redirect_access_to_syslog": True,
        "logconfig_dict": logging_config(),
        # Only the TLS proxy in front may say the browser used HTTPS (X-Forwarded-Proto);
        # without it, production's redirect to HTTPS would loop behind the proxy.
        "forwarded_allow_ips": ",".join(trusted_proxies),
        "limit_request_line": 8190,
        "timeout": 60,
        # gunicorn 27's control socket sits at one path per user account: two Safelight servers
        # under one account would share it, and stopping one removes the other's. Not needed.
        "control_socket_disable": True,
    }


def serve(*, bind: str, workers: int) -> None:
    from gunicorn.app.base import BaseApplication

    # The application safelight.wsgi holds for other WSGI servers, made the same way here.
    application = get_wsgi_application()
    keep_server_address(bind)
    options = gunicorn_options(bind=bind, workers=workers,
                               trusted_proxies=settings.SAFELIGHT_TRUSTED_PROXIES)

    class SafelightServer(BaseApplication):
        def load_config(self) -> None:
            for key, value in options.items():
                if key == "control_socket_disable" and key not in self.cfg.settings:
                    continue  # gunicorn before 27 has no control socket
                self.cfg.set(key, value)

        def load(self):
            return application

    SafelightServer().run()
