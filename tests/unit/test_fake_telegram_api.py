"""Self-test of the fake Bot API server, driven by python-telegram-bot and by plain httpx."""

from __future__ import annotations

import asyncio
import datetime as dtm
import time
from collections.abc import AsyncIterator

import httpx
import pytest
from telegram import (
    Bot,
    BotCommand,
    BotCommandScopeAllPrivateChats,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    Update,
)
from telegram.error import BadRequest, Conflict, Forbidden, InvalidToken, NetworkError, RetryAfter
from telegram.ext import Application, CallbackQueryHandler, CommandHandler, ContextTypes

from tests.fakes.telegram_api import FakeTelegramServer

TOKEN = "123:ABC"
KEYBOARD = InlineKeyboardMarkup([[InlineKeyboardButton("Xong", callback_data="done:1")]])


@pytest.fixture
async def server() -> AsyncIterator[FakeTelegramServer]:
    async with FakeTelegramServer(token=TOKEN, bot_username="nhacviec_test_bot") as fake:
        yield fake


@pytest.fixture
async def bot(server: FakeTelegramServer) -> AsyncIterator[Bot]:
    async with Bot(TOKEN, base_url=server.base_url, base_file_url=server.base_file_url) as client:
        yield client


@pytest.fixture
async def http(server: FakeTelegramServer) -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(base_url=f"{server.root}/bot{TOKEN}") as client:
        yield client


async def test_get_me(bot: Bot) -> None:
    me = await bot.get_me()
    assert (me.id, me.is_bot, me.username) == (123, True, "nhacviec_test_bot")
    assert me.can_join_groups is True
    assert me.can_read_all_group_messages is False
    assert me.supports_inline_queries is False


async def test_user_command_arrives_with_entity_and_offset_confirms(server: FakeTelegramServer, bot: Bot) -> None:
    sent = await server.user(111, "Lan").send("/start x")
    updates = await bot.get_updates(timeout=1)
    assert len(updates) == 1
    message = updates[0].message
    assert message is not None
    assert message.from_user is not None
    assert (message.text, message.chat.id, message.chat.type, message.from_user.id) == ("/start x", 111, "private", 111)
    assert message.message_id == sent["message_id"]
    assert [(e.type, e.offset, e.length) for e in message.entities] == [("bot_command", 0, 6)]
    again = await bot.get_updates(timeout=0)
    assert [u.update_id for u in again] == [updates[0].update_id]  # not confirmed yet
    assert await bot.get_updates(offset=updates[0].update_id + 1, timeout=0) == ()
    assert server.pending_updates == []


async def test_long_poll_returns_empty_after_timeout(bot: Bot) -> None:
    started = time.monotonic()
    assert await bot.get_updates(timeout=1) == ()
    assert 0.9 <= time.monotonic() - started < 3


async def test_long_poll_answers_as_soon_as_an_update_arrives(server: FakeTelegramServer, bot: Bot) -> None:
    poll = asyncio.create_task(bot.get_updates(timeout=10))
    await asyncio.sleep(0.2)
    started = time.monotonic()
    await server.user(111).send("chào")
    updates = await asyncio.wait_for(poll, 3)
    assert [u.message.text for u in updates if u.message] == ["chào"]
    assert time.monotonic() - started < 2


async def test_allowed_updates_filters_new_updates(server: FakeTelegramServer, bot: Bot) -> None:
    user = server.user(111)
    await bot.get_updates(timeout=0, allowed_updates=["callback_query"])
    await user.send("/start")
    assert await bot.get_updates(timeout=0) == ()


async def test_send_message_with_inline_keyboard(server: FakeTelegramServer, bot: Bot) -> None:
    await server.user(111).send("/start")
    message = await bot.send_message(111, "Chọn", reply_markup=KEYBOARD)
    assert message.text == "Chọn"
    assert message.from_user is not None
    assert message.from_user.id == 123
    assert message.message_id == 2  # the user's /start was message 1 in this chat
    assert message.reply_markup == KEYBOARD
    record = server.sent[-1]
    assert (record.method, record.chat_id, record.text) == ("sendMessage", 111, "Chọn")
    assert record.reply_markup == {"inline_keyboard": [[{"text": "Xong", "callback_data": "done:1"}]]}
    assert (await server.next_message(111))["text"] == "Chọn"
    assert [m["text"] for m in server.messages_to(111)] == ["Chọn"]


async def test_html_parse_mode_strips_tags_into_entities(server: FakeTelegramServer, bot: Bot) -> None:
    await server.user(111).send("/start")
    message = await bot.send_message(111, "<b>Hạn</b> nộp &lt;1&gt;", parse_mode="HTML")
    assert message.text == "Hạn nộp <1>"
    assert [(e.type, e.offset, e.length) for e in message.entities] == [("bold", 0, 3)]
    with pytest.raises(BadRequest, match="Can't parse entities"):
        await bot.send_message(111, "<b>Hạn", parse_mode="HTML")


