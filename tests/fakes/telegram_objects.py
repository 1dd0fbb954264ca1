"""The Telegram side of the fake Bot API server: object shapes, validation rules, and world state.

The first half is pure functions building the JSON shapes documented at https://core.telegram.org/bots/api
(User, Chat, Message, MessageEntity, ...) and reproducing the checks the real server makes, with its error
descriptions. The second half (:class:`TelegramWorld`, :class:`FakeUser`, :class:`FakeGroup`) is the state
the real server keeps for a bot: users, chats, messages, files and the queue of pending updates.
``tests/fakes/telegram_api.py`` puts all this behind HTTP.
"""

from __future__ import annotations

import asyncio
import contextlib
import copy
import itertools
import json
import mimetypes
import re
import struct
import time
from dataclasses import dataclass, field
from typing import Any

JSON = dict[str, Any]

MAX_TEXT = 4096  # "Text of the message to be sent, 1-4096 characters after entities parsing"
MAX_CAPTION = 1024
MAX_CALLBACK_DATA = 64  # bytes
MAX_COMMANDS = 100
COMMAND_RE = re.compile(r"[a-z0-9_]{1,32}")
# Telegram only recognises Latin letters, digits and "_" in a command, optionally "@bot_username".
COMMAND_AT_START_RE = re.compile(r"/[A-Za-z0-9_]{1,32}(?:@[A-Za-z0-9_]{3,32})?(?![A-Za-z0-9_@])")
# Update types delivered when allowed_updates is unset or empty (https://core.telegram.org/bots/api#getupdates).
NOT_BY_DEFAULT = frozenset({"chat_member", "message_reaction", "message_reaction_count"})
# An InlineKeyboardButton needs "text" and one of these (a bare text button is refused).
BUTTON_ACTIONS = (
    "url",
    "callback_data",
    "web_app",
    "login_url",
    "switch_inline_query",
    "switch_inline_query_current_chat",
    "switch_inline_query_chosen_chat",
    "copy_text",
    "callback_game",
    "pay",
)
CHAT_ACTIONS = frozenset(
    {
        "typing",
        "upload_photo",
        "record_video",
        "upload_video",
        "record_voice",
        "upload_voice",
        "upload_document",
        "choose_sticker",
        "find_location",
        "record_video_note",
        "upload_video_note",
    }
)


@dataclass
class ApiError(Exception):
    """An unsuccessful answer: ``{"ok": false, "error_code": code, "description": ...}``."""

    code: int
    description: str
    parameters: JSON | None = None

    def body(self) -> JSON:
        body: JSON = {"ok": False, "error_code": self.code, "description": self.description}
        if self.parameters:
            body["parameters"] = self.parameters
        return body


def bad_request(what: str) -> ApiError:
    return ApiError(400, f"Bad Request: {what}")


def flood(retry_after: int) -> ApiError:
    return ApiError(429, f"Too Many Requests: retry after {retry_after}", {"retry_after": retry_after})


@dataclass
class Upload:
    """A file received in a multipart/form-data request."""

    filename: str
    content: bytes
    content_type: str | None = None


@dataclass
class StoredFile:
    """A file known to the fake server (uploaded by the bot or sent by a user)."""

    file_id: str
    file_unique_id: str
    content: bytes
    file_name: str | None = None
    mime_type: str | None = None
    kind: str = "document"
    extra: JSON = field(default_factory=dict)

    def as_document(self) -> JSON:
        doc: JSON = {"file_id": self.file_id, "file_unique_id": self.file_unique_id, "file_size": len(self.content)}
        if self.file_name is not None:
            doc["file_name"] = self.file_name
        if self.mime_type is not None:
            doc["mime_type"] = self.mime_type
        return doc

    def as_photo_size(self) -> JSON:
        return {
            "file_id": self.file_id,
            "file_unique_id": self.file_unique_id,
            "file_size": len(self.content),
            **self.extra,
        }


def utf16_len(text: str) -> int:
    """Entity offsets and lengths are counted in UTF-16 code units."""
    return len(text.encode("utf-16-le")) // 2


