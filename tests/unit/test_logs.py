"""Log lines as text or JSON, and no secret in any of them: message, arguments, traceback, stack (issue 17)."""

from __future__ import annotations

import io
import json
import logging
import sys
import threading
from collections.abc import Iterator
from urllib.parse import quote

import pytest

from bot.logs import NOISY, configure_logging, configure_service_logging, redact, secrets_of
from bot.settings import load_settings

TOKEN = "987654321:AAFkeyKEYkeyKEYkeyKEYkeyKEYkeyKEY12"
KEY = TOKEN.partition(":")[2]


@pytest.fixture
def stream() -> Iterator[io.StringIO]:
    """The root logger, the libraries' levels and the exception hooks, as they were after the test."""
    root = logging.getLogger()
    kept = (list(root.handlers), root.level, {name: logging.getLogger(name).level for name in NOISY})
    hooks = (sys.excepthook, threading.excepthook)
    yield io.StringIO()
    handlers, level, levels = kept
    root.handlers[:] = handlers
    root.setLevel(level)
    for name, value in levels.items():
        logging.getLogger(name).setLevel(value)
    sys.excepthook, threading.excepthook = hooks


def fail_with_the_token() -> None:
    try:
        raise ConnectionError(f"POST https://api.telegram.org/bot{TOKEN}/getUpdates: reset")
    except ConnectionError as exc:
        raise RuntimeError(f"polling failed for {quote(TOKEN, safe='')}") from exc


def log_everything(logger: logging.Logger) -> None:
    logger.debug("HTTP Request: POST https://api.telegram.org/bot%s/getMe", TOKEN)
    logger.info("the key alone: %s", KEY, stack_info=True)
    try:
        fail_with_the_token()
    except RuntimeError:
        logger.exception("a fault with the token in its message and its cause")
    logger.warning("a Bot API path of a token nobody told us: /bot1234:ABCdef_-ghi/sendMessage")


@pytest.mark.parametrize("log_format", ["text", "json"])
def test_no_form_of_a_token_reaches_a_line_at_debug(stream: io.StringIO, log_format: str) -> None:
    configure_logging(secrets=[TOKEN], stream=stream, log_format=log_format, level="DEBUG")
    log_everything(logging.getLogger("httpx"))  # a library's logger: DEBUG lets it speak
    printed = stream.getvalue()
    assert TOKEN not in printed
    assert KEY not in printed
    assert quote(TOKEN, safe="") not in printed
    assert "ABCdef_-ghi" not in printed
    assert "/bot***/getMe" in printed
    assert "polling failed for ***" in printed
    assert "/bot***/getUpdates: reset" in printed  # the cause's message, in the traceback
    assert "/bot***/sendMessage" in printed
    if log_format == "json":
        entries = [json.loads(line) for line in printed.splitlines()]
        assert [entry["level"] for entry in entries] == ["DEBUG", "INFO", "ERROR", "WARNING"]
        assert {entry["logger"] for entry in entries} == {"httpx"}
        assert entries[0]["message"] == "HTTP Request: POST https://api.telegram.org/bot***/getMe"
        assert entries[1]["stack"].startswith("Stack (most recent call last):")
        assert entries[2]["exception"].startswith("Traceback (most recent call last):")
        assert entries[2]["time"].endswith("+00:00")


def test_the_libraries_speak_at_debug_only_when_the_level_says_so(stream: io.StringIO) -> None:
    configure_logging(stream=stream, verbose=True)
    assert logging.getLogger().level == logging.DEBUG
    assert logging.getLogger("httpx").level == logging.WARNING
    configure_logging(stream=stream, level="DEBUG")
    assert logging.getLogger("httpx").level == logging.DEBUG
    configure_logging(stream=stream, level="ERROR")
    assert (logging.getLogger().level, logging.getLogger("httpx").level) == (logging.ERROR, logging.ERROR)


def test_an_uncaught_exception_is_logged_redacted_not_printed_raw(stream: io.StringIO) -> None:
    configure_logging(secrets=[TOKEN], stream=stream, log_format="json")
    try:
        fail_with_the_token()
    except RuntimeError:
        sys.excepthook(*sys.exc_info())  # type: ignore[arg-type]
    entry = json.loads(stream.getvalue())
    assert (entry["level"], entry["message"]) == ("CRITICAL", "uncaught exception")
    assert "RuntimeError: polling failed for ***" in entry["exception"]
    assert KEY not in stream.getvalue()


def test_arguments_that_do_not_fit_are_not_printed_raw(stream: io.StringIO, capsys: pytest.CaptureFixture[str]) -> None:
    """logging prints a record whose arguments fail, arguments and all, on stderr: not this one."""
    configure_logging(secrets=[TOKEN], stream=stream)
    logging.getLogger("bot").warning("one %s and %s", TOKEN)
    assert stream.getvalue().endswith("bot: one %s and %s (its arguments did not fit the message)\n")
    assert capsys.readouterr().err == ""


def test_every_secret_setting_is_redacted(stream: io.StringIO) -> None:
    zalo, webhook = "zalo-secret-0123456789", "webhook-secret-abcdef"
    settings = load_settings(telegram_token=TOKEN, zalo_token=zalo, zalo_webhook_secret=webhook, log_format="JSON")
    assert sorted(secrets_of(settings)) == sorted([TOKEN, zalo, webhook])
    configure_service_logging(settings, stream=stream)
    logging.getLogger("bot").info("%s %s %s", TOKEN, zalo, webhook)
    assert json.loads(stream.getvalue())["message"] == "*** *** ***"
    assert redact(f"sent {webhook}") == "sent ***"  # the command line's sentences too
