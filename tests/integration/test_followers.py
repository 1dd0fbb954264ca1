"""Who follows each duty (issue 25): `/nhiemvu <n> theo dõi <người>` names the office's staff member
who follows it; that person, not every admin, gets its escalations and its lines in the digest."""

from __future__ import annotations

from bot.app import App
from scheduler.clock import FakeClock
from scheduler.runner import ReminderService
from tests.conftest import ADMIN_ID
from tests.fakes.sender import FakeSender
from tests.helpers import code_in, say, text_of
from tests.integration.test_reminders import OFFICIAL, local, register, run_until

HA = 4101
PLAN = "Kế hoạch triển khai thực hiện Chủ đề công tác năm 2025"


async def test_the_follower_alone_gets_the_duty_escalations_and_digest_lines(
    app: App, clock: FakeClock, sender: FakeSender, service: ReminderService
) -> None:
    await say(app, ADMIN_ID, "/toi", name="Văn phòng")
    code = code_in(await say(app, ADMIN_ID, "/moi Văn phòng office"))
    await say(app, HA, f"/dangky {code}", name="Hà")
    await register(app, OFFICIAL, "Bần Yên Nhân")
    assert text_of(await say(app, ADMIN_ID, "/nhiemvu 1 theo dõi Hà")).startswith(
        "Hà nay là chuyên viên theo dõi nhiệm vụ số 1"
    )
    assert "Chuyên viên theo dõi: Hà" in text_of(await say(app, ADMIN_ID, "/nhiemvu 1"))
    assert text_of(await say(app, ADMIN_ID, "/nhiemvu 1 theo dõi Lan")).startswith(
        "Văn phòng không có ai tên “Lan”. Người của văn phòng: "
    )
    assert "chuyên viên theo dõi" not in text_of(await say(app, OFFICIAL, "/nhiemvu 1 theo dõi Hà"))  # office only

    await service.tick()
    await run_until(service, clock, local(2025, 1, 14, 12, 0))
    escalated = {
        user: [m for m in sender.to(user) if m.audience == "office" and m.duty_title == PLAN] for user in (ADMIN_ID, HA)
    }
    assert [m.step for m in escalated[HA]] == ["+3w"]
    assert escalated[ADMIN_ID] == []  # not every admin

    digests = {user: [m for m in sender.to(user) if m.step == "week-20250113"] for user in (ADMIN_ID, HA)}
    assert PLAN in digests[HA][0].text
    assert PLAN not in digests[ADMIN_ID][0].text

    assert text_of(await say(app, ADMIN_ID, "/nhiemvu 1 theo dõi bỏ")).startswith("Nhiệm vụ số 1 nay không có")
