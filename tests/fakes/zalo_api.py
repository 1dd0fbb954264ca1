"""A fake Zalo Bot API server (Zalo Bot Platform): real HTTP on 127.0.0.1, behaving as the API is documented.

It imitates ``https://bot-api.zaloplatforms.com/bot<TOKEN>/<method>`` (docs: https://bot.zaloplatforms.com/docs/)
closely enough that a thin client written against it also works against the real platform:

* URLs are ``{root}/bot{token}/{method}``; method names are case-sensitive. A wrong token answers
  401 "Unauthorized", an unknown method 404 "Not Found".
* Parameters come from the query string, a JSON body, or an urlencoded / multipart form (GET or POST).
* Answers are ``{"ok": true, "result": ...}`` or ``{"ok": false, "error_code": N, "description": "..."}``
  with the HTTP status equal to ``error_code``. ``sendChatAction`` answers a bare ``{"ok": true}``, as documented.
* ``getUpdates`` (``{"timeout": seconds}``, a number or a string, 30 by default) returns ONE update object as
  ``result`` (not a list), without update_id or offset; each update is handed out once. When nothing arrives
  within the timeout it answers HTTP 408 ``{"ok": false, "error_code": 408, "description": "Request timeout"}``.
  While a webhook is set it answers 409, and a pending long poll is answered 409 as soon as one is set.
* ``setWebhook`` (``url``, ``secret_token`` of 8-256 characters) switches delivery to HTTP POSTs to ``url`` with
  the header ``X-Bot-Api-Secret-Token``; the body is ``{"ok": true, "result": <update>}`` or the bare update,
  per ``webhook_body``. The platform wants HTTPS; the fake also accepts ``http://`` on a loopback host.
* Ids are hex strings (20 digits, as in the documentation's samples); ``date`` is in milliseconds.
* A bot cannot write first: sending to a chat whose user never wrote answers 400 "Bad Request: chat not found"
  (``strict_chats = False`` switches this off). Text and captions are 1-2000 characters, counted in UTF-16
  code units (the stricter reading: Vietnamese letters count one either way).
* Free-plan quota (reported, not confirmed): ``monthly_quota`` refuses messages beyond it with 429
  "Quota exceeded"; ``stats.sent_by_month`` counts messages per month ("YYYY-MM", Vietnam time, from ``clock``).

Tests drive users through :meth:`FakeZaloServer.user`, read what the bot did from ``sent``, ``calls``,
:meth:`~FakeZaloServer.messages_to` and :meth:`~FakeZaloServer.next_message`, and inject faults with
:meth:`~FakeZaloServer.fail_next`, :meth:`~FakeZaloServer.drop_next` and ``fail_ratio``.
"""

from __future__ import annotations

import asyncio
import contextlib
import copy
import ipaddress
import json
import random
import re
import time
from collections import deque
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from http import HTTPStatus
from typing import Any, Literal, Self
from urllib.parse import urlsplit

import aiohttp
from aiohttp import web

__all__ = [
    "MAX_TEXT",
    "SECRET_HEADER",
    "FakeZaloServer",
    "FakeZaloUser",
    "SentRecord",
    "ServerStats",
    "WebhookDelivery",
]

JSON = dict[str, Any]
Handler = Callable[["FakeZaloServer", JSON], Awaitable[Any]]
_METHODS: dict[str, Handler] = {}  # exact (case-sensitive) method name -> handler

MAX_TEXT = 2000  # sendMessage text and sendPhoto caption: "từ 1 đến 2000 ký tự"
SECRET_HEADER = "X-Bot-Api-Secret-Token"
VIETNAM = timezone(timedelta(hours=7))  # no daylight saving time in Vietnam
_DEFAULT_POLL_TIMEOUT = 30.0  # "Mặc định 30 giây"
_NO_RESULT = object()  # a handler's answer for a bare {"ok": true}
_TOKEN_BOT_ID = re.compile(r"(\d+):")


def api_method(func: Handler) -> Handler:
    """Register ``_api_<methodName>`` as the handler of Zalo Bot API method ``<methodName>``."""
    _METHODS[func.__name__.removeprefix("_api_")] = func
    return func