def user_object(
    user_id: int,
    first_name: str,
    *,
    is_bot: bool = False,
    last_name: str | None = None,
    username: str | None = None,
    language_code: str | None = None,
) -> JSON:
    user: JSON = {"id": user_id, "is_bot": is_bot, "first_name": first_name}
    for key, value in (("last_name", last_name), ("username", username), ("language_code", language_code)):
        if value is not None:
            user[key] = value
    return user


def private_chat_object(user: JSON) -> JSON:
    chat: JSON = {"id": user["id"], "first_name": user["first_name"]}
    for key in ("last_name", "username"):
        if key in user:
            chat[key] = user[key]
    chat["type"] = "private"
    return chat


def group_chat_object(chat_id: int, title: str, chat_type: str = "supergroup", username: str | None = None) -> JSON:
    chat: JSON = {"id": chat_id, "title": title, "type": chat_type}
    if username:
        chat["username"] = username
    return chat


def full_chat_info(chat: JSON) -> JSON:
    """ChatFullInfo as returned by getChat, with only the always-present fields added."""
    gifts = {
        "unlimited_gifts": False,
        "limited_gifts": False,
        "unique_gifts": False,
        "premium_subscription": False,
        "gifts_from_channels": False,
    }
    return {**chat, "accent_color_id": 0, "max_reaction_count": 11, "accepted_gift_types": gifts}


def command_entities(text: str) -> list[JSON]:
    """The ``bot_command`` entity Telegram attaches to a text starting with a command."""
    match = COMMAND_AT_START_RE.match(text)
    if not match:
        return []
    return [{"type": "bot_command", "offset": 0, "length": utf16_len(match.group())}]


def check_text(text: str | None, *, caption: bool = False) -> None:
    if caption:
        if text is not None and len(text) > MAX_CAPTION:
            raise bad_request("message caption is too long")
        return
    if not text or not text.strip():
        raise bad_request("message text is empty")
    if len(text) > MAX_TEXT:
        raise bad_request("message is too long")


def format_text(text: str | None, parse_mode: str | None, entities: Any) -> tuple[str | None, list[JSON]]:
    """Apply parse_mode (HTML only) or explicit entities; return (visible text, entities)."""
    if text is None:
        return None, []
    if entities is not None:
        if not isinstance(entities, list):
            raise bad_request("can't parse entities JSON object")
        return text, entities
    if parse_mode and parse_mode.lower() == "html":
        return parse_html(text)
    return text, []


_SIMPLE_TAGS = {
    "b": "bold",
    "strong": "bold",
    "i": "italic",
    "em": "italic",
    "u": "underline",
    "ins": "underline",
    "s": "strikethrough",
    "strike": "strikethrough",
    "del": "strikethrough",
    "tg-spoiler": "spoiler",
    "code": "code",
    "pre": "pre",
    "blockquote": "blockquote",
    "a": "text_link",
    "span": "spoiler",
    "tg-emoji": "custom_emoji",
}
_ATTR = r"""([a-zA-Z-]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>"']+)))?"""
_TAG_RE = re.compile(rf"<(/?)([a-zA-Z][a-zA-Z0-9-]*)((?:\s+{_ATTR})*)\s*/?>")
_ATTR_RE = re.compile(_ATTR)
_ENTITY_RE = re.compile(r"&(lt|gt|amp|quot|#\d+|#x[0-9a-fA-F]+);")
_NAMED = {"lt": "<", "gt": ">", "amp": "&", "quot": '"'}


def _entity_error(what: str) -> ApiError:
    return bad_request(f"can't parse entities: {what}")


def _open_entity(name: str, attrs: dict[str, str], position: str) -> JSON:
    kind = _SIMPLE_TAGS.get(name)
    if kind is None or (name == "span" and attrs.get("class") != "tg-spoiler"):
        raise _entity_error(f'Unsupported start tag "{name}" at byte offset {position}')
    entity: JSON = {"type": kind}
    if name == "a":
        entity["url"] = attrs.get("href", "")
    elif name == "tg-emoji":
        entity["custom_emoji_id"] = attrs.get("emoji-id", "")
    elif name == "blockquote" and "expandable" in attrs:
        entity["type"] = "expandable_blockquote"
    return entity


