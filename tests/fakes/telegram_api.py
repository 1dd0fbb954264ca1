"""A fake Telegram Bot API server: real HTTP on 127.0.0.1, behaving as the Bot API is documented.

It imitates https://core.telegram.org/bots/api closely enough that the product can later be pointed
at other implementations (or at the real server) without surprises:

* URLs are ``{root}/bot{token}/{method}`` (method names case-insensitive); a malformed token answers
  404 "Not Found", a wrong one 401 "Unauthorized", an unknown method 404 "Not Found: method not found".
* Parameters come from the query string, urlencoded or multipart forms (where python-telegram-bot
  sends ints as strings and objects as JSON strings) or a JSON body, and are coerced per parameter.
* Answers are ``{"ok": true, "result": ...}`` or ``{"ok": false, "error_code", "description"}`` with
  the real descriptions; flood control adds ``"parameters": {"retry_after": N}``.
* A bot cannot write first: sending to a private chat whose user never wrote answers
  400 "Bad Request: chat not found" (or 403 "bot can't initiate conversation" if the bot saw the user
  in a group). ``strict_chats = False`` switches this off and invents chats for benchmarks.
* Groups honour privacy mode (``can_read_all_group_messages=False``, the BotFather default): the bot
  only gets commands, replies to its own messages, and everything in groups where it is admin.
* HTML parse mode is applied (tags stripped, entities returned, bad markup rejected); Markdown modes
  are not parsed (the text is kept as sent).
* A second long poll ends the first with 409 "Conflict: terminated by other getUpdates request; make
  sure that only one bot instance is running"; ``other_poller = True`` answers every poll so, as when
  another instance polls the same bot.
* ``setWebhook`` (HTTPS only, ports 80/88/443/8443, ``secret_token`` of 1-256 letters, digits, _ and -)
  switches delivery to POSTs to the URL (tests/fakes/telegram_webhook.py; ``webhook.route`` plays the
  TLS proxy in front of the bot); getUpdates is then refused with 409 until ``deleteWebhook``.

Tests drive users through :meth:`FakeTelegramServer.user` / :meth:`FakeTelegramServer.group`, read
what the bot did from ``sent``, ``calls``, :meth:`~FakeTelegramServer.messages_to` and
:meth:`~FakeTelegramServer.next_message` (or act the moment a message is accepted, with ``on_sent``),
and inject faults (429 flood control, 5xx, dropped connections) the way the real server misbehaves.
"""

from __future__ import annotations

import asyncio
import contextlib
import contextvars
import copy
import math
import mimetypes
import random
import re
import time
from collections import deque
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from http import HTTPStatus
from typing import Any, Literal, Self

from aiohttp import web

from tests.fakes.telegram_objects import (
    CHAT_ACTIONS,
    JSON,
    ApiError,
    ChatState,
    FakeGroup,
    FakeUser,
    Signal,
    StoredFile,
    TelegramWorld,
    Upload,
    bad_request,
    check_text,
    coerce_param,
    flood,
    format_text,
    full_chat_info,
    group_chat_object,
    scope_key,
    user_object,
    validate_commands,
    validate_reply_markup,
)
from tests.fakes.telegram_webhook import WebhookDelivery

__all__ = ["FakeGroup", "FakeTelegramServer", "FakeUser", "SentRecord", "ServerStats"]

Handler = Callable[["FakeTelegramServer", JSON], Awaitable[Any]]
_METHODS: dict[str, tuple[str, Handler]] = {}  # lower-case name -> (canonical name, handler)

_TOKEN_RE = re.compile(r"\d+:[A-Za-z0-9_-]+")
_MAX_DOWNLOAD = 20 * 1024 * 1024  # getFile limit
_NOT_MODIFIED = (
    "message is not modified: specified new message content and reply markup are exactly the same "
    "as a current content and reply markup of the message"
)
_QUERY_TOO_OLD = "query is too old and response timeout expired or query ID is invalid"
_OTHER_POLL = "terminated by other getUpdates request"
_WEBHOOK_SECRET = re.compile(r"[A-Za-z0-9_-]{1,256}")
# The Host header of the call being answered: which instance sent a message, when each is given the
# server under another name (127.0.0.1, localhost).
_HOST: contextvars.ContextVar[str] = contextvars.ContextVar("host", default="")


