"""Self-test of the fake Zalo Bot API server, driven by plain httpx (and a small aiohttp server as the webhook)."""

from __future__ import annotations

import asyncio
import re
import time
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from datetime import UTC, datetime

import httpx
import pytest
from aiohttp import web

from tests.fakes.zalo_api import SECRET_HEADER, FakeZaloServer

TOKEN = "zalo-token-123"
SECRET = "bi-mat-123"
HEX_ID = re.compile(r"[0-9a-f]{20}")
TIMEOUT_BODY = {"ok": False, "error_code": 408, "description": "Request timeout"}


@pytest.fixture
async def server() -> AsyncIterator[FakeZaloServer]:
    async with FakeZaloServer(token=TOKEN, bot_name="Nhắc việc") as fake:
        yield fake


@pytest.fixture
async def http(server: FakeZaloServer) -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(base_url=f"{server.root}/bot{TOKEN}", timeout=10) as client:
        yield client


@dataclass
class Hook:
    """A webhook receiver: records each POST (headers, JSON body) and answers 200."""

    url: str = ""
    received: list[tuple[dict[str, str], object]] = field(default_factory=list)
    arrived: asyncio.Event = field(default_factory=asyncio.Event)


@pytest.fixture
async def hook() -> AsyncIterator[Hook]:
    result = Hook()

    async def receive(request: web.Request) -> web.Response:
        result.received.append((dict(request.headers), await request.json()))
        result.arrived.set()
        return web.json_response({"message": "Success"})

    app = web.Application()
    app.router.add_post("/zalo/webhook", receive)
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    await web.TCPSite(runner, "127.0.0.1", 0).start()
    result.url = f"http://127.0.0.1:{runner.addresses[0][1]}/zalo/webhook"
    try:
        yield result
    finally:
        await runner.cleanup()


async def test_get_me(server: FakeZaloServer, http: httpx.AsyncClient) -> None:
    response = await http.post("/getMe", json={})
    assert response.status_code == 200
    body = response.json()
    assert body["ok"] is True
    me = body["result"]
    assert set(me) == {"id", "account_name", "account_type", "can_join_groups"}
    assert (me["account_name"], me["account_type"], me["can_join_groups"]) == ("Nhắc việc", "BASIC", False)
    assert isinstance(me["id"], str)
    assert me["id"] == server.bot_id
    assert FakeZaloServer(token="1459232241454765289:abc").bot_id == "1459232241454765289"
    assert (await http.get("/getMe")).json()["ok"] is True  # GET works too


async def test_text_update_arrives_once_as_one_object(server: FakeZaloServer, http: httpx.AsyncClient) -> None:
    user = server.user(user_id="6ede9afa9b2b4f2a", display_name="Lan")
    before = int(time.time() * 1000)
    sent = await user.send("Xin chào")
    response = await http.post("/getUpdates", json={"timeout": 1})
    assert response.status_code == 200
    body = response.json()
    assert body == {"ok": True, "result": sent}
    update = body["result"]
    assert isinstance(update, dict)
    assert "update_id" not in update
    assert update["event_name"] == "message.text.received"
    message = update["message"]
    assert message["from"] == {"id": "6ede9afa9b2b4f2a", "display_name": "Lan", "is_bot": False}
    assert message["chat"] == {"id": "6ede9afa9b2b4f2a", "chat_type": "PRIVATE"}
    assert message["text"] == "Xin chào"
    assert HEX_ID.fullmatch(message["message_id"])
    assert before <= message["date"] <= int(time.time() * 1000)  # milliseconds
    again = await http.post("/getUpdates", json={"timeout": 0})
    assert (again.status_code, again.json()) == (408, TIMEOUT_BODY)  # delivered once
    assert server.pending_updates == []
    assert server.stats.updates_polled == 1


