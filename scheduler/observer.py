"""What the planner and the dispatcher tell whoever watches them: bot/web/metrics.py counts it, and
/readyz asks when the dispatcher last got through its work."""

from __future__ import annotations

from datetime import datetime
from typing import Protocol


class Observer(Protocol):
    def planned(self, count: int) -> None:
        """The planner wrote `count` new outbox rows."""
        ...

    def dispatched(self, at: datetime) -> None:
        """The dispatcher ended a pass at `at`, or a batch of a long one (a fan-out of thousands)."""
        ...


class Unobserved:
    """Nobody watches (the demo, most tests)."""

    def planned(self, count: int) -> None:
        pass

    def dispatched(self, at: datetime) -> None:
        pass