async def test_edit_message_text(server: FakeTelegramServer, bot: Bot) -> None:
    await server.user(111).send("/start")
    message = await bot.send_message(111, "Chọn", reply_markup=KEYBOARD)
    edited = await bot.edit_message_text("Đã xong", chat_id=111, message_id=message.message_id)
    assert isinstance(edited, type(message))
    assert (edited.text, edited.reply_markup, edited.message_id) == ("Đã xong", None, message.message_id)
    assert edited.edit_date is not None
    assert server.messages_to(111)[0]["text"] == "Đã xong"
    with pytest.raises(BadRequest, match="Message is not modified"):
        await bot.edit_message_text("Đã xong", chat_id=111, message_id=message.message_id)
    with pytest.raises(BadRequest, match="Message to edit not found"):
        await bot.edit_message_text("x", chat_id=111, message_id=999)


async def test_answer_callback_query_after_tap(server: FakeTelegramServer, bot: Bot) -> None:
    user = server.user(111)
    await user.send("/start")
    message = await bot.send_message(111, "Chọn", reply_markup=KEYBOARD)
    query_id = await user.tap(message.message_id, "done:1")
    updates = await bot.get_updates(offset=-1, timeout=1)
    query = updates[-1].callback_query
    assert query is not None
    assert (query.id, query.data, query.from_user.id) == (query_id, "done:1", 111)
    assert query.message is not None
    assert query.message.message_id == message.message_id
    assert await bot.answer_callback_query(query_id, text="OK") is True
    assert server.answered_callbacks[query_id]["text"] == "OK"
    with pytest.raises(BadRequest, match="Query is too old"):
        await bot.answer_callback_query(query_id)
    with pytest.raises(AssertionError, match="no button"):
        await user.tap(message.message_id, "missing")


async def test_set_and_get_my_commands(server: FakeTelegramServer, bot: Bot) -> None:
    commands = [BotCommand("start", "Bắt đầu"), BotCommand("han_nop", "Xem hạn nộp")]
    assert await bot.set_my_commands(commands) is True
    assert await bot.set_my_commands(commands[:1], scope=BotCommandScopeAllPrivateChats(), language_code="vi")
    assert await bot.get_my_commands() == tuple(commands)
    assert await bot.get_my_commands(scope=BotCommandScopeAllPrivateChats(), language_code="vi") == (commands[0],)
    assert await bot.get_my_commands(language_code="en") == ()
    assert server.commands_for() == [
        {"command": "start", "description": "Bắt đầu"},
        {"command": "han_nop", "description": "Xem hạn nộp"},
    ]
    with pytest.raises(BadRequest, match="Bot_command_invalid"):
        await bot.set_my_commands([BotCommand("HanNop", "x")])
    with pytest.raises(BadRequest, match="Bot_command_description_invalid"):
        await bot.set_my_commands([BotCommand("ok", "")])
    assert await bot.delete_my_commands() is True
    assert await bot.get_my_commands() == ()


async def test_bot_cannot_write_first(server: FakeTelegramServer, bot: Bot) -> None:
    server.user(222, "Minh")  # exists, but never wrote to the bot
    with pytest.raises(BadRequest, match="Chat not found"):
        await bot.send_message(222, "xin chào")
    with pytest.raises(BadRequest, match="Chat not found"):
        await bot.send_message(999, "xin chào")
    server.strict_chats = False
    assert (await bot.send_message(999, "xin chào")).chat.id == 999


