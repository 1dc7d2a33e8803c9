"""ASGI entry point: `gunicorn photomemory.asgi:application -k uvicorn.workers.UvicornWorker`."""

import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "photomemory.settings.base")

application = get_asgi_application()
