"""/kehoach and /nhiemvu on the FakeStore (issue 15): each change is one unit of work that moves the
plan's revision and is audited; a refused or unreadable change writes nothing."""

from __future__ import annotations

import pytest

from tests.unit.core_rules import ADMIN, BYN, Town


@pytest.fixture
def town() -> Town:
    return Town()


def duty_actions(town: Town) -> list[str]:
    return [entry.action for entry in town.fake.tables.audit.values() if entry.action.startswith("duty_")]


async def test_a_change_moves_the_plan_and_is_audited_once(town: Town) -> None:
    revision = town.fake.tables.revision
    text = await town.text(ADMIN, "/nhiemvu 1 han chậm nhất 05/3/2025")
    assert text.startswith("Đã đổi hạn của nhiệm vụ số 1.")
    assert "Hạn: chậm nhất ngày 05/3/2025" in text
    duty = town.fake.tables.duties[1]
    assert duty.rule == {"kind": "once", "date": "2025-03-05", "inclusive": True}
    assert duty.wording == "chậm nhất ngày 05/3/2025"
    assert town.fake.tables.revision == revision + 1
    assert duty_actions(town) == ["duty_deadline"]


async def test_a_refused_or_unreadable_change_writes_nothing(town: Town) -> None:
    await town.register(BYN, "Bần Yên Nhân")
    revision = town.fake.tables.revision
    assert (await town.text(BYN, "/nhiemvu 1 kết thúc xác nhận")).startswith("Chỉ Văn phòng")
    assert (await town.text(ADMIN, "/nhiemvu 1 hạn 30/02/2025")).startswith("“30/02/2025” không phải")
    assert (await town.text(ADMIN, "/nhiemvu 1 đơn vị Sao Hỏa")).startswith("Không tìm thấy")
    assert town.fake.tables.revision == revision
    assert duty_actions(town) == []
    assert town.fake.tables.duties[1].in_plan


async def test_ended_plans_are_shown_when_asked(town: Town) -> None:
    town.clock.advance(town.clock.now().replace(year=2026) - town.clock.now())
    assert (await town.text(ADMIN, "/kehoach")).startswith("Hiện không có kế hoạch nào đang có hiệu lực.")
    assert "(đã hết hiệu lực)" in await town.text(ADMIN, "/kehoach tatca")