async def test_flood_control_raises_retry_after(
    server: FakeTelegramServer, bot: Bot, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PTB_TIMEDELTA", "true")
    await server.user(111).send("/start")
    server.rate_limit(per_second=1, retry_after=3)
    await bot.send_message(111, "một")
    with pytest.raises(RetryAfter) as caught:
        await bot.send_message(111, "hai")
    assert caught.value.retry_after == dtm.timedelta(seconds=3)
    assert server.stats.rate_limited == 1
    assert [m["text"] for m in server.messages_to(111)] == ["một"]
    server.rate_limit(None)
    server.fail_next(1, status=429, retry_after=7)
    with pytest.raises(RetryAfter) as caught:
        await bot.send_message(111, "ba")
    assert caught.value.retry_after == dtm.timedelta(seconds=7)


async def test_random_faults_answer_as_the_bot_api_documents(
    server: FakeTelegramServer, http: httpx.AsyncClient
) -> None:
    await server.user(111).send("/start")
    server.fail_ratio, server.fail_statuses, server.fault_retry_after = 1.0, (429,), 4
    answer = await http.post("/sendMessage", json={"chat_id": 111, "text": "một"})
    assert answer.status_code == 429
    assert answer.json() == {
        "ok": False,
        "error_code": 429,
        "description": "Too Many Requests: retry after 4",
        "parameters": {"retry_after": 4},
    }
    server.fail_statuses = (500,)
    answer = await http.post("/sendMessage", json={"chat_id": 111, "text": "hai"})
    assert (answer.status_code, answer.json()) == (
        500,
        {"ok": False, "error_code": 500, "description": "Internal Server Error"},
    )
    assert (server.stats.rate_limited, server.stats.server_errors) == (1, 1)
    assert server.messages_to(111) == []


async def test_blocked_user_is_forbidden(server: FakeTelegramServer, bot: Bot) -> None:
    user = server.user(111)
    await user.send("/start")
    user.block()
    with pytest.raises(Forbidden, match="bot was blocked by the user"):
        await bot.send_message(111, "nhắc việc")
    updates = await bot.get_updates(timeout=0)
    assert updates[-1].my_chat_member is not None
    assert updates[-1].my_chat_member.new_chat_member.status == "kicked"


async def test_server_errors_and_dropped_connections(server: FakeTelegramServer, bot: Bot) -> None:
    await server.user(111).send("/start")
    server.fail_next(1, status=500)
    with pytest.raises(NetworkError, match="Internal Server Error"):
        await bot.send_message(111, "một")
    server.drop_next(1)
    with pytest.raises(NetworkError):
        await bot.send_message(111, "hai")
    assert server.messages_to(111) == []
    assert (server.stats.server_errors, server.stats.dropped) == (1, 1)
    await bot.send_message(111, "ba")
    assert server.stats.messages_accepted == 1


async def test_json_query_string_and_multipart(server: FakeTelegramServer, http: httpx.AsyncClient) -> None:
    await server.user(111).send("/start")
    markup = {"inline_keyboard": [[{"text": "a", "callback_data": "b"}]]}
    by_json = (await http.post("/sendMessage", json={"chat_id": 111, "text": "json", "reply_markup": markup})).json()
    assert by_json["ok"] is True
    assert by_json["result"]["reply_markup"] == markup
    assert isinstance(by_json["result"]["date"], int)
    by_query = (await http.get("/SENDMESSAGE", params={"chat_id": "111", "text": "query"})).json()
    assert by_query["result"]["text"] == "query"
    assert server.calls[-1] == ("sendMessage", {"chat_id": 111, "text": "query"})
    upload = await http.post(
        "/sendDocument",
        data={"chat_id": "111", "caption": "báo cáo"},
        files={"document": ("bao_cao.xlsx", b"PK\x03\x04", "application/vnd.ms-excel")},
    )
    document = upload.json()["result"]["document"]
    assert (document["file_name"], document["file_size"]) == ("bao_cao.xlsx", 4)
    assert server.files[document["file_id"]].content == b"PK\x03\x04"
    empty = await http.post("/sendMessage", data={"chat_id": "111", "text": ""})
    assert (empty.status_code, empty.json()["description"]) == (400, "Bad Request: message text is empty")
    unknown = await http.post("/sendMesage", json={})
    assert unknown.status_code == 404
    assert unknown.json() == {"ok": False, "error_code": 404, "description": "Not Found: method not found"}


async def test_wrong_token(server: FakeTelegramServer) -> None:
    async with httpx.AsyncClient() as client:
        answer = await client.get(f"{server.root}/bot123:WRONG/getMe")
    assert answer.status_code == 401
    assert answer.json() == {"ok": False, "error_code": 401, "description": "Unauthorized"}
    with pytest.raises(InvalidToken):
        async with Bot("123:WRONG", base_url=server.base_url):
            pass


async def test_groups_and_privacy_mode(server: FakeTelegramServer, bot: Bot) -> None:
    group = server.group(chat_id=-1001, title="Tổ")
    lan = server.user(111)
    await group.send(from_user=lan, text="chào cả tổ")  # privacy mode: not for the bot
    await group.send(from_user=lan, text="/han_nop@nhacviec_test_bot")
    updates = await bot.get_updates(timeout=0)
    assert [u.message.text for u in updates if u.message] == ["/han_nop@nhacviec_test_bot"]
    assert updates[0].message is not None
    assert updates[0].message.chat.type == "supergroup"
    assert (await bot.send_message(-1001, "Hạn nộp: thứ Sáu")).chat.title == "Tổ"
    with pytest.raises(Forbidden, match="initiate conversation"):
        await bot.send_message(111, "riêng")  # seen in the group, but never wrote to the bot


async def test_user_document_can_be_downloaded(server: FakeTelegramServer, bot: Bot) -> None:
    sent = await server.user(111).send_document("bao_cao.pdf", "application/pdf", caption="Báo cáo", content=b"%PDF")
    file = await bot.get_file(sent["document"]["file_id"])
    assert bytes(await file.download_as_bytearray()) == b"%PDF"


async def test_a_received_file_is_sent_on_by_its_id_and_its_caption_edited(
    server: FakeTelegramServer, bot: Bot
) -> None:
    """As the Bot API documents: a file id the bot received sends the file again (sendDocument), and
    editMessageCaption edits the caption of a message with media, not a text message."""
    sent = await server.user(111).send_document("cv.pdf", "application/pdf", content=b"%PDF cv")
    again = await bot.send_document(111, sent["document"]["file_id"], caption="Nhiệm vụ mới", reply_markup=KEYBOARD)
    assert again.document is not None
    assert (again.document.file_name, again.caption) == ("cv.pdf", "Nhiệm vụ mới")
    edited = await bot.edit_message_caption(chat_id=111, message_id=again.message_id, caption="Đã nộp")
    assert isinstance(edited, type(again))
    assert (edited.caption, edited.reply_markup) == ("Đã nộp", None)
    text = await bot.send_message(111, "Chữ")
    with pytest.raises(BadRequest, match="There is no caption in the message to edit"):
        await bot.edit_message_caption(chat_id=111, message_id=text.message_id, caption="x")


async def test_next_message_timeout_explains(server: FakeTelegramServer, bot: Bot) -> None:
    await server.user(111).send("/start")
    await bot.send_message(111, "một")
    assert (await server.next_message(111, timeout=1))["text"] == "một"
    with pytest.raises(AssertionError, match=r"no new message to chat 111 within 0\.2s; sent to it so far: \['một'\]"):
        await server.next_message(111, timeout=0.2)


async def test_stop_ends_pending_long_poll_promptly() -> None:
    server = await FakeTelegramServer(token=TOKEN).start()
    async with httpx.AsyncClient() as client:
        poll = asyncio.create_task(client.post(f"{server.root}/bot{TOKEN}/getUpdates", data={"timeout": "30"}))
        await asyncio.sleep(0.2)
        started = time.monotonic()
        await server.stop()
        answer = await asyncio.wait_for(poll, 3)
    assert answer.json() == {"ok": True, "result": []}
    assert time.monotonic() - started < 2.5


async def test_second_long_poll_terminates_the_first(server: FakeTelegramServer, bot: Bot) -> None:
    async with Bot(TOKEN, base_url=server.base_url) as other:
        first = asyncio.create_task(bot.get_updates(timeout=10))
        await asyncio.sleep(0.2)
        second = asyncio.create_task(other.get_updates(timeout=1))
        with pytest.raises(Conflict, match="terminated by other getUpdates request"):
            await asyncio.wait_for(first, 3)
        assert await second == ()


async def test_another_poller_gets_every_poll_answered_409(server: FakeTelegramServer, http: httpx.AsyncClient) -> None:
    server.other_poller = True
    answer = await http.post("/getUpdates", data={"timeout": "5"})
    assert (answer.status_code, answer.json()) == (
        409,
        {
            "ok": False,
            "error_code": 409,
            "description": "Conflict: terminated by other getUpdates request; "
            "make sure that only one bot instance is running",
        },
    )
    server.other_poller = False
    await server.user(111).send("/start")
    assert len((await http.post("/getUpdates", data={"timeout": "0"})).json()["result"]) == 1


async def test_application_polling_end_to_end(server: FakeTelegramServer) -> None:
    async def start(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        assert update.message is not None
        await update.message.reply_text(f"args={context.args}", reply_markup=KEYBOARD)

    async def done(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        assert update.callback_query is not None
        await update.callback_query.answer("Đã ghi nhận")
        await update.callback_query.edit_message_text("Đã xong")

    application = Application.builder().token(TOKEN).base_url(server.base_url).build()
    application.add_handler(CommandHandler("start", start))
    application.add_handler(CallbackQueryHandler(done))
    user = server.user(111, "Lan")
    async with application:
        await application.start()
        assert application.updater is not None
        await application.updater.start_polling(poll_interval=0, timeout=1)
        await user.send("/start abc")
        reply = await server.next_message(111)
        assert reply["text"] == "args=['abc']"
        await user.tap(reply, "done:1")
        for _ in range(100):
            if server.messages_to(111)[0]["text"] == "Đã xong":
                break
            await asyncio.sleep(0.02)
        await application.updater.stop()
        await application.stop()
    assert [record.method for record in server.sent] == ["sendMessage", "answerCallbackQuery", "editMessageText"]
    assert server.messages_to(111)[0]["text"] == "Đã xong"
    assert [query["text"] for query in server.answered_callbacks.values()] == ["Đã ghi nhận"]
