# Nhắc việc: `docker build -t nhacviec .` then
# `docker run -e NHACVIEC_TELEGRAM_TOKEN=... -e NHACVIEC_ADMINS=... -v nhacviec-data:/data nhacviec`
FROM python:3.12-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    NHACVIEC_DATABASE_URL=sqlite:////data/nhacviec.db

RUN useradd --create-home --uid 10001 nhacviec \
    && mkdir /data && chown nhacviec:nhacviec /data

WORKDIR /app
COPY pyproject.toml README.md ./
COPY bot ./bot
COPY scheduler ./scheduler
COPY storage ./storage
COPY messages ./messages
RUN pip install .

USER nhacviec
VOLUME ["/data"]
CMD ["nhacviec", "run"]
