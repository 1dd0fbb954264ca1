# Nhắc việc: `docker build -t nhacviec .` then
# `docker run -e NHACVIEC_TELEGRAM_TOKEN=... -e NHACVIEC_ADMINS=... -v nhacviec-data:/data -p 127.0.0.1:8080:8080 nhacviec`
# or `docker compose up -d` with PostgreSQL (compose.yaml). No Docker engine runs where this project is
# built: scripts/image_check.sh does what this image does (a fresh install, scripts/serve.sh, the
# HEALTHCHECK below) and CI runs it.
FROM python:3.12-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    NHACVIEC_DATABASE_URL=sqlite:////data/nhacviec.db \
    NHACVIEC_WEB_HOST=0.0.0.0 \
    NHACVIEC_WEB_PORT=8080

# pg_dump and pg_restore for `nhacviec db backup` on PostgreSQL: bookworm's are version 15, which
# backs up servers up to 15 (compose.yaml runs 15).
RUN apt-get update \
    && apt-get install --yes --no-install-recommends postgresql-client \
    && rm -rf /var/lib/apt/lists/* \
    && useradd --create-home --uid 10001 nhacviec \
    && mkdir /data /backups && chown nhacviec:nhacviec /data /backups

WORKDIR /app
# The exact versions of requirements.lock, checked by their hashes (scripts/lock.sh writes it), in a
# layer of their own that a change of the code does not rebuild.
COPY requirements.lock ./
RUN pip install --require-hashes -r requirements.lock
COPY pyproject.toml README.md ./
COPY bot ./bot
COPY scheduler ./scheduler
COPY storage ./storage
COPY messages ./messages
RUN pip install --no-deps . && rm -rf build
COPY scripts/serve.sh /usr/local/bin/nhacviec-serve

USER nhacviec
VOLUME ["/data", "/backups"]
EXPOSE 8080
# Ready: the database answers, every channel started, the dispatcher's last pass under 2 minutes ago.
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s --retries=3 \
    CMD ["python", "-c", "import os, urllib.request; urllib.request.urlopen('http://127.0.0.1:' + os.environ.get('NHACVIEC_WEB_PORT', '8080') + '/readyz', timeout=4)"]
# SIGTERM (docker stop) ends the service within seconds: the send in flight is recorded, the rest handed back.
STOPSIGNAL SIGTERM
CMD ["nhacviec-serve"]
