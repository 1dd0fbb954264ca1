"""What goes into the core and what comes out, the same for every channel."""

from __future__ import annotations

from dataclasses import dataclass, field

from storage.models import ChannelAccount, Person, Role
from storage.people import Membership


@dataclass(frozen=True)
class Incoming:
    """One message or button tap from a person, as any channel sees it."""

    channel: str
    user_id: str
    chat_id: str
    text: str = ""
    display_name: str = ""
    username: str | None = None
    private: bool = True
    has_media: bool = False  # a sticker, voice note... something the bot cannot read
    reply_to: str | None = None  # the channel's id of the message this one answers
    attachment: Attachment | None = None
    via_button: bool = False
    via_web: bool = False  # the office's web page asking as this account: it carries files itself


@dataclass(frozen=True)
class Attachment:
    """A document or photo, kept by the channel's file id."""

    kind: str  # document | photo
    file_id: str
    file_name: str = ""
    mime_type: str = ""  # what the channel says the file is, when it says
    content: bytes | None = None  # the file itself when it came with the message (the web page's upload)


@dataclass(frozen=True)
class Capabilities:
    """What a channel carries (CoreConfig.capabilities, filled by each channel as it is made); a channel
    without files gets one-time links to the web page instead (bot/core/file_links.py)."""

    files: bool = True  # documents and pictures sent as files
    photos_by_url: bool = False  # a picture from a public address (Zalo's sendPhoto)
    replies: bool = True  # a message can answer another (Zalo's cannot: a file answers the last reminder)


@dataclass(frozen=True)
class Button:
    label: str
    data: str  # the command text a tap stands for, at most 64 bytes


@dataclass(frozen=True)
class Document:
    """A file to send, such as an export."""

    file_name: str
    content: bytes


@dataclass
class Reply:
    text: str
    buttons: list[list[Button]] = field(default_factory=list)
    document: Document | None = None  # sent as a file, with `text` as its caption
    photo: Document | None = None  # sent as a picture, with `text` as its caption
    photo_url: str | None = None  # a picture the channel fetches by URL (a channel without files)
    channel: str | None = None  # None: the chat the message came from
    chat_id: str | None = None


@dataclass
class Outcome:
    replies: list[Reply]
    menu: Role | None = None  # the command menu this chat should now show
    tapped_note: str | None = None  # added to the message whose button was tapped, its buttons removed
    recorded: bool = False  # a report's update (or the office's decision on one) is on record now
    locale: str | None = None  # the reader's language, for what a channel says when the answer is lost
    plan_changed: bool = False  # a task or plan was given, changed or ended: follow it at once


@dataclass
class Actor:
    """Who sent a message: their person, accounts, roles, and the language to answer in."""

    incoming: Incoming
    person: Person | None
    account: ChannelAccount | None
    memberships: list[Membership]
    admin: bool
    locale: str

    @property
    def ref(self) -> str:
        return f"{self.incoming.channel}:{self.incoming.user_id}"

    @property
    def is_office(self) -> bool:
        return self.admin or any(m.official.role == Role.OFFICE for m in self.memberships)

    @property
    def registered(self) -> bool:
        return self.admin or bool(self.memberships)

    @property
    def top_role(self) -> Role | None:
        if self.is_office:
            return Role.OFFICE
        roles = {m.official.role for m in self.memberships}
        for role in (Role.HEAD, Role.OFFICIAL):
            if role in roles:
                return role
        return None