class ApiError(Exception):
    """An unsuccessful answer: ``{"ok": false, "error_code": code, "description": ...}`` with HTTP status ``code``."""

    def __init__(self, code: int, description: str) -> None:
        super().__init__(f"{code} {description}")
        self.code, self.description = code, description

    def body(self) -> JSON:
        return {"ok": False, "error_code": self.code, "description": self.description}


def bad_request(what: str) -> ApiError:
    return ApiError(400, f"Bad Request: {what}")


@dataclass
class SentRecord:
    """A message the bot sent (sendMessage, sendPhoto, sendSticker)."""

    method: str
    chat_id: str
    text: str | None  # the text, or a photo's caption
    params: JSON
    at: float  # time.monotonic()
    message_id: str
    date: int  # milliseconds since the epoch, from the server's clock
    message: JSON  # as messages_to() and next_message() show it


@dataclass
class WebhookDelivery:
    """One POST of an update to the webhook."""

    url: str
    update: JSON
    body: JSON  # what was posted: wrapped or bare
    headers: dict[str, str]
    status: int | None  # None: no HTTP answer (refused, timed out)
    error: str | None
    at: float  # time.monotonic()


@dataclass
class ServerStats:
    requests: int = 0  # calls with the right token to a known method
    messages_sent: int = 0  # messages accepted (text, photo, sticker)
    sent_by_month: dict[str, int] = field(default_factory=dict)  # "YYYY-MM" (Vietnam time) -> messages accepted
    updates_polled: int = 0  # updates handed out by getUpdates
    poll_timeouts: int = 0  # getUpdates answered 408
    webhook_posts: int = 0
    webhook_failures: int = 0  # no answer, or a status other than 2xx
    quota_refused: int = 0  # messages refused by monthly_quota
    server_errors: int = 0  # 5xx answers
    dropped: int = 0  # connections closed without an answer


@dataclass
class _Fault:
    status: int | None  # None: close the connection without answering
    method: str | None  # None: any method not in fault_exempt


@dataclass
class _Chat:
    id: str
    chat_type: str = "PRIVATE"
    started: bool = False  # the user wrote to the bot, so the bot may write here
    sent: list[JSON] = field(default_factory=list)  # the bot's messages, in order


class _Signal:
    """Wake every waiter at once; waiters then re-check their own condition."""

    def __init__(self) -> None:
        self._event = asyncio.Event()

    def fire(self) -> None:
        self._event.set()
        self._event = asyncio.Event()

    async def wait(self, seconds: float) -> None:
        with contextlib.suppress(TimeoutError):
            async with asyncio.timeout(max(seconds, 0)):
                await self._event.wait()