def api_method(func: Handler) -> Handler:
    """Register ``_api_<MethodName>`` as the handler of Bot API method ``<MethodName>``."""
    name = func.__name__.removeprefix("_api_")
    _METHODS[name.lower()] = (name, func)
    return func


@dataclass
class SentRecord:
    """Something the bot did that a user would notice: a message, an edit, a callback answer."""

    method: str
    chat_id: int | None
    text: str | None
    reply_markup: JSON | None
    message_id: int | None
    params: JSON
    at: float  # time.monotonic()
    message: JSON | None = None  # the Message as it was right after this call
    host: str = ""  # the Host header of the call: which instance, when each names the server its own way


@dataclass
class ServerStats:
    requests: int = 0
    messages_accepted: int = 0
    rate_limited: int = 0  # 429 answers
    server_errors: int = 0  # 5xx answers
    dropped: int = 0  # connections closed without an answer
    hung: int = 0  # calls never answered (`hang_ratio`, `hang_next`)


@dataclass
class _Fault:
    status: int | None  # None: close the connection without answering
    method: str | None  # lower-case method name, or None for any method not exempt
    retry_after: int = 1


@dataclass
class _Window:
    """Sliding-window flood control; once tripped, everything is refused until ``blocked_until``."""

    limit: int
    period: float
    stamps: deque[float] = field(default_factory=deque)
    blocked_until: float = 0.0

    def wait_needed(self, now: float) -> float:
        if now < self.blocked_until:
            return self.blocked_until - now
        while self.stamps and self.stamps[0] <= now - self.period:
            self.stamps.popleft()
        return self.stamps[0] + self.period - now if len(self.stamps) >= self.limit else 0.0


async def _read_params(request: web.Request) -> JSON:
    """Query string, then the body: JSON, urlencoded or multipart (files become :class:`Upload`)."""
    params: JSON = dict(request.query)
    if request.content_type == "application/json" and request.can_read_body:
        try:
            body = await request.json()
        except ValueError:
            raise bad_request("can't parse JSON object") from None
        if isinstance(body, dict):
            params.update(body)
    elif request.content_type in ("application/x-www-form-urlencoded", "multipart/form-data"):
        for key, value in (await request.post()).items():
            if isinstance(value, web.FileField):
                params[key] = Upload(value.filename, value.file.read(), value.content_type)
            else:
                params[key] = value
    return {name: coerce_param(name, value) for name, value in params.items()}


def _plain_error(status: int) -> ApiError:
    descriptions = {500: "Internal Server Error", 502: "Bad Gateway"}
    return ApiError(status, descriptions.get(status) or HTTPStatus(status).phrase)