async def test_idle_long_poll_answers_408_after_the_timeout(http: httpx.AsyncClient) -> None:
    started = time.monotonic()
    response = await http.post("/getUpdates", json={"timeout": 1})
    elapsed = time.monotonic() - started
    assert (response.status_code, response.json()) == (408, TIMEOUT_BODY)
    assert 0.9 <= elapsed < 3


async def test_timeout_as_a_string_or_in_the_query(http: httpx.AsyncClient) -> None:
    started = time.monotonic()
    assert (await http.post("/getUpdates", json={"timeout": "0"})).status_code == 408
    assert (await http.post("/getUpdates", params={"timeout": "0"})).status_code == 408
    assert time.monotonic() - started < 1
    assert (await http.post("/getUpdates", json={"timeout": "abc"})).status_code == 400


async def test_two_updates_come_one_per_call_in_order(server: FakeZaloServer, http: httpx.AsyncClient) -> None:
    lan, minh = server.user(display_name="Lan"), server.user(display_name="Minh")
    assert HEX_ID.fullmatch(lan.id)
    assert lan.id != minh.id
    assert server.user(lan.id) is lan
    assert lan.user_id == lan.chat_id == lan.id
    first = await lan.send("một")
    second = await minh.send("hai")
    assert first["message"]["message_id"] != second["message"]["message_id"]
    got = [(await http.post("/getUpdates", json={"timeout": 1})).json()["result"] for _ in range(2)]
    assert got == [first, second]
    assert [u["message"]["from"]["display_name"] for u in got] == ["Lan", "Minh"]


async def test_long_poll_answers_as_soon_as_an_update_arrives(server: FakeZaloServer, http: httpx.AsyncClient) -> None:
    poll = asyncio.create_task(http.post("/getUpdates", json={"timeout": 10}))
    await asyncio.sleep(0.2)
    started = time.monotonic()
    await server.user().send("chào")
    response = await asyncio.wait_for(poll, 3)
    assert response.json()["result"]["message"]["text"] == "chào"
    assert time.monotonic() - started < 2


async def test_image_sticker_and_redelivery(server: FakeZaloServer, http: httpx.AsyncClient) -> None:
    user = server.user()
    image = await user.send_image("https://example.com/a.jpg", caption="Báo cáo")
    assert image["event_name"] == "message.image.received"
    assert image["message"]["photo_url"] == image["message"]["photo"] == "https://example.com/a.jpg"
    assert image["message"]["caption"] == "Báo cáo"
    assert "text" not in image["message"]
    sticker = await user.send_sticker("0e078a2fb66a5f34067b")
    assert sticker["event_name"] == "message.sticker.received"
    assert await user.redeliver(image) == image
    got = [(await http.post("/getUpdates", json={"timeout": 1})).json()["result"] for _ in range(3)]
    assert got == [image, sticker, image]  # the same message_id twice: the app must deduplicate


async def test_send_message_is_recorded(server: FakeZaloServer, http: httpx.AsyncClient) -> None:
    user = server.user(display_name="Lan")
    await user.send("/start")
    response = await http.post("/sendMessage", json={"chat_id": user.chat_id, "text": "Chào chị Lan"})
    assert response.status_code == 200
    result = response.json()["result"]
    assert set(result) == {"message_id", "date"}
    assert HEX_ID.fullmatch(result["message_id"])
    assert abs(result["date"] - time.time() * 1000) < 5000
    record = server.sent[-1]
    assert (record.method, record.chat_id, record.text, record.message_id) == (
        "sendMessage",
        user.chat_id,
        "Chào chị Lan",
        result["message_id"],
    )
    assert record.params == {"chat_id": user.chat_id, "text": "Chào chị Lan"}
    assert (await server.next_message(user.chat_id))["text"] == "Chào chị Lan"
    assert [m["text"] for m in server.messages_to(user.chat_id)] == ["Chào chị Lan"]
    assert server.calls[-1] == ("sendMessage", {"chat_id": user.chat_id, "text": "Chào chị Lan"})
    assert server.stats.messages_sent == 1
    assert server.stats.sent_by_month == {server.month_key(): 1}
    assert server.sent_in_month() == 1


