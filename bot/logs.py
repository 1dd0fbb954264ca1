"""Logging for the service: quiet libraries, and no secret in any line."""

from __future__ import annotations

import logging
from collections.abc import Iterable
from typing import TextIO

_SECRETS: list[str] = []  # every secret the process was given, for what it prints outside logging


def redact(text: str) -> str:
    """The text with every secret this process knows replaced by '***': the one redaction that the
    log filter and the command line's one-sentence errors share."""
    for secret in _SECRETS:
        text = text.replace(secret, "***")
    return text


class RedactSecrets(logging.Filter):
    """Replaces every secret in a record's final text with '***' (`redact`): those given here join the
    process's list, so the command line's printed sentences are redacted too."""

    def __init__(self, secrets: Iterable[str]) -> None:
        super().__init__()
        _SECRETS.extend(secret for secret in secrets if secret and secret not in _SECRETS)

    def filter(self, record: logging.LogRecord) -> bool:
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        record.msg, record.args = redact(record.getMessage()), None
        record.exc_text = redact(record.exc_text or "") or None
        return True


def configure_logging(*, verbose: bool = False, secrets: Iterable[str] = (), stream: TextIO | None = None) -> None:
    handler = logging.StreamHandler(stream)
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    handler.addFilter(RedactSecrets(secrets))
    root = logging.getLogger()
    for old in list(root.handlers):
        root.removeHandler(old)
    root.addHandler(handler)
    root.setLevel(logging.DEBUG if verbose else logging.INFO)
    # httpx logs every request URL, and Bot API URLs carry the token; the filter is the second guard.
    for noisy in ("httpx", "httpcore", "apscheduler", "aiosqlite", "asyncio", "alembic"):
        logging.getLogger(noisy).setLevel(logging.WARNING)