def parse_html(source: str) -> tuple[str, list[JSON]]:
    """Telegram's HTML parse mode: strip supported tags, return the text and its entities."""
    plain: list[str] = []
    stack: list[tuple[str, JSON, int]] = []
    entities: list[JSON] = []
    offset = pos = 0
    while pos < len(source):
        char = source[pos]
        if char == "<":
            byte_pos = str(len(source[:pos].encode()))
            match = _TAG_RE.match(source, pos)
            if not match:
                raise _entity_error(f'Unsupported start tag "" at byte offset {byte_pos}')
            closing, name = match.group(1) == "/", match.group(2).lower()
            if closing:
                if not stack:
                    raise _entity_error(f"Unexpected end tag at byte offset {byte_pos}")
                open_name, entity, start = stack.pop()
                if open_name != name:
                    raise _entity_error(
                        f'Unmatched end tag at byte offset {byte_pos}, expected "</{open_name}>", found "</{name}>"'
                    )
                if offset > start and entity:
                    entities.append({**entity, "offset": start, "length": offset - start})
            else:
                attrs = {
                    m.group(1).lower(): next((g for g in m.groups()[1:] if g is not None), "")
                    for m in _ATTR_RE.finditer(match.group(3))
                }
                entity = _open_entity(name, attrs, byte_pos)
                if name == "code" and stack and stack[-1][0] == "pre":  # <pre><code class="language-x">
                    if "class" in attrs:
                        stack[-1][1]["language"] = attrs["class"].removeprefix("language-")
                    entity = {}  # one "pre" entity, no separate "code"
                stack.append((name, entity, offset))
            pos = match.end()
            continue
        if char == "&" and (ent := _ENTITY_RE.match(source, pos)):
            code = ent.group(1)
            char = _NAMED.get(code) or chr(int(code[2:], 16) if code[1] == "x" else int(code[1:]))
            pos = ent.end()
        else:
            pos += 1
        plain.append(char)
        offset += utf16_len(char)
    if stack:
        raise _entity_error(f'Can\'t find end tag corresponding to start tag "{stack[-1][0]}"')
    entities.sort(key=lambda e: (e["offset"], -e["length"]))
    return "".join(plain), entities


def validate_reply_markup(markup: Any) -> JSON | None:
    """Return the markup to echo in the Message (inline keyboards only) after validating it."""
    if markup is None:
        return None
    if not isinstance(markup, dict):
        raise bad_request("can't parse reply keyboard markup JSON object")
    if "inline_keyboard" not in markup:
        return None  # reply keyboards, remove_keyboard and force_reply are not echoed back
    rows = markup["inline_keyboard"]
    if not isinstance(rows, list) or not all(isinstance(row, list) for row in rows):
        raise bad_request('can\'t parse inline keyboard button: Field "inline_keyboard" must be an Array of Arrays')
    for row in rows:
        for button in row:
            _validate_button(button)
    return markup


def _validate_button(button: Any) -> None:
    if not isinstance(button, dict) or not isinstance(button.get("text"), str):
        raise bad_request("can't parse inline keyboard button: InlineKeyboardButton must be an Object")
    actions = [key for key in BUTTON_ACTIONS if key in button]
    if not actions:
        raise bad_request("can't parse inline keyboard button: Text buttons are unallowed in the inline keyboard")
    data = button.get("callback_data")
    if data is not None and not 1 <= len(str(data).encode()) <= MAX_CALLBACK_DATA:
        raise bad_request("BUTTON_DATA_INVALID")
    if "url" in button and not str(button["url"]).strip():
        raise bad_request("BUTTON_URL_INVALID")