async def test_form_and_query_parameters_are_accepted(server: FakeZaloServer, http: httpx.AsyncClient) -> None:
    user = server.user()
    await user.send("hi")
    assert (await http.post("/sendMessage", data={"chat_id": user.chat_id, "text": "form"})).status_code == 200
    assert (await http.post("/sendMessage", params={"chat_id": user.chat_id, "text": "query"})).status_code == 200
    assert [m["text"] for m in server.messages_to(user.chat_id)] == ["form", "query"]
    bad = await http.post("/sendMessage", content=b"{not json", headers={"Content-Type": "application/json"})
    assert bad.status_code == 400


async def test_bot_cannot_write_first(server: FakeZaloServer, http: httpx.AsyncClient) -> None:
    silent = server.user(display_name="Minh")  # exists, never wrote
    for chat_id in (silent.chat_id, "ffffffffffffffffffff"):
        response = await http.post("/sendMessage", json={"chat_id": chat_id, "text": "xin chào"})
        assert (response.status_code, response.json()) == (
            400,
            {"ok": False, "error_code": 400, "description": "Bad Request: chat not found"},
        )
    assert server.sent == []
    server.strict_chats = False
    assert (await http.post("/sendMessage", json={"chat_id": "ffffffffffffffffffff", "text": "x"})).status_code == 200


async def test_text_length_limits(server: FakeZaloServer, http: httpx.AsyncClient) -> None:
    user = server.user()
    await user.send("hi")
    ok = await http.post("/sendMessage", json={"chat_id": user.chat_id, "text": "ạ" * 2000})
    assert ok.status_code == 200
    too_long = await http.post("/sendMessage", json={"chat_id": user.chat_id, "text": "a" * 2001})
    assert (too_long.status_code, too_long.json()) == (
        400,
        {"ok": False, "error_code": 400, "description": "Bad Request: text is too long"},
    )
    emoji = await http.post("/sendMessage", json={"chat_id": user.chat_id, "text": "a" * 1999 + "😀"})
    assert emoji.status_code == 400  # counted in UTF-16 units, like the Java server
    for body in ({"chat_id": user.chat_id}, {"chat_id": user.chat_id, "text": ""}):
        missing = await http.post("/sendMessage", json=body)
        assert (missing.status_code, missing.json()["description"]) == (400, "Bad Request: text is empty")
    assert (await http.post("/sendMessage", json={"text": "x"})).status_code == 400
    assert len(server.sent) == 1


async def test_wrong_token_and_unknown_method(server: FakeZaloServer) -> None:
    async with httpx.AsyncClient(base_url=server.root) as client:
        wrong = await client.post("/botnot-the-token/getMe", json={})
        assert (wrong.status_code, wrong.json()) == (
            401,
            {"ok": False, "error_code": 401, "description": "Unauthorized"},
        )
        unknown = await client.post(f"/bot{TOKEN}/editMessageText", json={})
        assert (unknown.status_code, unknown.json()["error_code"]) == (404, 404)
        assert (await client.post(f"/bot{TOKEN}/getme", json={})).status_code == 404  # names are case-sensitive
        assert (await client.get("/elsewhere")).status_code == 404
    assert server.calls == []


async def test_photo_sticker_and_chat_action(server: FakeZaloServer, http: httpx.AsyncClient) -> None:
    user = server.user()
    await user.send("hi")
    photo = await http.post(
        "/sendPhoto", json={"chat_id": user.chat_id, "photo": "https://placehold.co/600x400", "caption": "Ảnh"}
    )
    assert photo.status_code == 200
    assert set(photo.json()["result"]) == {"message_id", "date"}
    assert (await http.post("/sendPhoto", json={"chat_id": user.chat_id, "photo": "file:///etc/x"})).status_code == 400
    sticker = await http.post("/sendSticker", json={"chat_id": user.chat_id, "sticker": "0e078a2fb66a5f34067b"})
    assert sticker.status_code == 200
    action = await http.post("/sendChatAction", json={"chat_id": user.chat_id, "action": "typing"})
    assert (action.status_code, action.json()) == (200, {"ok": True})
    assert (await http.post("/sendChatAction", json={"chat_id": user.chat_id, "action": "dance"})).status_code == 400
    assert [(r.method, r.text) for r in server.sent] == [("sendPhoto", "Ảnh"), ("sendSticker", None)]
    assert server.messages_to(user.chat_id)[0]["photo"] == "https://placehold.co/600x400"
    assert server.messages_to(user.chat_id)[1]["sticker"] == "0e078a2fb66a5f34067b"