def _utf16_len(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


async def _read_params(request: web.Request) -> JSON:
    """Query string, then the body: urlencoded or multipart form, else JSON (whatever the content type says)."""
    params: JSON = dict(request.query)
    if request.content_type in ("application/x-www-form-urlencoded", "multipart/form-data"):
        for key, value in (await request.post()).items():
            params[key] = value if isinstance(value, str) else None  # uploads: Zalo takes photos by URL only
    elif request.can_read_body:
        raw = (await request.read()).decode("utf-8", errors="replace")
        if raw.strip():
            try:
                body = json.loads(raw)
            except ValueError:
                raise bad_request("can't parse JSON body") from None
            if not isinstance(body, dict):
                raise bad_request("JSON body must be an object")
            params.update(body)
    return params


def _string(params: JSON, name: str) -> str | None:
    value = params.get(name)
    if value is None or isinstance(value, dict | list):
        return None
    if isinstance(value, bool):
        return str(value).lower()
    return str(value)


def _plain_error(status: int) -> ApiError:
    descriptions = {429: "Quota exceeded", 500: "Internal Server Error", 502: "Bad Gateway"}
    return ApiError(status, descriptions.get(status) or HTTPStatus(status).phrase)


class FakeZaloUser:
    """A Zalo user; their private chat with the bot has chat id == user id."""

    def __init__(self, server: FakeZaloServer, user_id: str, display_name: str, is_bot: bool = False) -> None:
        self.server, self.id, self.display_name, self.is_bot = server, user_id, display_name, is_bot

    @property
    def user_id(self) -> str:
        return self.id

    @property
    def chat_id(self) -> str:
        return self.id

    @property
    def obj(self) -> JSON:
        """The ``from`` object of this user's messages."""
        return {"id": self.id, "display_name": self.display_name, "is_bot": self.is_bot}

    async def send(self, text: str) -> JSON:
        """Write ``text`` to the bot: a ``message.text.received`` update, queued or posted to the webhook."""
        return await self.send_event("message.text.received", text=text)

    send_text = send

    async def send_image(self, url: str, caption: str | None = None) -> JSON:
        """Send a picture: ``message.image.received`` with the URL as ``photo_url`` and ``photo``, and the caption.

        Integrations disagree on the field name (``photo_url`` in OpenClaw's client, ``photo`` in other
        references), so the fake fills both."""
        fields: JSON = {"photo_url": url, "photo": url}
        if caption is not None:
            fields["caption"] = caption
        return await self.send_event("message.image.received", **fields)

    async def send_sticker(self, sticker: str, url: str | None = None) -> JSON:
        fields: JSON = {"sticker": sticker}
        if url is not None:
            fields["url"] = url
        return await self.send_event("message.sticker.received", **fields)

    async def send_event(self, event_name: str, **fields: Any) -> JSON:
        """Any event, e.g. ``"message.unsupported.received"``; ``fields`` go into ``message``."""
        return await self.server.deliver(self.server.make_update(self, event_name, **fields))

    def redeliver(self, update: JSON) -> asyncio.Future[JSON]:
        """Deliver ``update`` again, unchanged (the platform may repeat one: the app must deduplicate by
        message_id). Polling: queued at once. Webhook: posted in the background; await the result to wait."""
        return self.server.redeliver(update)

    def messages(self) -> list[JSON]:
        return self.server.messages_to(self.chat_id)

    async def next_message(self, timeout: float = 5.0) -> JSON:  # noqa: ASYNC109
        return await self.server.next_message(self.chat_id, timeout)


class FakeZaloServer:
    """The fake Zalo Bot API. ``await start()`` / ``await stop()``, or ``async with FakeZaloServer() as server``.

    Test knobs (plain attributes): ``strict_chats``, ``webhook_body`` ("wrapped" | "bare"), ``webhook_timeout``,
    ``allow_http_webhook_on_loopback``, ``chat_actions``, ``monthly_quota``, ``clock`` (epoch seconds, for
    ``date`` and the month of the quota), ``fail_ratio`` / ``fail_statuses`` / ``rng``, ``fault_exempt``.
    """

    def __init__(
        self,
        token: str = "zalo-token-123",
        bot_name: str = "Nhắc việc",
        *,
        account_name: str | None = None,
        seed: int = 0,
    ) -> None:
        self.token = token
        self.bot_name = bot_name
        self.account_name = account_name or bot_name
        self._ids = random.Random(f"zalo-ids-{seed}")  # apart from self.rng, so ids don't shift the faults
        self._used_ids: set[str] = set()
        found = _TOKEN_BOT_ID.match(token)  # tokens look like "<bot_id>:<secret>"; the docs' bot id is decimal
        self.bot_id = found.group(1) if found else str(self._ids.randrange(10**18, 10**19))
        self.strict_chats = True
        self.webhook_body: Literal["wrapped", "bare"] = "wrapped"
        self.webhook_timeout = 10.0
        self.allow_http_webhook_on_loopback = True
        self.chat_actions: set[str] = {"typing"}  # the docs list "upload_photo" as coming soon
        self.monthly_quota: int | None = None
        self.clock: Callable[[], float] = time.time
        self.fail_ratio = 0.0
        self.fail_statuses: tuple[int, ...] = (500, 502)
        self.fault_exempt: set[str] = {"getUpdates"}  # skipped by random faults and by untargeted fail_next
        self.rng = random.Random(seed)
        self.sent: list[SentRecord] = []
        self.calls: list[tuple[str, JSON]] = []
        self.stats = ServerStats()
        self.webhook: JSON = {"url": "", "secret_token": "", "updated_at": self._now_ms()}
        self.webhook_deliveries: list[WebhookDelivery] = []
        self._users: dict[str, FakeZaloUser] = {}
        self._chats: dict[str, _Chat] = {}
        self._queue: deque[JSON] = deque()
        self._updates_signal = _Signal()
        self._sent_signal = _Signal()
        self._cursors: dict[str, int] = {}
        self._forced: list[_Fault] = []
        self._tasks: set[asyncio.Task[JSON]] = set()
        self._closing = False
        self._session: aiohttp.ClientSession | None = None
        self._runner: web.AppRunner | None = None
        self._port = 0

    # ----------------------------------------------------------------------------------------------- lifecycle
    async def start(self) -> Self:
        app = web.Application()
        app.router.add_route("*", "/bot{token}/{method}", self._handle)
        app.router.add_route("*", "/{tail:.*}", self._not_found)
        self._runner = web.AppRunner(app, access_log=None, shutdown_timeout=2.0)
        await self._runner.setup()
        await web.TCPSite(self._runner, "127.0.0.1", 0).start()
        self._port = int(self._runner.addresses[0][1])
        self._session = aiohttp.ClientSession()
        self._closing = False
        return self

    async def stop(self) -> None:
        """Answer pending long polls (408) at once, finish background webhook posts, close everything."""
        self._closing = True
        self._updates_signal.fire()
        if self._tasks:
            _done, pending = await asyncio.wait(self._tasks, timeout=self.webhook_timeout)
            for task in pending:
                task.cancel()
            await asyncio.gather(*pending, return_exceptions=True)
        if self._session is not None:
            await self._session.close()
            self._session = None
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    async def __aenter__(self) -> Self:
        return await self.start()

    async def __aexit__(self, *exc_info: object) -> None:
        await self.stop()

    @property
    def root(self) -> str:
        """What the app is configured with; it appends ``/bot{token}/{method}`` itself."""
        return f"http://127.0.0.1:{self._port}"

    @property
    def base_url(self) -> str:
        return f"{self.root}/bot{self.token}"

    # -------------------------------------------------------------------------------------------- test controls
    def user(self, user_id: str | None = None, display_name: str = "Lan", *, is_bot: bool = False) -> FakeZaloUser:
        """The user with this id (created on first call; later calls return the same handle). Without an id,
        a new user with a fresh random hex id. Creating a user does not open a chat: the user must write first."""
        if user_id is None:
            user_id = self.new_id()
        if user_id not in self._users:
            self._users[user_id] = FakeZaloUser(self, user_id, display_name, is_bot)
            self._used_ids.add(user_id)
        return self._users[user_id]

    def new_id(self) -> str:
        """A fresh 20-digit hex id, like the platform's user, chat and message ids."""
        while True:
            value = f"{self._ids.getrandbits(80):020x}"
            if value not in self._used_ids:
                self._used_ids.add(value)
                return value

    def make_update(self, user: FakeZaloUser, event_name: str, **fields: Any) -> JSON:
        """An update from ``user`` in their private chat, with a fresh message_id and the date in ms."""
        message: JSON = {
            "from": user.obj,
            "chat": {"id": user.chat_id, "chat_type": "PRIVATE"},
            **fields,
            "message_id": self.new_id(),
            "date": self._now_ms(),
        }
        return {"event_name": event_name, "message": message}

    async def deliver(self, update: JSON) -> JSON:
        """Hand ``update`` to the bot: queued for getUpdates, or POSTed to the webhook (awaited). The chat it
        comes from becomes writable. Returns the update."""
        self._open_chat(update)
        if self.webhook["url"]:
            await self._post_webhook(update)
        else:
            self._queue.append(copy.deepcopy(update))
            self._updates_signal.fire()
        return update

    def queue_raw(self, update: Any) -> None:
        """Queue ``update`` for getUpdates as given, however malformed: what a bot must survive, though
        Zalo should never send it."""
        self._queue.append(copy.deepcopy(update))
        self._updates_signal.fire()

    def redeliver(self, update: JSON) -> asyncio.Future[JSON]:
        """Deliver the same update once more (see :meth:`FakeZaloUser.redeliver`)."""
        if not self.webhook["url"]:
            self._open_chat(update)
            self._queue.append(copy.deepcopy(update))
            self._updates_signal.fire()
            done: asyncio.Future[JSON] = asyncio.get_running_loop().create_future()
            done.set_result(update)
            return done
        task = asyncio.ensure_future(self.deliver(update))
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)
        return task

    @property
    def pending_updates(self) -> list[JSON]:
        """Updates queued for getUpdates and not handed out yet."""
        return copy.deepcopy(list(self._queue))

    def messages_to(self, chat_id: str) -> list[JSON]:
        """The bot's messages in the chat, in order: ``{"message_id", "date", "chat_id", "method", "text"}``
        (a photo has ``photo`` and ``caption``, a sticker ``sticker``)."""
        chat = self._chats.get(str(chat_id))
        return copy.deepcopy(chat.sent) if chat else []

    async def next_message(self, chat_id: str, timeout: float = 5.0) -> JSON:  # noqa: ASYNC109
        """The next message the bot sent to ``chat_id`` that this method has not returned yet."""
        chat_id = str(chat_id)
        deadline = time.monotonic() + timeout
        while True:
            chat = self._chats.get(chat_id)
            cursor = self._cursors.get(chat_id, 0)
            if chat is not None and cursor < len(chat.sent):
                self._cursors[chat_id] = cursor + 1
                return copy.deepcopy(chat.sent[cursor])
            if time.monotonic() >= deadline:
                raise AssertionError(self._describe_wait(chat_id, timeout))
            await self._sent_signal.wait(deadline - time.monotonic())

    def sent_in_month(self, month: str | None = None) -> int:
        """Messages accepted in ``month`` ("YYYY-MM", Vietnam time); the current month by default."""
        return self.stats.sent_by_month.get(month or self.month_key(), 0)

    def month_key(self, epoch_seconds: float | None = None) -> str:
        moment = self.clock() if epoch_seconds is None else epoch_seconds
        return datetime.fromtimestamp(moment, VIETNAM).strftime("%Y-%m")

    def fail_next(self, n: int = 1, status: int = 500, *, method: str | None = None) -> None:
        """Answer the next ``n`` calls (of ``method``, else of any method not in ``fault_exempt``) with an error,
        without performing them. 429 answers "Quota exceeded", as the platform does past its limits."""
        self._forced.extend(_Fault(status, method) for _ in range(n))

    def drop_next(self, n: int = 1, *, method: str | None = None) -> None:
        """Close the connection of the next ``n`` calls without answering and without performing them."""
        self._forced.extend(_Fault(None, method) for _ in range(n))

    # ----------------------------------------------------------------------------------------------- HTTP layer
    async def _handle(self, request: web.Request) -> web.StreamResponse:
        token, name = request.match_info["token"], request.match_info["method"]
        if token != self.token:
            return self._error(ApiError(401, "Unauthorized"))
        handler = _METHODS.get(name)
        if handler is None:
            return self._error(ApiError(404, "Not Found"))
        self.stats.requests += 1
        try:
            params = await _read_params(request)
        except ApiError as exc:
            return self._error(exc)
        self.calls.append((name, params))
        fault = self._fault_for(name)
        if fault == "drop":
            self.stats.dropped += 1
            if request.transport is not None:
                request.transport.abort()
            return web.Response(status=500)  # never written: the connection is gone
        if fault is not None:
            return self._error(fault)
        try:
            result = await handler(self, params)
        except ApiError as exc:
            return self._error(exc)
        return web.json_response({"ok": True} if result is _NO_RESULT else {"ok": True, "result": result})

    async def _not_found(self, request: web.Request) -> web.StreamResponse:
        return self._error(ApiError(404, "Not Found"))

    def _error(self, error: ApiError) -> web.Response:
        if error.code >= 500:
            self.stats.server_errors += 1
        return web.json_response(error.body(), status=error.code)

    def _fault_for(self, method: str) -> ApiError | Literal["drop"] | None:
        for index, fault in enumerate(self._forced):
            if fault.method == method or (fault.method is None and method not in self.fault_exempt):
                del self._forced[index]
                return "drop" if fault.status is None else _plain_error(fault.status)
        if method not in self.fault_exempt and self.fail_ratio and self.rng.random() < self.fail_ratio:
            return _plain_error(self.rng.choice(self.fail_statuses))
        return None

    # ------------------------------------------------------------------------------------------------ internals
    def _now_ms(self) -> int:
        return int(self.clock() * 1000)

    def _open_chat(self, update: JSON) -> None:
        chat_obj = (update.get("message") or {}).get("chat") or {}
        if chat_obj.get("id"):
            chat = self._chats.setdefault(str(chat_obj["id"]), _Chat(str(chat_obj["id"])))
            chat.chat_type = str(chat_obj.get("chat_type") or chat.chat_type)
            chat.started = True

    async def _post_webhook(self, update: JSON) -> None:
        url, secret = self.webhook["url"], self.webhook["secret_token"]
        body: JSON = {"ok": True, "result": update} if self.webhook_body == "wrapped" else update
        headers = {SECRET_HEADER: secret, "Content-Type": "application/json", "User-Agent": "Java/17"}
        status: int | None = None
        error: str | None = None
        if self._session is None:
            raise RuntimeError("FakeZaloServer is not started")
        try:
            async with self._session.post(
                url,
                data=json.dumps(body, ensure_ascii=False).encode(),
                headers=headers,
                timeout=aiohttp.ClientTimeout(total=self.webhook_timeout),
            ) as response:
                status = response.status
                await response.read()
        except (aiohttp.ClientError, TimeoutError) as exc:
            error = f"{type(exc).__name__}: {exc}"
        self.stats.webhook_posts += 1
        if status is None or not 200 <= status < 300:
            self.stats.webhook_failures += 1
        self.webhook_deliveries.append(
            WebhookDelivery(url, copy.deepcopy(update), copy.deepcopy(body), headers, status, error, time.monotonic())
        )

    def _chat_for_send(self, params: JSON) -> _Chat:
        chat_id = _string(params, "chat_id")
        if not chat_id:
            raise bad_request("chat_id is required")
        chat = self._chats.get(chat_id)
        if chat is None or not chat.started:
            if self.strict_chats:
                raise bad_request("chat not found")
            chat = self._chats.setdefault(chat_id, _Chat(chat_id))
            chat.started = True
        return chat

    def _checked_text(self, params: JSON, name: str, *, required: bool) -> str | None:
        text = _string(params, name)
        if text is None or text == "":
            if required:
                raise bad_request(f"{name} is empty")
            return None
        if _utf16_len(text) > MAX_TEXT:
            raise bad_request(f"{name} is too long")
        return text

    def _send(self, method: str, chat: _Chat, params: JSON, content: JSON) -> JSON:
        month = self.month_key()
        if self.monthly_quota is not None and self.stats.sent_by_month.get(month, 0) >= self.monthly_quota:
            self.stats.quota_refused += 1
            raise ApiError(429, "Quota exceeded")
        message: JSON = {
            "message_id": self.new_id(),
            "date": self._now_ms(),
            "chat_id": chat.id,
            "method": method,
            **content,
        }
        chat.sent.append(message)
        self.stats.messages_sent += 1
        self.stats.sent_by_month[month] = self.stats.sent_by_month.get(month, 0) + 1
        text = content.get("text", content.get("caption"))
        self.sent.append(
            SentRecord(
                method,
                chat.id,
                text,
                params,
                time.monotonic(),
                message["message_id"],
                message["date"],
                copy.deepcopy(message),
            )
        )
        self._sent_signal.fire()
        return {"message_id": message["message_id"], "date": message["date"]}

    def _describe_wait(self, chat_id: str, timeout: float) -> str:
        chat = self._chats.get(chat_id)
        texts = [m.get("text", m.get("caption", m.get("sticker"))) for m in (chat.sent if chat else [])]
        recent = [(r.method, r.chat_id, r.text) for r in self.sent[-10:]]
        known = "unknown chat" if chat is None else ("open chat" if chat.started else "user never wrote")
        return (
            f"no new message to chat {chat_id} ({known}) within {timeout}s; sent to it so far: {texts} "
            f"({self._cursors.get(chat_id, 0)} already consumed); latest records: {recent}; "
            f"latest calls: {[name for name, _ in self.calls[-10:]]}"
        )

    # ---------------------------------------------------------------------------------------------- API methods
    @api_method
    async def _api_getMe(self, params: JSON) -> JSON:
        return {
            "id": self.bot_id,
            "account_name": self.account_name,
            "account_type": "BASIC",
            "can_join_groups": False,
        }

    @api_method
    async def _api_getUpdates(self, params: JSON) -> JSON:
        raw = params.get("timeout")
        try:
            timeout = _DEFAULT_POLL_TIMEOUT if raw in (None, "") else max(0.0, float(raw))
        except (TypeError, ValueError):
            raise bad_request("timeout must be a number of seconds") from None
        deadline = time.monotonic() + timeout
        while True:
            if self.webhook["url"]:
                raise ApiError(409, "Conflict: can't use getUpdates while a webhook is set; call deleteWebhook first")
            if self._queue:
                self.stats.updates_polled += 1
                return self._queue.popleft()
            if self._closing or time.monotonic() >= deadline:
                self.stats.poll_timeouts += 1
                raise ApiError(408, "Request timeout")
            await self._updates_signal.wait(deadline - time.monotonic())

    @api_method
    async def _api_setWebhook(self, params: JSON) -> JSON:
        url = (_string(params, "url") or "").strip()
        secret = _string(params, "secret_token") or ""
        if not url:
            raise bad_request("url is required")
        parts = urlsplit(url)
        loopback_http = (
            parts.scheme == "http" and self.allow_http_webhook_on_loopback and _is_loopback(parts.hostname or "")
        )
        if not parts.hostname or (parts.scheme != "https" and not loopback_http):
            raise bad_request("url must be an HTTPS URL")
        if not 8 <= len(secret) <= 256:
            raise bad_request("secret_token must be 8-256 characters")
        self.webhook = {"url": url, "secret_token": secret, "updated_at": self._now_ms()}
        self._updates_signal.fire()  # a pending long poll answers 409
        return {"url": url, "updated_at": self.webhook["updated_at"]}

    @api_method
    async def _api_deleteWebhook(self, params: JSON) -> JSON:
        self.webhook = {"url": "", "secret_token": "", "updated_at": self._now_ms()}
        return {"url": "", "updated_at": self.webhook["updated_at"]}

    @api_method
    async def _api_getWebhookInfo(self, params: JSON) -> JSON:
        return {"url": self.webhook["url"], "updated_at": self.webhook["updated_at"]}

    @api_method
    async def _api_sendMessage(self, params: JSON) -> JSON:
        chat = self._chat_for_send(params)
        text = self._checked_text(params, "text", required=True)
        return self._send("sendMessage", chat, params, {"text": text})

    @api_method
    async def _api_sendPhoto(self, params: JSON) -> JSON:
        chat = self._chat_for_send(params)
        photo = (_string(params, "photo") or "").strip()
        if not photo:
            raise bad_request("photo is required")
        if urlsplit(photo).scheme not in ("http", "https"):
            raise bad_request("photo must be an HTTP or HTTPS URL")
        caption = self._checked_text(params, "caption", required=False)
        content: JSON = {"photo": photo}
        if caption is not None:
            content["caption"] = caption
        return self._send("sendPhoto", chat, params, content)

    @api_method
    async def _api_sendSticker(self, params: JSON) -> JSON:
        chat = self._chat_for_send(params)
        sticker = (_string(params, "sticker") or "").strip()
        if not sticker:
            raise bad_request("sticker is required")
        return self._send("sendSticker", chat, params, {"sticker": sticker})

    @api_method
    async def _api_sendChatAction(self, params: JSON) -> object:
        self._chat_for_send(params)
        if _string(params, "action") not in self.chat_actions:
            raise bad_request("action is invalid")
        return _NO_RESULT  # documented answer: {"ok": true}