def validate_commands(commands: Any) -> list[JSON]:
    """setMyCommands rules: at most 100 commands, names ``[a-z0-9_]{1,32}``, descriptions 1-256 chars."""
    if not isinstance(commands, list):
        raise bad_request("can't parse commands JSON object")
    if len(commands) > MAX_COMMANDS:
        raise bad_request("BOT_COMMANDS_TOO_MUCH")
    cleaned: list[JSON] = []
    for item in commands:
        if not isinstance(item, dict):
            raise bad_request("can't parse BotCommand: BotCommand must be an Object")
        name, description = str(item.get("command", "")), str(item.get("description", ""))
        if not COMMAND_RE.fullmatch(name):
            raise bad_request("BOT_COMMAND_INVALID")
        if not 1 <= len(description) <= 256:
            raise bad_request("BOT_COMMAND_DESCRIPTION_INVALID")
        cleaned.append({"command": name, "description": description})
    return cleaned


def scope_key(scope: Any) -> str:
    """A canonical, hashable form of a BotCommandScope (default scope when absent)."""
    if scope is None:
        scope = {"type": "default"}
    if not isinstance(scope, dict) or "type" not in scope:
        raise bad_request("can't parse BotCommandScope JSON object")
    return json.dumps(scope, sort_keys=True, separators=(",", ":"))


def image_size(data: bytes) -> tuple[int, int] | None:
    """Width and height of a PNG or GIF (JPEG/WebP get a nominal size); None if not an image at all."""
    if data.startswith(b"\x89PNG\r\n\x1a\n") and len(data) >= 24:
        width, height = struct.unpack(">II", data[16:24])
        return int(width), int(height)
    if data[:6] in (b"GIF87a", b"GIF89a") and len(data) >= 10:
        width, height = struct.unpack("<HH", data[6:10])
        return int(width), int(height)
    if data.startswith(b"\xff\xd8\xff") or (data.startswith(b"RIFF") and data[8:12] == b"WEBP"):
        return 1280, 960
    return None


_INT_PARAMS = frozenset({"offset", "limit", "message_id", "reply_to_message_id", "cache_time", "max_connections"})
_BOOL_PARAMS = frozenset(
    {
        "disable_notification",
        "protect_content",
        "show_alert",
        "drop_pending_updates",
        "allow_sending_without_reply",
        "has_spoiler",
        "disable_content_type_detection",
    }
)
_JSON_PARAMS = frozenset(
    {
        "reply_markup",
        "entities",
        "caption_entities",
        "commands",
        "scope",
        "allowed_updates",
        "reply_parameters",
        "link_preview_options",
    }
)


def coerce_param(name: str, value: Any) -> Any:
    """Read a parameter as the server does: forms carry ints as text and objects as JSON text."""
    if isinstance(value, Upload) or value is None:
        return value
    if name == "chat_id":
        text = str(value).strip()
        return int(text) if re.fullmatch(r"-?\d+", text) else text
    if name in _INT_PARAMS or name == "timeout":
        try:
            return float(value) if name == "timeout" else int(value)
        except (TypeError, ValueError):
            raise bad_request(f"invalid {name} specified") from None
    if name in _BOOL_PARAMS:
        return value if isinstance(value, bool) else str(value).strip().lower() in ("true", "1")
    if name in _JSON_PARAMS and isinstance(value, str):
        try:
            return json.loads(value)
        except ValueError:
            what = "reply keyboard markup" if name == "reply_markup" else name.replace("_", " ")
            raise bad_request(f"can't parse {what} JSON object") from None
    return value


# ---------------------------------------------------------------------------------------------------------------
# The Telegram side: who exists, which chats and messages, which files, and the bot's queue of updates.


class Signal:
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


@dataclass
class ChatState:
    obj: JSON  # the Chat object
    started: bool = False  # private chat: the user has written to the bot
    seen: bool = False  # the bot got an update showing this chat, so it may address it
    blocked: bool = False
    bot_is_admin: bool = False
    next_id: int = 1
    messages: dict[int, JSON] = field(default_factory=dict)  # current state of every message
    sent: list[JSON] = field(default_factory=list)  # the bot's messages in order (edited in place)

    @property
    def id(self) -> int:
        return int(self.obj["id"])

    @property
    def private(self) -> bool:
        return bool(self.obj["type"] == "private")


def strip_reply(message: JSON) -> JSON:
    """A replied-to message never carries its own reply_to_message."""
    return {key: value for key, value in message.items() if key != "reply_to_message"}


