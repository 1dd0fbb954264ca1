"""Logging for the service: quiet libraries, text or JSON lines, and no secret in any line.

Every record passes one filter on the one handler (`RedactSecrets`), whatever its level or logger:
its message, its traceback and its stack are redacted before any formatter sees them. An exception
nobody caught (the main thread's or another thread's) is logged the same way, not printed raw.
"""

from __future__ import annotations

import json
import logging
import re
import sys
import threading
from collections.abc import Callable, Iterable
from datetime import UTC, datetime
from types import TracebackType
from typing import TextIO
from urllib.parse import quote

from pydantic import SecretStr

from bot.settings import Settings

_SECRETS: list[str] = []  # every secret the process was given, for what it prints outside logging
# A Bot API URL carries a token after "/bot" (Telegram's: digits, a colon, letters): whether or not
# this process was told that token, such a path is never printed whole. The colon may come quoted.
_BOT_PATH = re.compile(r"(?<=/bot)\d+(?::|%3A)[A-Za-z0-9_-]+", re.IGNORECASE)
TEXT_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"
# Libraries that speak at INFO of every request (httpx prints each URL, and Bot API URLs carry the
# token: the filter is the second guard) or of their own routine: WARNING unless the level is DEBUG.
NOISY = ("httpx", "httpcore", "apscheduler", "aiosqlite", "asyncio", "alembic", "aiohttp")


def redact(text: str) -> str:
    """The text with every secret this process knows replaced by '***': the one redaction that the
    log filter and the command line's one-sentence errors share."""
    for secret in _SECRETS:
        text = text.replace(secret, "***")
    return _BOT_PATH.sub("***", text)


def redactor(secrets: Iterable[str]) -> Callable[[str], str]:
    """`redact` with these secrets too, whether or not logging was told them: for what is stored (an
    API error's description echoing the request's path, kept in `reminder.last_error` and so in every
    backup). storage/ and scheduler/ are handed it; they do not import bot/."""
    forms = sorted({form for secret in secrets if secret for form in _forms(secret)}, key=len, reverse=True)

    def redacted(text: str) -> str:
        for form in forms:
            text = text.replace(form, "***")
        return redact(text)

    return redacted


def _forms(secret: str) -> list[str]:
    """A secret as it may be printed: whole, URL-quoted, and a Telegram token's key alone (the part
    after the colon, 35 characters from BotFather; the bot's id before it is public). A key too short
    to be one (a test's) would take every such letter out of every line."""
    forms = [secret, quote(secret, safe="")]
    bot_id, colon, key = secret.partition(":")
    if colon and bot_id.isdigit() and len(key) >= 8:
        forms.append(key)
    return forms


class RedactSecrets(logging.Filter):
    """Replaces every secret in a record's final text with '***' (`redact`): those given here join the
    process's list, so the command line's printed sentences are redacted too."""

    def __init__(self, secrets: Iterable[str]) -> None:
        super().__init__()
        for secret in secrets:
            for form in _forms(secret) if secret else ():
                if form not in _SECRETS:
                    _SECRETS.append(form)
        _SECRETS.sort(key=len, reverse=True)  # a whole token before its key alone

    def filter(self, record: logging.LogRecord) -> bool:
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        try:
            message = record.getMessage()
        except Exception:  # arguments that do not fit: logging would print them raw on stderr
            message = f"{record.msg} (its arguments did not fit the message)"
        record.msg, record.args = redact(message), None
        record.exc_text = redact(record.exc_text or "") or None
        if record.stack_info:
            record.stack_info = redact(record.stack_info)
        return True


class JsonLines(logging.Formatter):
    """One JSON object a line: time (UTC, ISO 8601), level, logger, message, and the exception's text
    (traceback included) and the stack when the record has them."""

    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        if record.exc_info and not record.exc_text:
            record.exc_text = self.formatException(record.exc_info)
        if record.exc_text:
            entry["exception"] = record.exc_text
        if record.stack_info:
            entry["stack"] = self.formatStack(record.stack_info)
        return json.dumps(entry, ensure_ascii=False)


def secrets_of(settings: Settings) -> list[str]:
    """Every secret among the settings (tokens, webhook secrets): each SecretStr, whatever its name."""
    values = (getattr(settings, name) for name in type(settings).model_fields)
    return [value.get_secret_value() for value in values if isinstance(value, SecretStr)]


def configure_service_logging(settings: Settings, *, verbose: bool = False, stream: TextIO | None = None) -> None:
    """The service's logging as its settings say (NHACVIEC_LOG_FORMAT, NHACVIEC_LOG_LEVEL), every secret redacted."""
    configure_logging(
        verbose=verbose,
        secrets=secrets_of(settings),
        stream=stream,
        log_format=settings.log_format,
        level=settings.log_level,
    )


def configure_logging(
    *,
    verbose: bool = False,
    secrets: Iterable[str] = (),
    stream: TextIO | None = None,
    log_format: str = "text",
    level: str = "INFO",
) -> None:
    """One handler on the root logger. `verbose`: our own DEBUG lines; `level` DEBUG: every library's too."""
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JsonLines() if log_format == "json" else logging.Formatter(TEXT_FORMAT))
    handler.addFilter(RedactSecrets(secrets))
    root = logging.getLogger()
    for old in list(root.handlers):
        root.removeHandler(old)
    root.addHandler(handler)
    chosen = logging.getLevelNamesMapping()[level]
    root.setLevel(logging.DEBUG if verbose else chosen)
    for noisy in NOISY:
        logging.getLogger(noisy).setLevel(logging.DEBUG if chosen == logging.DEBUG else max(chosen, logging.WARNING))
    sys.excepthook = _log_uncaught
    threading.excepthook = _log_uncaught_in_thread


def _log_uncaught(kind: type[BaseException], error: BaseException, trace: TracebackType | None) -> None:
    """An exception nobody caught, through the handler's filter rather than printed raw on stderr."""
    if issubclass(kind, KeyboardInterrupt):
        sys.__excepthook__(kind, error, trace)
        return
    logging.getLogger("nhacviec").critical("uncaught exception", exc_info=(kind, error, trace))


def _log_uncaught_in_thread(args: threading.ExceptHookArgs) -> None:
    if args.exc_value is None:
        return
    thread = args.thread.name if args.thread is not None else "?"
    logging.getLogger("nhacviec").critical(
        "uncaught exception in thread %s", thread, exc_info=(args.exc_type, args.exc_value, args.exc_traceback)
    )
