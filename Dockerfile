# The app as deployed: gunicorn for the web, the same image for the Celery worker and beat.
# Debian 12, like the machines the scripts are tested on.
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

# Pango and a font for WeasyPrint's PDF documents.
RUN apt-get update \
    && apt-get install -y --no-install-recommends \
        libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core \
    && rm -rf /var/lib/apt/lists/*

WORKDIR /app
COPY requirements.lock .
RUN pip install -r requirements.lock

COPY . .
# Settings refuse to load without a secret; collectstatic needs none of the real one.
RUN SECRET_KEY=collectstatic-only python manage.py collectstatic --noinput

# The app runs unprivileged; var/ holds the beat schedule, /data/media the uploads (a volume).
RUN useradd --system --uid 1000 --home-dir /app app \
    && mkdir -p /data/media \
    && chown -R app /app/var /data/media
USER app
ENV MEDIA_ROOT=/data/media

EXPOSE 8000
CMD ["gunicorn", "mhhs_gov.wsgi", "--bind", "0.0.0.0:8000", "--access-logfile", "-", "--logger-class", "mhhs_gov.log_redaction.GunicornLogger"]
