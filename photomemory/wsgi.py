"""WSGI entry point (management tooling; production serves ASGI through uvicorn workers)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "photomemory.settings.base")

application = get_wsgi_application()