class TelegramWorld:
    """The state the real server keeps for one bot, and the rules on who may address whom."""

    def __init__(self, bot_user: JSON, can_read_all_group_messages: bool) -> None:
        self.bot_user, self.bot_id = bot_user, int(bot_user["id"])
        self.can_read_all_group_messages = can_read_all_group_messages
        self.strict_chats = True
        self.users: dict[int, FakeUser] = {}
        self.chats: dict[int, ChatState] = {}
        self.updates: list[JSON] = []
        self.allowed_updates: set[str] | None = None
        self.queries: dict[str, JSON] = {}
        self.files: dict[str, StoredFile] = {}
        self.photos: dict[str, list[JSON]] = {}  # any size's file_id -> all sizes of that photo
        self.updates_signal = Signal()
        self._update_ids = itertools.count(700_000_001)
        self._ids = itertools.count(1)

    # -- chats
    def private_chat(self, user: FakeUser) -> ChatState:
        if user.id not in self.chats:
            self.chats[user.id] = ChatState(private_chat_object(user.obj))
        return self.chats[user.id]

    def find_chat(self, chat_id: Any) -> ChatState:
        """Resolve chat_id as the server does: only chats the bot has seen, public ones by @username."""
        if chat_id is None or chat_id == "":
            raise bad_request("chat_id is empty")
        chat: ChatState | None
        if isinstance(chat_id, str):
            public = {f"@{c.obj['username']}".lower(): c for c in self.chats.values() if c.obj.get("username")}
            chat = public.get(chat_id.lower()) if chat_id.startswith("@") else None
            chat = None if chat is None or chat.private else chat
        else:
            chat = self.chats.get(chat_id) or (None if self.strict_chats else self._invent_chat(chat_id))
        if chat is None or (self.strict_chats and not chat.seen):
            raise bad_request("chat not found")
        return chat

    def _invent_chat(self, chat_id: int) -> ChatState:
        if chat_id > 0:
            obj = private_chat_object(user_object(chat_id, f"User {chat_id}"))
        else:
            obj = group_chat_object(chat_id, f"Chat {chat_id}")
        self.chats[chat_id] = ChatState(obj, started=True, seen=True)
        return self.chats[chat_id]

    def chat_for_send(self, chat_id: Any) -> ChatState:
        chat = self.find_chat(chat_id)
        if chat.blocked:
            raise ApiError(403, "Forbidden: bot was blocked by the user")
        if chat.private and self.strict_chats and not chat.started:
            raise ApiError(403, "Forbidden: bot can't initiate conversation with a user")
        return chat

    # -- messages
    def message(self, chat: ChatState, message_id: Any, missing: str) -> JSON:
        if message_id is None:
            raise bad_request("message identifier is not specified")
        message = chat.messages.get(int(message_id))
        if message is None:
            raise bad_request(missing)
        return message

    def new_message(self, chat: ChatState, sender: JSON, **content: Any) -> JSON:
        message: JSON = {"message_id": chat.next_id, "from": sender, "chat": chat.obj, "date": int(time.time())}
        message.update({key: value for key, value in content.items() if value not in (None, [])})
        chat.next_id += 1
        chat.messages[message["message_id"]] = message
        return message

    def reply_target(self, chat: ChatState, params: JSON) -> JSON | None:
        """The message named by reply_parameters (or the older reply_to_message_id)."""
        reply = params.get("reply_parameters")
        if reply is None and params.get("reply_to_message_id") is not None:
            reply = {"message_id": params["reply_to_message_id"]}
        if reply is None:
            return None
        if not isinstance(reply, dict) or "message_id" not in reply:
            raise bad_request("can't parse reply parameters JSON object")
        replied = chat.messages.get(int(reply["message_id"]))
        if replied is None:
            if reply.get("allow_sending_without_reply") or params.get("allow_sending_without_reply"):
                return None
            raise bad_request("message to be replied not found")
        return strip_reply(replied)

    # -- updates
    def bot_sees(self, chat: ChatState, message: JSON) -> bool:
        """Privacy mode (https://core.telegram.org/bots/features#privacy-mode)."""
        if chat.private or chat.bot_is_admin or self.can_read_all_group_messages:
            return True
        match = COMMAND_AT_START_RE.match(message.get("text") or message.get("caption") or "")
        if match:
            addressee = match.group().partition("@")[2]
            return not addressee or addressee.lower() == str(self.bot_user["username"]).lower()
        replied = message.get("reply_to_message")
        return bool(replied and replied["from"]["id"] == self.bot_id)

    def enqueue(self, kind: str, payload: JSON) -> None:
        allowed = self.allowed_updates
        if (kind not in allowed) if allowed else (kind in NOT_BY_DEFAULT):
            return  # the bot asked not to get this kind of update
        self.updates.append({"update_id": next(self._update_ids), kind: copy.deepcopy(payload)})
        self.updates_signal.fire()

    def user_message(self, user: FakeUser, chat: ChatState, reply_to: JSON | int | None, **content: Any) -> JSON:
        if chat.private:
            if chat.blocked:
                self.set_blocked(user, False)  # a user must unblock the bot to write to it
            chat.started = True
        if reply_to is not None:
            replied_id = reply_to["message_id"] if isinstance(reply_to, dict) else reply_to
            replied = chat.messages.get(int(replied_id))
            if replied is None:
                raise AssertionError(f"no message {replied_id} in chat {chat.id} to reply to")
            content["reply_to_message"] = strip_reply(replied)
        if "text" in content:
            content["entities"] = command_entities(content["text"])
        elif content.get("caption"):
            content["caption_entities"] = command_entities(content["caption"])
        message = self.new_message(chat, user.obj, **content)
        if self.bot_sees(chat, message):
            chat.seen = self.private_chat(user).seen = True
            self.enqueue("message", message)
        return copy.deepcopy(message)

    def tap(self, user: FakeUser, message: JSON | int, data: str, check_button: bool) -> str:
        chat_id = message["chat"]["id"] if isinstance(message, dict) else user.id
        message_id = message["message_id"] if isinstance(message, dict) else message
        chat = self.chats.get(chat_id)
        current = chat.messages.get(int(message_id)) if chat else None
        if current is None:
            raise AssertionError(f"no message {message_id} in chat {chat_id} to tap")
        rows = (current.get("reply_markup") or {}).get("inline_keyboard", [])
        datas = [button.get("callback_data") for row in rows for button in row]
        if check_button and data not in datas:
            raise AssertionError(f"message {message_id} has no button with callback_data {data!r}; it has {datas}")
        query_id = str(4_300_000_000_000_000 + next(self._ids))
        instance = str(abs(chat_id * 7_919 + self.bot_id) % 10**19)
        query = {"id": query_id, "from": user.obj, "message": current, "chat_instance": instance, "data": data}
        self.queries[query_id] = copy.deepcopy(query)
        self.enqueue("callback_query", query)
        return query_id

    def set_blocked(self, user: FakeUser, blocked: bool) -> None:
        chat = self.private_chat(user)
        if chat.blocked == blocked:
            return
        chat.blocked = blocked
        kicked: JSON = {"user": self.bot_user, "status": "kicked", "until_date": 0}
        member: JSON = {"user": self.bot_user, "status": "member"}
        old, new = (member, kicked) if blocked else (kicked, member)
        if chat.started:  # my_chat_member in private chats: only for blocking and unblocking
            self.enqueue(
                "my_chat_member",
                {
                    "chat": chat.obj,
                    "from": user.obj,
                    "date": int(time.time()),
                    "old_chat_member": old,
                    "new_chat_member": new,
                },
            )

    # -- files
    def store_file(
        self, content: bytes, kind: str, file_name: str | None = None, mime_type: str | None = None, **extra: Any
    ) -> StoredFile:
        number = next(self._ids)
        prefix = {"document": "BQACAgIAAxkBAAI", "photo": "AgACAgIAAxkBAAI"}[kind]
        stored = StoredFile(f"{prefix}{number:08d}", f"AgAD{number:06d}", content, file_name, mime_type, kind, extra)
        self.files[stored.file_id] = stored
        return stored

    def store_photo(self, content: bytes, width: int, height: int) -> list[JSON]:
        """PhotoSize array: a 90px thumbnail and, if bigger, the full size."""
        scale = min(1.0, 90 / max(width, height, 1))
        small = (max(1, int(width * scale)), max(1, int(height * scale)))
        dimensions = [small] if scale == 1.0 else [small, (width, height)]
        sizes = [self.store_file(content, "photo", width=w, height=h).as_photo_size() for w, h in dimensions]
        for size in sizes:
            self.photos[size["file_id"]] = sizes
        return sizes

    def input_file(self, params: JSON, name: str) -> StoredFile:
        """An uploaded file, a known file_id or an HTTP URL (which the real server would download)."""
        value = params.get(name)
        if isinstance(value, str) and value.startswith("attach://"):
            value = params.get(value.removeprefix("attach://"))
        if isinstance(value, Upload):
            mime = value.content_type or mimetypes.guess_type(value.filename)[0]
            return StoredFile("", "", value.content, value.filename, mime, name)  # no file_id: new
        if isinstance(value, str) and value.strip():
            if value in self.files:
                return self.files[value]
            if value.startswith(("http://", "https://")):
                return StoredFile("", "", b"", value.rsplit("/", 1)[-1] or "file", None, name)
            raise bad_request("wrong file identifier/HTTP URL specified")
        raise bad_request(f"there is no {name} in the request")

    def media(self, params: JSON, kind: str) -> Any:
        """The ``document`` object or ``photo`` array for a sendDocument/sendPhoto request."""
        source = self.input_file(params, kind)
        if kind == "document":
            if not source.file_id:
                source = self.store_file(source.content, "document", source.file_name, source.mime_type)
            return source.as_document()
        if source.file_id in self.photos:
            return self.photos[source.file_id]
        size = image_size(source.content) if source.content else (1280, 960)
        if size is None:
            raise bad_request("IMAGE_PROCESS_FAILED")
        return self.store_photo(source.content, *size)


