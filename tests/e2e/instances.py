"""Real `nhacviec run` processes (tests/e2e/serve_process.py) for a test or a benchmark to start,
watch, stop with SIGTERM and kill with SIGKILL; each one's output in a file.

Each instance names the fake Bot API server its own way (127.0.0.1, localhost, ...), so the server's
records tell which instance made each call (`SentRecord.host`).
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
import sys
import time
from datetime import datetime
from pathlib import Path

SERVE = Path(__file__).with_name("serve_process.py")
HOSTS = ("127.0.0.1", "localhost")  # one name of the loopback server per instance
POLLS = "this instance polls telegram now"


class Instance:
    def __init__(self, name: str, host: str, process: asyncio.subprocess.Process, output: Path) -> None:
        self.name = name
        self.host = host  # as the server sees it: "localhost:PORT"
        self.process = process
        self.output = output

    @classmethod
    async def start(cls, name: str, host: str, env: dict[str, str], at: datetime, folder: Path) -> Instance:
        """`nhacviec run` with the NHACVIEC_ variables in `env` (on top of this process's, less its own
        NHACVIEC_ ones), its clock starting at `at`; it writes to `<folder>/<name>.log`."""
        inherited = {key: value for key, value in os.environ.items() if not key.startswith("NHACVIEC_")}
        output = folder / f"{name}.log"
        with output.open("wb") as log:
            process = await asyncio.create_subprocess_exec(
                sys.executable, str(SERVE), at.isoformat(),
                env={**inherited, **env}, cwd=folder, stdout=log, stderr=asyncio.subprocess.STDOUT,
            )  # fmt: skip
        return cls(name, host, process, output)

    @property
    def printed(self) -> str:
        return self.output.read_text(errors="replace")

    @property
    def polls(self) -> bool:
        """Whether it said it took the poller lock last (and did not say it stopped since)."""
        text = self.printed
        return text.rfind(POLLS) > text.rfind("this one stops polling")

    async def until_printed(self, words: str, timeout: float) -> float:  # noqa: ASYNC109
        """Wait until its output shows `words`; the time.monotonic() it was seen."""
        deadline = time.monotonic() + timeout
        while words not in self.printed:
            if self.process.returncode is not None:
                raise AssertionError(f"{self.name} ended ({self.process.returncode}) before {words!r}:\n{self.printed}")
            if time.monotonic() > deadline:
                raise AssertionError(f"{self.name} did not print {words!r} within {timeout:g} s:\n{self.printed}")
            await asyncio.sleep(0.05)
        return time.monotonic()

    async def terminate(self) -> float:
        """SIGTERM; the seconds until the process exited (0 if it had ended already: see its returncode)."""
        began = time.monotonic()
        try:
            self.process.send_signal(signal.SIGTERM)
        except ProcessLookupError:  # it ended by itself
            await self.process.wait()
            return 0.0
        await asyncio.wait_for(self.process.wait(), timeout=30)
        return time.monotonic() - began

    def kill_now(self) -> None:
        """SIGKILL, from a callback that cannot wait (the fake server's `on_sent`)."""
        if self.process.returncode is None:
            with contextlib.suppress(ProcessLookupError):
                os.kill(self.process.pid, signal.SIGKILL)

    async def kill(self) -> None:
        if self.process.returncode is None:
            with contextlib.suppress(ProcessLookupError):  # it ended, not yet waited for
                self.process.kill()
        await self.process.wait()
