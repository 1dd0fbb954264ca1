"""Admin is a person's role, on any channel (issue 23): an admin code makes the first admin without an
id looked up, a linked Zalo account is the same admin, and a bad admin code is refused as any bad code."""

from __future__ import annotations

from datetime import timedelta

from bot.app import App
from bot.core.admin_codes import new_admin_code
from messages import common
from scheduler.clock import FakeClock
from storage.store import Store
from tests.conftest import ADMIN_ID
from tests.helpers import code_in, say, text_of

ZALO_ADMIN, ZALO_STRANGER = "6ede01ab", "6ede02cd"
OFFICE_ONLY = "Chỉ Văn phòng HĐND và UBND được dùng lệnh /quahan."


async def admin_code(app: App) -> str:
    """What `nhacviec admin invite` makes."""
    async with Store.opened(app.sessions) as store:
        made = await new_admin_code(store, now=app.core.clock.now(), created_by="cli")
        await store.commit()
    assert made is not None
    return made[0]


async def zalo(app: App, user_id: str, text: str, name: str = "Trần Thị Chánh") -> str:
    return text_of(await say(app, user_id, text, channel="zalo", name=name))


async def test_an_admin_code_sent_on_zalo_makes_the_office_admin(app: App) -> None:
    assert await zalo(app, ZALO_ADMIN, "/quahan") == OFFICE_ONLY
    answer = await zalo(app, ZALO_ADMIN, f"/dangky {await admin_code(app)}")
    assert answer.startswith("Từ nay anh/chị là quản trị của Văn phòng HĐND và UBND thị xã")
    assert await zalo(app, ZALO_ADMIN, "/quahan") != OFFICE_ONLY
    assert "Quản trị Văn phòng" in await zalo(app, ZALO_ADMIN, "/toi")
    # the same person again, with another code: told so, and that code stays unused
    code = await admin_code(app)
    assert await zalo(app, ZALO_ADMIN, f"/dangky {code}") == (
        "Anh/chị đã là quản trị của Văn phòng HĐND và UBND thị xã. Mã chưa được dùng."
    )
    assert (await zalo(app, ZALO_STRANGER, f"/dangky {code}")).startswith("Từ nay anh/chị là quản trị")


async def test_a_used_expired_or_made_up_admin_code_is_refused_as_any_bad_code(app: App, clock: FakeClock) -> None:
    code = await admin_code(app)
    await zalo(app, ZALO_ADMIN, f"/dangky {code}")
    assert await zalo(app, ZALO_STRANGER, f"/dangky {code}") == common.code_used("vi")
    official_code = code_in(await say(app, ADMIN_ID, "/moi Bần Yên Nhân"))
    await say(app, 2002, f"/dangky {official_code}")
    assert await zalo(app, ZALO_STRANGER, f"/dangky {official_code}") == common.code_used("vi")  # the same words
    late = await admin_code(app)
    clock.advance(timedelta(hours=24, minutes=1))
    refused = await zalo(app, ZALO_STRANGER, f"/dangky {late}")
    assert refused.startswith("Lời mời đã hết hạn lúc"), refused
    assert await zalo(app, ZALO_STRANGER, "/quahan") == OFFICE_ONLY  # still nobody


async def test_guessing_admin_codes_meets_the_limit(app: App) -> None:
    code = await admin_code(app)
    for guess in ("AAAAAAAAAA", "BBBBBBBBBB", "CCCCCCCCCC", "DDDDDDDDDD", "EEEEEEEEEE"):
        assert await zalo(app, ZALO_STRANGER, f"/dangky {guess}") == common.code_invalid("vi")
    stopped = await zalo(app, ZALO_STRANGER, f"/dangky {code}")  # even the right one is not looked at now
    assert stopped.startswith("Anh/chị đã nhập sai mã quá nhiều lần."), stopped
    assert await zalo(app, ZALO_STRANGER, "/quahan") == OFFICE_ONLY


async def test_a_settings_admin_linked_on_zalo_is_the_same_admin_there(app: App) -> None:
    assert await zalo(app, ZALO_ADMIN, "/quahan") == OFFICE_ONLY
    code = code_in(await say(app, ADMIN_ID, "/lienket", name="Văn phòng"))
    assert "Zalo" in await zalo(app, ZALO_ADMIN, f"/dangky {code}")
    assert await zalo(app, ZALO_ADMIN, "/quahan") != OFFICE_ONLY
    assert (await zalo(app, ZALO_ADMIN, "/moi quản trị")).splitlines()[1].startswith("Mã: ")


async def test_an_admin_made_on_zalo_is_admin_on_linked_telegram(app: App) -> None:
    await zalo(app, ZALO_ADMIN, f"/dangky {await admin_code(app)}")
    assert text_of(await say(app, 7007, "/quahan")) == OFFICE_ONLY
    code = code_in(await say(app, ZALO_ADMIN, "/lienket", channel="zalo"))
    await say(app, 7007, f"/dangky {code}", name="Trần Thị Chánh")
    assert text_of(await say(app, 7007, "/quahan")) != OFFICE_ONLY


async def test_moi_quan_tri_gives_an_admin_a_code_for_another(app: App) -> None:
    answer = text_of(await say(app, ADMIN_ID, "/moi quản trị"))
    lines = answer.splitlines()
    assert lines[0] == "Mã quản trị của Văn phòng HĐND và UBND thị xã"
    assert lines[1].startswith("Mã: ")
    code = lines[1].removeprefix("Mã: ")
    assert (await zalo(app, ZALO_ADMIN, f"/dangky {code}")).startswith("Từ nay anh/chị là quản trị")
    # an office official who is not an admin gives no admin code
    office_code = code_in(await say(app, ADMIN_ID, "/moi Văn phòng văn phòng"))
    await say(app, 3003, f"/dangky {office_code}")
    assert text_of(await say(app, 3003, "/moi quan tri")) == "Chỉ quản trị của Văn phòng mới tạo được mã quản trị."