class FakeUser:
    """A Telegram user; their private chat with the bot has chat id == user id."""

    def __init__(self, world: TelegramWorld, obj: JSON) -> None:
        self.world, self.obj = world, obj

    @property
    def id(self) -> int:
        return int(self.obj["id"])

    chat_id = id

    async def send(self, text: str, *, reply_to: JSON | int | None = None) -> JSON:
        """Write ``text`` to the bot; returns the Message the bot receives."""
        return self.world.user_message(self, self.world.private_chat(self), reply_to, text=text)

    send_text = send

    async def send_document(
        self,
        file_name: str,
        mime_type: str = "application/octet-stream",
        caption: str | None = None,
        reply_to: JSON | int | None = None,
        content: bytes = b"",
    ) -> JSON:
        document = self.world.store_file(content, "document", file_name, mime_type).as_document()
        return self.world.user_message(
            self, self.world.private_chat(self), reply_to, document=document, caption=caption
        )

    async def send_photo(
        self,
        caption: str | None = None,
        reply_to: JSON | int | None = None,
        content: bytes = b"",
        width: int = 1280,
        height: int = 960,
    ) -> JSON:
        photo = self.world.store_photo(content, width, height)
        return self.world.user_message(self, self.world.private_chat(self), reply_to, photo=photo, caption=caption)

    async def tap(self, message: JSON | int, callback_data: str, *, check_button: bool = True) -> str:
        """Press the inline button carrying ``callback_data``; returns the callback query id."""
        return self.world.tap(self, message, callback_data, check_button)

    def block(self) -> None:
        self.world.set_blocked(self, True)

    def unblock(self) -> None:
        self.world.set_blocked(self, False)


class FakeGroup:
    """A group or supergroup the bot is a member of."""

    def __init__(self, world: TelegramWorld, chat: ChatState) -> None:
        self.world, self.chat = world, chat

    @property
    def id(self) -> int:
        return self.chat.id

    chat_id = id

    async def send(self, from_user: FakeUser, text: str, *, reply_to: JSON | int | None = None) -> JSON:
        return self.world.user_message(from_user, self.chat, reply_to, text=text)
