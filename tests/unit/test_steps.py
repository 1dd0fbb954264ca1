"""Step keys: made in one place, their parts read once (scheduler/steps.py)."""

from datetime import UTC, date, datetime

import pytest

from scheduler.steps import StepKey


@pytest.mark.parametrize(
    ("key", "kind", "ladder"),
    [
        (StepKey.of_ladder("-7d"), "ladder", "-7d"),
        (StepKey.of_ladder("0"), "ladder", "0"),
        (StepKey.of_ladder("+1w", granted=date(2025, 1, 20)), "extension", "+1w"),
        (StepKey.last_day(legal=False), "lastday", ""),
        (StepKey.last_day(legal=True), "legalday", ""),
        (StepKey.new_task(), "new", ""),
    ],
)
def test_a_key_is_its_text_and_knows_its_parts(key: StepKey, kind: str, ladder: str) -> None:
    again = StepKey(str(key))
    assert (again.kind, again.ladder) == (kind, ladder)
    assert again == key
    assert not key.is_digest or kind in ("lastday", "legalday")


def test_the_stored_texts_are_the_ones_rows_already_hold() -> None:
    assert StepKey.of_ladder("+1w", granted=date(2025, 1, 20)) == "x0120+1w"
    assert StepKey.week(date(2025, 1, 6)) == "week-20250106"
    assert StepKey.new_task() == "new"
    assert StepKey.quota("zalo", "2025-01") == "quota-zalo-2025-01"
    assert StepKey.later(datetime(2025, 1, 9, 1, 30, tzinfo=UTC)) == "later-202501090130"


def test_digest_and_put_off_keys_give_back_what_they_were_made_from() -> None:
    week = StepKey("week-20250106")
    assert (week.kind, week.monday, week.is_digest) == ("week", date(2025, 1, 6), True)
    quota = StepKey("quota-zalo-2025-01")
    assert (quota.kind, quota.channel, quota.month, quota.is_digest) == ("quota", "zalo", "2025-01", True)
    later = StepKey("later-202501090130")
    assert (later.kind, later.moment, later.is_digest) == ("later", datetime(2025, 1, 9, 1, 30, tzinfo=UTC), False)
