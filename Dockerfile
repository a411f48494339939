# cqcportal: one image for web (gunicorn), worker and beat (celery) and the one-shot migrate.
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    DJANGO_SETTINGS_MODULE=cqcportal.settings.production \
    DJANGO_MEDIA_ROOT=/data/media

# CJK fonts and Pango/HarfBuzz for WeasyPrint's PDFs; gettext for compilemessages.
RUN apt-get update \
    && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
        fonts-wqy-microhei fonts-noto-cjk libharfbuzz-subset0 \
        libpango-1.0-0 libpangoft2-1.0-0 gettext \
    && rm -rf /var/lib/apt/lists/*

WORKDIR /app
COPY requirements.txt .
RUN pip install -r requirements.txt

COPY . .

# Build-time only: production settings need these to import; none of them reach the image.
RUN mkdir -p locale \
    && DJANGO_SECRET_KEY=build-only-not-a-secret \
       DJANGO_ALLOWED_HOSTS=localhost \
       DATABASE_URL=sqlite:////tmp/build.sqlite3 \
       sh -c 'python manage.py compilemessages -v 0 && python manage.py collectstatic --noinput -v 0' \
    && rm -f /tmp/build.sqlite3

# A non-root user; uploads live on a volume at /data/media, owned by it.
RUN groupadd --system --gid 10001 cqcportal \
    && useradd --system --uid 10001 --gid cqcportal --create-home --home-dir /home/cqcportal \
        cqcportal \
    && mkdir -p /data/media \
    && chown -R cqcportal:cqcportal /data/media
USER cqcportal

EXPOSE 8000
CMD ["gunicorn", "cqcportal.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "3"]
