"""The office's web page (bot/web): one-time sign-in links and the sessions they start, kept hashed.

In the database, not in a process's memory, so that several instances share them: a link made by the
instance that answered `/web` opens on any other, and signing out ends the session everywhere."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Field, SQLModel

from storage.types import UTCDateTime


class WebLink(SQLModel, table=True):
    """A one-time link `/web` gave: opened once (`used_at`), and only before `expires_at`."""

    __tablename__ = "web_link"

    id: int | None = Field(default=None, primary_key=True)
    token_hash: str = Field(max_length=64, unique=True, index=True)  # sha256 of the token: the link is the secret
    channel: str = Field(max_length=16)  # the account that asked: the page acts as it
    user_id: str = Field(max_length=64)
    created_at: datetime = Field(sa_type=UTCDateTime)
    expires_at: datetime = Field(sa_type=UTCDateTime)
    used_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    # sign_in (`/web`), file (a file answer on a channel without files, downloaded once), photo (the
    # chart a channel fetches by URL), upload (the plan sheet's page): each opens only where it belongs
    purpose: str = Field(default="sign_in", max_length=16, sa_column_kwargs={"server_default": "sign_in"})
    command: str | None = Field(default=None, max_length=300)  # what a file link runs as the account
    part: int = Field(default=0, sa_column_kwargs={"server_default": "0"})  # which of the answer's files


class WebSession(SQLModel, table=True):
    """A signed-in browser: its cookie's hash, its forms' CSRF token, until `expires_at` or sign-out."""

    __tablename__ = "web_session"

    id: int | None = Field(default=None, primary_key=True)
    token_hash: str = Field(max_length=64, unique=True, index=True)
    csrf: str = Field(max_length=64)
    channel: str = Field(max_length=16)
    user_id: str = Field(max_length=64)
    created_at: datetime = Field(sa_type=UTCDateTime)
    expires_at: datetime = Field(sa_type=UTCDateTime)
    ended_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