async def test_webhook_wrapped_then_bare(server: FakeZaloServer, http: httpx.AsyncClient, hook: Hook) -> None:
    response = await http.post("/setWebhook", json={"url": hook.url, "secret_token": SECRET})
    assert response.status_code == 200
    result = response.json()["result"]
    assert result["url"] == hook.url
    assert isinstance(result["updated_at"], int)
    assert (await http.post("/getWebhookInfo", json={})).json()["result"]["url"] == hook.url

    user = server.user(display_name="Lan")
    update = await user.send("qua webhook")  # returns once the webhook answered
    headers, body = hook.received[-1]
    assert headers[SECRET_HEADER] == SECRET
    assert headers["Content-Type"] == "application/json"
    assert body == {"ok": True, "result": update}
    assert server.pending_updates == []

    conflict = await http.post("/getUpdates", json={"timeout": 1})
    assert (conflict.status_code, conflict.json()["error_code"]) == (409, 409)

    server.webhook_body = "bare"
    bare = await user.send("không bọc")
    assert hook.received[-1][1] == bare
    assert [d.status for d in server.webhook_deliveries] == [200, 200]
    assert server.stats.webhook_posts == 2

    # replying to a webhook message works as with polling
    reply = await http.post("/sendMessage", json={"chat_id": user.chat_id, "text": "đã nhận"})
    assert reply.status_code == 200

    redelivered = user.redeliver(bare)
    assert await redelivered == bare
    assert hook.received[-1][1] == bare

    deleted = await http.post("/deleteWebhook", json={})
    assert deleted.json()["result"]["url"] == ""
    later = await user.send("lại polling")
    assert (await http.post("/getUpdates", json={"timeout": 1})).json()["result"] == later


async def test_set_webhook_validation(http: httpx.AsyncClient, hook: Hook) -> None:
    short = await http.post("/setWebhook", json={"url": hook.url, "secret_token": "short"})
    assert short.status_code == 400
    no_secret = await http.post("/setWebhook", json={"url": hook.url})
    assert no_secret.status_code == 400
    plain_http = await http.post("/setWebhook", json={"url": "http://example.com/hook", "secret_token": SECRET})
    assert plain_http.status_code == 400  # plain http only on loopback, for tests
    assert (await http.post("/setWebhook", json={"secret_token": SECRET})).status_code == 400
    assert (await http.post("/getWebhookInfo")).json()["result"]["url"] == ""


async def test_pending_long_poll_is_answered_409_when_a_webhook_is_set(http: httpx.AsyncClient, hook: Hook) -> None:
    poll = asyncio.create_task(http.post("/getUpdates", json={"timeout": 10}))
    await asyncio.sleep(0.2)
    await http.post("/setWebhook", json={"url": hook.url, "secret_token": SECRET})
    assert (await asyncio.wait_for(poll, 3)).status_code == 409


async def test_failed_webhook_is_recorded(server: FakeZaloServer, http: httpx.AsyncClient) -> None:
    dead = f"{server.root}/nowhere"  # the fake answers 404 there
    await http.post("/setWebhook", json={"url": dead, "secret_token": SECRET})
    await server.user().send("x")
    delivery = server.webhook_deliveries[-1]
    assert (delivery.status, delivery.url) == (404, dead)
    assert server.stats.webhook_failures == 1


