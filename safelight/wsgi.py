"""WSGI entry point: `gunicorn safelight.wsgi` (the demo starts gunicorn in-process instead)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "safelight.settings")
application = get_wsgi_application()
