"""`nhacviec run` and `nhacviec start`: the channels whose tokens are set, until a signal stops them."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import signal
import sys
import threading

import typer

from bot.app import serve
from bot.cli import demo
from bot.cli.support import fail, get_settings, run_async
from bot.logs import configure_service_logging
from bot.settings import Settings
from scheduler.clock import Clock
from storage import db

log = logging.getLogger(__name__)


def run(verbose: bool = typer.Option(False, "--verbose", "-v")) -> None:
    """Start every channel whose token is set."""
    settings = get_settings()
    if settings.telegram_token is None and settings.zalo_token is None:
        raise fail(
            "no channel token is set: set NHACVIEC_TELEGRAM_TOKEN or NHACVIEC_ZALO_TOKEN, or try `nhacviec demo`."
        )
    configure_service_logging(settings, verbose=verbose)
    run_async(serve_until_signalled(settings))


async def serve_until_signalled(settings: Settings, *, clock: Clock | None = None) -> None:
    """`serve` until SIGINT or SIGTERM (the clock is the system's but for a test's process); on SQLite,
    only when no other `nhacviec run` uses the database (`db.sole_run` says why).

    Every wait on the database during the stop has its deadline; should one still be missed, the
    process ends anyway `LAST_WORD` seconds after the signal (a thread's timer: the event loop may be
    the one stuck), what it claimed and did not record left to the leases, as after a crash.
    """
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    last_word = threading.Timer(LAST_WORD, _end_now)
    last_word.daemon = True

    def stopping() -> None:
        stop.set()
        if not last_word.is_alive():
            last_word.start()

    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stopping)
    try:
        with db.sole_run(settings.database_url):
            await serve(settings, stop=stop, clock=clock)
    finally:
        last_word.cancel()


LAST_WORD = 4.6  # seconds from SIGTERM to the end, whatever still waits: Docker's stop kills after 10


def _end_now() -> None:
    log.error(
        "still stopping %g s after the signal (the database does not answer?): ending now; "
        "reminders claimed and not recorded are sent again when their leases end",
        LAST_WORD,
    )
    for handler in logging.getLogger().handlers:
        with contextlib.suppress(Exception):
            handler.flush()
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(0)


def start(verbose: bool = typer.Option(False, "--verbose", "-v")) -> None:
    """Run the channels whose tokens are set, or the terminal demo when none is."""
    settings = get_settings()
    if settings.telegram_token is None and settings.zalo_token is None:
        typer.echo("nhacviec: no channel token is set, so here is the terminal demo.", err=True)
        demo.demo(at=None, database=None)
    else:
        run(verbose=verbose)