class FakeTelegramServer:
    """The fake Bot API. ``await start()`` / ``await stop()``, or ``async with FakeTelegramServer() as server``."""

    def __init__(
        self,
        token: str = "123:ABC",
        bot_username: str = "nhacviec_test_bot",
        *,
        bot_first_name: str = "Nhắc việc",
        can_join_groups: bool = True,
        can_read_all_group_messages: bool = False,
        supports_inline_queries: bool = False,
        seed: int = 0,
    ) -> None:
        self.token = token
        prefix = token.split(":", 1)[0]
        bot_user = user_object(
            int(prefix) if prefix.isdigit() else 1, bot_first_name, is_bot=True, username=bot_username
        )
        self.bot_flags = {
            "can_join_groups": can_join_groups,
            "can_read_all_group_messages": can_read_all_group_messages,
            "supports_inline_queries": supports_inline_queries,
            "can_connect_to_business": False,
            "has_main_web_app": False,
        }
        self.world = TelegramWorld(bot_user, can_read_all_group_messages)
        self.per_chat_limit = False
        self.fail_ratio = 0.0
        self.fail_statuses: tuple[int, ...] = (500, 502)  # 429 among them answers as flood control
        self.fault_retry_after = 1  # the retry_after of a random 429
        self.drop_connection_ratio = 0.0
        # Calls of these methods (sendMessage by default) that are never answered, as when the request or its
        # answer is lost on a path that drops packets: the message is not delivered, the connection stays open.
        self.hang_ratio = 0.0
        self.hang_methods: set[str] = {"sendMessage"}
        self._hang_forced: list[str | None] = []
        self._hung = asyncio.Event()  # set at stop: the hung calls end with the server
        self.apply_before_drop = False
        self.fault_exempt: set[str] = {"getUpdates"}  # methods random faults and untargeted fail_next skip
        # Another instance polls this bot: every getUpdates is answered 409 at once, as when the other's
        # poll terminated ours (one bot, two pollers).
        self.other_poller = False
        self.rng = random.Random(seed)
        self.sent: list[SentRecord] = []
        self.calls: list[tuple[str, JSON]] = []
        self.commands: dict[tuple[str, str], list[JSON]] = {}  # (scope JSON, language_code) -> commands
        self.answered_callbacks: dict[str, JSON] = {}
        self.stats = ServerStats()
        self.webhook: JSON = {"url": ""}
        self.webhook_delivery = WebhookDelivery(self.world)  # POSTs updates while a webhook is set
        self._file_paths: dict[str, StoredFile] = {}
        self._cursors: dict[int, int] = {}
        self._forced: list[_Fault] = []
        self._global_window: _Window | None = None
        self._chat_windows: dict[int, _Window] = {}
        self._fixed_retry_after: int | None = None
        self._poll_generation, self._poll_conflict = 0, ""
        self._sent_signal = Signal()
        # Called with each record as it joins `sent`, before the bot has its answer (a test may kill the bot there).
        self.on_sent: Callable[[SentRecord], None] | None = None
        # Called with each call's method and parameters before it is answered (a test may cut the bot's database there).
        self.on_call: Callable[[str, JSON], None] | None = None
        self._closing = False
        self._runner: web.AppRunner | None = None
        self._port = 0

    # ----------------------------------------------------------------------------------------------- lifecycle
    async def start(self) -> Self:
        app = web.Application(client_max_size=50 * 1024 * 1024)  # the Bot API accepts uploads up to 50 MB
        app.router.add_get("/file/bot{token}/{path:.+}", self._handle_file)
        app.router.add_route("*", "/bot{token}/{method}", self._handle)
        app.router.add_route("*", "/{tail:.*}", self._not_found)
        self._runner = web.AppRunner(app, access_log=None, shutdown_timeout=2.0)
        await self._runner.setup()
        await web.TCPSite(self._runner, "127.0.0.1", 0).start()
        self._port = int(self._runner.addresses[0][1])
        self._closing = False
        self._hung = asyncio.Event()
        return self

    async def stop(self) -> None:
        self._closing = True
        self._hung.set()
        self.world.updates_signal.fire()  # pending getUpdates answer [] at once
        await self.webhook_delivery.stop()
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    async def __aenter__(self) -> Self:
        return await self.start()

    async def __aexit__(self, *exc_info: object) -> None:
        await self.stop()

    @property
    def root(self) -> str:
        return f"http://127.0.0.1:{self._port}"

    @property
    def base_url(self) -> str:
        return f"{self.root}/bot"

    @property
    def base_file_url(self) -> str:
        return f"{self.root}/file/bot"

    # -------------------------------------------------------------------------------------------- test controls
    @property
    def bot_user(self) -> JSON:
        return self.world.bot_user

    @property
    def bot_id(self) -> int:
        return self.world.bot_id

    @property
    def strict_chats(self) -> bool:
        """False: any chat id is accepted (invented on first use), nobody needs to write first."""
        return self.world.strict_chats

    @strict_chats.setter
    def strict_chats(self, value: bool) -> None:
        self.world.strict_chats = value

    @property
    def files(self) -> dict[str, StoredFile]:
        return self.world.files

    @property
    def pending_updates(self) -> list[JSON]:
        return copy.deepcopy(self.world.updates)

    def user(
        self,
        user_id: int = 111,
        first_name: str = "Lan",
        last_name: str | None = None,
        username: str | None = None,
        language_code: str | None = "vi",
    ) -> FakeUser:
        """The user with this id (created on first call; later calls return the same handle)."""
        if user_id not in self.world.users:
            obj = user_object(user_id, first_name, last_name=last_name, username=username, language_code=language_code)
            self.world.users[user_id] = FakeUser(self.world, obj)
        return self.world.users[user_id]

    def group(
        self,
        chat_id: int = -1001,
        title: str = "Tổ",
        *,
        username: str | None = None,
        chat_type: Literal["group", "supergroup"] = "supergroup",
        bot_is_admin: bool = False,
    ) -> FakeGroup:
        """A group the bot is a member of (so it may write there); privacy mode applies unless admin."""
        chat = self.world.chats.get(chat_id)
        if chat is None:
            chat = self.world.chats[chat_id] = ChatState(
                group_chat_object(chat_id, title, chat_type, username), seen=True
            )
        chat.bot_is_admin = bot_is_admin
        return FakeGroup(self.world, chat)

    def messages_to(self, chat_id: int) -> list[JSON]:
        """The bot's messages in the chat, in order, as they stand now (edits applied, deleted ones gone)."""
        chat = self.world.chats.get(chat_id)
        return [copy.deepcopy(m) for m in chat.sent if m["message_id"] in chat.messages] if chat else []

    async def next_message(self, chat_id: int, timeout: float = 5.0) -> JSON:  # noqa: ASYNC109
        """The next message the bot sent to ``chat_id`` that this method has not returned yet."""
        deadline = time.monotonic() + timeout
        while True:
            chat = self.world.chats.get(chat_id)
            cursor = self._cursors.get(chat_id, 0)
            if chat is not None and cursor < len(chat.sent):
                self._cursors[chat_id] = cursor + 1
                return copy.deepcopy(chat.sent[cursor])
            if time.monotonic() >= deadline:
                raise AssertionError(self._describe_wait(chat_id, timeout))
            await self._sent_signal.wait(deadline - time.monotonic())

    def commands_for(self, scope: JSON | None = None, language_code: str = "") -> list[JSON]:
        return copy.deepcopy(self.commands.get((scope_key(scope), language_code), []))

    def rate_limit(self, per_second: int | None = 30, *, retry_after: int | None = None) -> None:
        """Flood control over all messages sent (None switches it off); see also ``per_chat_limit``."""
        self._global_window = _Window(per_second, 1.0) if per_second else None
        self._fixed_retry_after = retry_after

    def fail_next(self, n: int = 1, status: int = 500, *, method: str | None = None, retry_after: int = 1) -> None:
        """Answer the next ``n`` calls (of ``method``, else of any method not in ``fault_exempt``) with an error,
        without performing them. ``status=429`` answers as flood control, with ``retry_after``."""
        self._forced.extend(_Fault(status, method and method.lower(), retry_after) for _ in range(n))

    def hang_next(self, n: int = 1, *, method: str | None = "sendMessage") -> None:
        """Never answer the next ``n`` calls (of ``method``; None: of any method not exempt), nor perform them."""
        self._hang_forced.extend(method and method.lower() for _ in range(n))

    def _hangs(self, method: str) -> bool:
        for index, wanted in enumerate(self._hang_forced):
            if wanted == method.lower() or (wanted is None and method not in self.fault_exempt):
                del self._hang_forced[index]
                return True
        return bool(self.hang_ratio) and method in self.hang_methods and self.rng.random() < self.hang_ratio

    def drop_next(self, n: int = 1, *, method: str | None = None) -> None:
        """Close the connection of the next ``n`` calls without answering (see ``apply_before_drop``)."""
        self._forced.extend(_Fault(None, method and method.lower()) for _ in range(n))

    # ----------------------------------------------------------------------------------------------- HTTP layer
    async def _handle(self, request: web.Request) -> web.StreamResponse:
        token, method = request.match_info["token"], request.match_info["method"]
        if not _TOKEN_RE.fullmatch(token):
            return self._error(ApiError(404, "Not Found"))
        if token != self.token:
            return self._error(ApiError(401, "Unauthorized"))
        entry = _METHODS.get(method.lower())
        if entry is None:
            return self._error(ApiError(404, "Not Found: method not found"))
        name, handler = entry
        self.stats.requests += 1
        _HOST.set(request.host)
        try:
            params = await _read_params(request)
        except ApiError as exc:
            return self._error(exc)
        self.calls.append((name, params))
        if self.on_call is not None:
            self.on_call(name, params)
        if self._hangs(name):
            self.stats.hung += 1
            await self._hung.wait()  # until the server stops; the client gives up first
            return self._error(ApiError(502, "Bad Gateway"))
        fault = self._fault_for(name)
        if fault == "drop":
            return await self._drop(request, handler, params)
        if fault is not None:
            return self._error(fault)
        try:
            result = await handler(self, params)
        except ApiError as exc:
            return self._error(exc)
        return web.json_response({"ok": True, "result": result})

    async def _handle_file(self, request: web.Request) -> web.StreamResponse:
        stored = self._file_paths.get(request.match_info["path"])
        if request.match_info["token"] != self.token or stored is None:
            return self._error(ApiError(404, "Not Found"))
        return web.Response(body=stored.content, content_type=stored.mime_type or "application/octet-stream")

    async def _not_found(self, request: web.Request) -> web.StreamResponse:
        return self._error(ApiError(404, "Not Found"))

    def _error(self, error: ApiError) -> web.Response:
        if error.code == 429:
            self.stats.rate_limited += 1
        elif error.code >= 500:
            self.stats.server_errors += 1
        return web.json_response(error.body(), status=error.code)

    async def _drop(self, request: web.Request, handler: Handler, params: JSON) -> web.StreamResponse:
        self.stats.dropped += 1
        if self.apply_before_drop:
            with contextlib.suppress(ApiError):
                await handler(self, params)
        if request.transport is not None:
            request.transport.abort()
        return web.Response(status=500)  # never written: the connection is gone

    def _fault_for(self, method: str) -> ApiError | Literal["drop"] | None:
        for index, fault in enumerate(self._forced):
            if fault.method == method.lower() or (fault.method is None and method not in self.fault_exempt):
                del self._forced[index]
                if fault.status is None:
                    return "drop"
                return flood(fault.retry_after) if fault.status == 429 else _plain_error(fault.status)
        if method in self.fault_exempt:
            return None
        if self.fail_ratio and self.rng.random() < self.fail_ratio:
            status = self.rng.choice(self.fail_statuses)
            return flood(self.fault_retry_after) if status == 429 else _plain_error(status)
        if self.drop_connection_ratio and self.rng.random() < self.drop_connection_ratio:
            return "drop"
        return None

    # ------------------------------------------------------------------------------------------ sending helpers
    def _check_flood(self, chat: ChatState) -> None:
        """Global messages/second (``rate_limit``); per chat 1/s, per group 20/min (``per_chat_limit``)."""
        now = time.monotonic()
        windows = [self._global_window] if self._global_window else []
        if self.per_chat_limit:
            limit, period = (1, 1.0) if chat.private else (20, 60.0)
            windows.append(self._chat_windows.setdefault(chat.id, _Window(limit, period)))
        for window in windows:
            wait = window.wait_needed(now)
            if wait > 0:
                penalty = None if now < window.blocked_until else self._fixed_retry_after
                retry = penalty or max(1, math.ceil(wait))
                window.blocked_until = max(window.blocked_until, now + retry)
                raise flood(retry)
        for window in windows:
            window.stamps.append(now)

    def _deliver(self, method: str, chat: ChatState, params: JSON, **content: Any) -> JSON:
        markup = validate_reply_markup(params.get("reply_markup"))
        replied = self.world.reply_target(chat, params)
        self._check_flood(chat)
        message = self.world.new_message(chat, self.bot_user, reply_to_message=replied, **content, reply_markup=markup)
        chat.sent.append(message)
        self.stats.messages_accepted += 1
        self._record(method, chat, params, message)
        return message

    def _record(self, method: str, chat: ChatState, params: JSON, message: JSON) -> None:
        self._append_sent(
            SentRecord(
                method,
                chat.id,
                message.get("text", message.get("caption")),
                copy.deepcopy(message.get("reply_markup")),
                message["message_id"],
                params,
                time.monotonic(),
                copy.deepcopy(message),
                _HOST.get(),
            )
        )

    def _append_sent(self, record: SentRecord) -> None:
        self.sent.append(record)
        if self.on_sent is not None:
            self.on_sent(record)
        self._sent_signal.fire()

    def _describe_wait(self, chat_id: int, timeout: float) -> str:
        chat = self.world.chats.get(chat_id)
        texts = [m.get("text", m.get("caption")) for m in (chat.sent if chat else [])]
        recent = [(r.method, r.chat_id, r.text) for r in self.sent[-10:]]
        return (
            f"no new message to chat {chat_id} within {timeout}s; sent to it so far: {texts} "
            f"({self._cursors.get(chat_id, 0)} already consumed); latest records: {recent}; "
            f"latest calls: {[name for name, _ in self.calls[-10:]]}"
        )

    # ---------------------------------------------------------------------------------------------- API methods
    @api_method
    async def _api_getMe(self, params: JSON) -> JSON:
        return {**self.bot_user, **self.bot_flags}

    @api_method
    async def _api_getUpdates(self, params: JSON) -> list[JSON]:
        world = self.world
        if self.other_poller:
            raise ApiError(409, f"Conflict: {_OTHER_POLL}; make sure that only one bot instance is running")
        if self.webhook["url"]:
            raise ApiError(
                409,
                "Conflict: can't use getUpdates method while webhook is active; "
                "use deleteWebhook to delete the webhook first",
            )
        if params.get("allowed_updates") is not None:
            world.allowed_updates = set(params["allowed_updates"]) or None
        offset = int(params.get("offset") or 0)
        if offset > 0:  # confirms every update before it
            world.updates = [u for u in world.updates if u["update_id"] >= offset]
        elif offset < 0:
            world.updates = world.updates[offset:]
        limit = int(params.get("limit") or 100)
        self._poll_generation += 1
        generation, self._poll_conflict = self._poll_generation, _OTHER_POLL
        world.updates_signal.fire()  # an older long poll still waiting is answered 409
        deadline = time.monotonic() + max(0.0, float(params.get("timeout") or 0))
        while not world.updates and not self._closing and time.monotonic() < deadline:
            await world.updates_signal.wait(deadline - time.monotonic())
            if generation != self._poll_generation:
                conflict = f"Conflict: {self._poll_conflict}; make sure that only one bot instance is running"
                raise ApiError(409, conflict)
        return world.updates[: limit if 1 <= limit <= 100 else 100]

    @api_method
    async def _api_setWebhook(self, params: JSON) -> bool:
        url = str(params.get("url") or "")
        if url and not url.startswith("https://"):
            raise bad_request("bad webhook: An HTTPS URL must be provided for webhook")
        port = re.match(r"https://[^/:]+(?::(\d+))?", url) if url else None
        if port and port.group(1) and port.group(1) not in ("80", "88", "443", "8443"):
            raise bad_request("bad webhook: Webhook can be set up only on ports 80, 88, 443 or 8443")
        secret = params.get("secret_token")
        if secret is not None and not _WEBHOOK_SECRET.fullmatch(str(secret)):
            raise bad_request("secret token contains unallowed characters")  # wording not checked against the server
        connections = int(params.get("max_connections") or 40)
        if not 1 <= connections <= 100:
            raise bad_request("bad webhook: max_connections must be between 1 and 100")
        if params.get("allowed_updates") is not None:
            self.world.allowed_updates = set(params["allowed_updates"]) or None
        if params.get("drop_pending_updates"):
            self.world.updates.clear()
        if not url:
            return await self._api_deleteWebhook({})
        self.webhook = {"url": url, "max_connections": connections}
        self.webhook_delivery.set(url, str(secret) if secret is not None else None)
        self._poll_generation += 1
        self._poll_conflict = "terminated by setWebhook request"
        self.world.updates_signal.fire()
        return True

    @api_method
    async def _api_deleteWebhook(self, params: JSON) -> bool:
        if params.get("drop_pending_updates"):
            self.world.updates.clear()
        self.webhook = {"url": ""}
        await self.webhook_delivery.clear()
        return True

    @api_method
    async def _api_getWebhookInfo(self, params: JSON) -> JSON:
        info: JSON = {**self.webhook, "has_custom_certificate": False}
        info["pending_update_count"] = len(self.world.updates)
        if self.webhook["url"] and self.world.allowed_updates:
            info["allowed_updates"] = sorted(self.world.allowed_updates)
        if self.webhook["url"] and self.webhook_delivery.last_error is not None:
            info["last_error_date"], info["last_error_message"] = self.webhook_delivery.last_error
        return info

    @api_method
    async def _api_sendMessage(self, params: JSON) -> JSON:
        chat = self.world.chat_for_send(params.get("chat_id"))
        text, entities = format_text(params.get("text"), params.get("parse_mode"), params.get("entities"))
        check_text(text)
        return self._deliver("sendMessage", chat, params, text=text, entities=entities)

    async def _send_media(self, method: str, kind: str, params: JSON) -> JSON:
        chat = self.world.chat_for_send(params.get("chat_id"))
        caption, entities = format_text(params.get("caption"), params.get("parse_mode"), params.get("caption_entities"))
        check_text(caption, caption=True)
        media = self.world.media(params, kind)
        return self._deliver(method, chat, params, **{kind: media}, caption=caption, caption_entities=entities)

    @api_method
    async def _api_sendDocument(self, params: JSON) -> JSON:
        return await self._send_media("sendDocument", "document", params)

    @api_method
    async def _api_sendPhoto(self, params: JSON) -> JSON:
        return await self._send_media("sendPhoto", "photo", params)

    def _editable(self, params: JSON) -> tuple[ChatState, JSON]:
        if params.get("inline_message_id"):
            raise bad_request("MESSAGE_ID_INVALID")  # no inline mode here, so no inline message exists
        chat = self.world.find_chat(params.get("chat_id"))
        message = self.world.message(chat, params.get("message_id"), "message to edit not found")
        if message["from"]["id"] != self.world.bot_id:
            raise bad_request("message can't be edited")
        return chat, message

    def _apply_edit(self, method: str, chat: ChatState, message: JSON, params: JSON, changes: JSON) -> JSON:
        if all(message.get(key) == value for key, value in changes.items()):
            raise bad_request(_NOT_MODIFIED)
        for key, value in changes.items():
            if value is None:
                message.pop(key, None)
            else:
                message[key] = value
        message["edit_date"] = int(time.time())
        self._record(method, chat, params, message)
        return message

    @api_method
    async def _api_editMessageText(self, params: JSON) -> JSON:
        chat, message = self._editable(params)
        text, entities = format_text(params.get("text"), params.get("parse_mode"), params.get("entities"))
        check_text(text)
        if "text" not in message:
            raise bad_request("there is no text in the message to edit")
        markup = validate_reply_markup(params.get("reply_markup"))  # omitted: the keyboard goes away
        changes = {"text": text, "entities": entities or None, "reply_markup": markup}
        return self._apply_edit("editMessageText", chat, message, params, changes)

    @api_method
    async def _api_editMessageCaption(self, params: JSON) -> JSON:
        chat, message = self._editable(params)
        caption, entities = format_text(params.get("caption"), params.get("parse_mode"), params.get("caption_entities"))
        check_text(caption, caption=True)
        if not any(kind in message for kind in ("document", "photo", "video", "audio", "animation")):
            raise bad_request("there is no caption in the message to edit")
        markup = validate_reply_markup(params.get("reply_markup"))  # omitted: the keyboard goes away
        changes = {"caption": caption, "caption_entities": entities or None, "reply_markup": markup}
        return self._apply_edit("editMessageCaption", chat, message, params, changes)

    @api_method
    async def _api_editMessageReplyMarkup(self, params: JSON) -> JSON:
        chat, message = self._editable(params)
        markup = validate_reply_markup(params.get("reply_markup"))
        return self._apply_edit("editMessageReplyMarkup", chat, message, params, {"reply_markup": markup})

    @api_method
    async def _api_deleteMessage(self, params: JSON) -> bool:
        chat = self.world.find_chat(params.get("chat_id"))
        message = self.world.message(chat, params.get("message_id"), "message to delete not found")
        del chat.messages[message["message_id"]]
        return True

    @api_method
    async def _api_answerCallbackQuery(self, params: JSON) -> bool:
        query_id = str(params.get("callback_query_id") or "")
        query = self.world.queries.get(query_id)
        if query is None or query_id in self.answered_callbacks:
            raise bad_request(_QUERY_TOO_OLD)
        self.answered_callbacks[query_id] = params
        message = query["message"]
        self._append_sent(
            SentRecord(
                "answerCallbackQuery",
                message["chat"]["id"],
                params.get("text"),
                None,
                message["message_id"],
                params,
                time.monotonic(),
            )
        )
        return True

    def _commands_key(self, params: JSON) -> tuple[str, str]:
        return scope_key(params.get("scope")), str(params.get("language_code") or "")

    @api_method
    async def _api_setMyCommands(self, params: JSON) -> bool:
        self.commands[self._commands_key(params)] = validate_commands(params.get("commands"))
        return True

    @api_method
    async def _api_getMyCommands(self, params: JSON) -> list[JSON]:
        return self.commands.get(self._commands_key(params), [])

    @api_method
    async def _api_deleteMyCommands(self, params: JSON) -> bool:
        self.commands.pop(self._commands_key(params), None)
        return True

    @api_method
    async def _api_sendChatAction(self, params: JSON) -> bool:
        self.world.chat_for_send(params.get("chat_id"))
        if params.get("action") not in CHAT_ACTIONS:
            raise bad_request("wrong parameter action in request")
        return True

    @api_method
    async def _api_getChat(self, params: JSON) -> JSON:
        return full_chat_info(self.world.find_chat(params.get("chat_id")).obj)

    @api_method
    async def _api_getFile(self, params: JSON) -> JSON:
        stored = self.world.files.get(str(params.get("file_id") or ""))
        if stored is None:
            raise bad_request("invalid file_id")
        if len(stored.content) > _MAX_DOWNLOAD:
            raise bad_request("file is too big")
        suffix = mimetypes.guess_extension(stored.mime_type or "") or (".jpg" if stored.kind == "photo" else "")
        path = f"{stored.kind}s/file_{stored.file_unique_id}{suffix}"
        self._file_paths[path] = stored
        return {
            "file_id": stored.file_id,
            "file_unique_id": stored.file_unique_id,
            "file_size": len(stored.content),
            "file_path": path,
        }

    @api_method
    async def _api_close(self, params: JSON) -> bool:
        return True

    @api_method
    async def _api_logOut(self, params: JSON) -> bool:
        return True
