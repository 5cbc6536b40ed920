"""WSGI entry point. `safelight serve` runs it in gunicorn with Safelight's logging; another
WSGI server can load it, but must keep its access log off (docs/configuration.md)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "safelight.settings")
application = get_wsgi_application()