async def test_stop_ends_a_pending_long_poll_promptly() -> None:
    fake = await FakeZaloServer().start()
    async with httpx.AsyncClient(base_url=fake.base_url) as client:
        poll = asyncio.create_task(client.post("/getUpdates", json={"timeout": 30}))
        await asyncio.sleep(0.2)
        started = time.monotonic()
        await fake.stop()
        response = await asyncio.wait_for(poll, 3)
        assert response.status_code == 408
        assert time.monotonic() - started < 2


async def test_fault_injection(server: FakeZaloServer, http: httpx.AsyncClient) -> None:
    user = server.user()
    await user.send("hi")
    server.fail_next(2, status=502)
    failed = await http.post("/sendMessage", json={"chat_id": user.chat_id, "text": "1"})
    assert (failed.status_code, failed.json()) == (502, {"ok": False, "error_code": 502, "description": "Bad Gateway"})
    # getUpdates is exempt from untargeted faults
    assert (await http.post("/getUpdates", json={"timeout": 1})).status_code == 200
    assert (await http.post("/sendMessage", json={"chat_id": user.chat_id, "text": "2"})).status_code == 502
    assert (await http.post("/sendMessage", json={"chat_id": user.chat_id, "text": "3"})).status_code == 200
    assert [r.text for r in server.sent] == ["3"]
    server.fail_next(1, status=500, method="getUpdates")
    assert (await http.post("/getUpdates", json={"timeout": 0})).status_code == 500
    server.drop_next(1, method="getMe")
    with pytest.raises(httpx.RemoteProtocolError):
        await http.post("/getMe")
    assert server.stats.dropped == 1

    server.fail_ratio = 0.5
    statuses = [(await http.post("/getMe")).status_code for _ in range(40)]
    assert 5 < statuses.count(200) < 35
    assert set(statuses) <= {200, 500, 502}


async def test_fail_ratio_is_reproducible_with_a_seed() -> None:
    async def run() -> list[int]:
        async with (
            FakeZaloServer(seed=7) as fake,
            httpx.AsyncClient(base_url=fake.base_url) as client,
        ):
            fake.fail_ratio = 0.3
            return [(await client.post("/getMe")).status_code for _ in range(30)]

    first, second = await run(), await run()
    assert first == second
    assert 200 in first
    assert set(first) - {200}


async def test_quota_and_month_keys(server: FakeZaloServer, http: httpx.AsyncClient) -> None:
    user = server.user()
    await user.send("hi")
    # 23:30 on 31 January in UTC is already February in Hà Nội
    server.clock = lambda: datetime(2025, 1, 31, 17, 30, tzinfo=UTC).timestamp()
    server.monthly_quota = 2
    for text in ("1", "2"):
        assert (await http.post("/sendMessage", json={"chat_id": user.chat_id, "text": text})).status_code == 200
    refused = await http.post("/sendMessage", json={"chat_id": user.chat_id, "text": "3"})
    assert (refused.status_code, refused.json()["description"]) == (429, "Quota exceeded")
    assert server.stats.sent_by_month == {"2025-02": 2}
    assert server.sent_in_month("2025-02") == 2
    assert server.stats.quota_refused == 1
    assert server.sent[-1].date == int(datetime(2025, 1, 31, 17, 30, tzinfo=UTC).timestamp() * 1000)


async def test_next_message_times_out_with_a_helpful_error(server: FakeZaloServer, http: httpx.AsyncClient) -> None:
    user = server.user()
    await user.send("hi")
    await http.post("/sendMessage", json={"chat_id": user.chat_id, "text": "một"})
    assert (await user.next_message())["text"] == "một"
    with pytest.raises(AssertionError, match=r"no new message to chat .* within 0.2s; sent to it so far: \['một'\]"):
        await server.next_message(user.chat_id, timeout=0.2)
    with pytest.raises(AssertionError, match="unknown chat"):
        await server.next_message("00000000000000000000", timeout=0.1)
