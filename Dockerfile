# Production image: python:3.11-slim, non-root, gunicorn with uvicorn workers (ASGI).
FROM python:3.11-slim AS base

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PIP_NO_CACHE_DIR=1

# libpq for psycopg, libglib for OpenCV's headless wheel, curl for the HEALTHCHECK, gettext to
# compile the translations (locale/*.po -> .mo) at build time.
RUN apt-get update \
    && apt-get install -y --no-install-recommends libpq5 libglib2.0-0 curl gettext \
    && rm -rf /var/lib/apt/lists/*

RUN groupadd --system app && useradd --system --gid app --home-dir /app --shell /usr/sbin/nologin app
WORKDIR /app

COPY requirements.txt ./
RUN pip install -r requirements.txt

COPY --chown=app:app . .

# collectstatic needs settings to import; these build-time values never reach a running container.
# DJANGO_COLLECTSTATIC_ONLY: no database at build time (a running container needs DATABASE_URL).
RUN DJANGO_SETTINGS_MODULE=photomemory.settings.production \
    DJANGO_READ_DOT_ENV_FILE=false \
    DJANGO_COLLECTSTATIC_ONLY=1 \
    SECRET_KEY=collectstatic-only-not-a-secret \
    ALLOWED_HOSTS=localhost \
    REDIS_URL=redis://localhost:6379/0 \
    python manage.py collectstatic --noinput \
    && DJANGO_SETTINGS_MODULE=photomemory.settings.production \
    DJANGO_READ_DOT_ENV_FILE=false \
    DJANGO_COLLECTSTATIC_ONLY=1 \
    SECRET_KEY=collectstatic-only-not-a-secret \
    ALLOWED_HOSTS=localhost \
    REDIS_URL=redis://localhost:6379/0 \
    python manage.py compilemessages \
    && mkdir -p /app/var && chown -R app:app /app/var /app/staticfiles

USER app
ENV DJANGO_SETTINGS_MODULE=photomemory.settings.production
EXPOSE 8000

HEALTHCHECK --interval=30s --timeout=5s --start-period=20s \
    CMD curl -fsS http://127.0.0.1:8000/healthz || exit 1

CMD ["gunicorn", "photomemory.asgi:application", \
     "--worker-class", "uvicorn.workers.UvicornWorker", \
     "--bind", "0.0.0.0:8000", "--workers", "3", "--timeout", "60", \
     "--access-logfile", "-", "--forwarded-allow-ips", "*"]
