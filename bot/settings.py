"""One settings object, read from NHACVIEC_* variables (and a .env file) once at start."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Annotated, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import AnyHttpUrl, Field, SecretStr, ValidationError, ValidationInfo, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

SHIPPED_PLAN = Path(__file__).resolve().parent.parent / "storage" / "plans" / "my-hao-2025.toml"
# What the Bot API accepts as setWebhook's secret_token (https://core.telegram.org/bots/api#setwebhook).
_WEBHOOK_SECRET = re.compile(r"[A-Za-z0-9_-]{1,256}")
_ZALO_ID = re.compile(r"[A-Za-z0-9_-]{1,64}")  # Zalo's ids are hex strings


class SettingsError(Exception):
    """Settings that cannot work, explained in one sentence per problem."""


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="NHACVIEC_", env_file=".env", extra="ignore")

    telegram_token: SecretStr | None = None
    telegram_api_url: AnyHttpUrl = AnyHttpUrl("https://api.telegram.org")
    telegram_webhook_url: AnyHttpUrl | None = None  # set (with the secret) for webhook mode instead of polling
    telegram_webhook_secret: SecretStr | None = Field(default=None, validate_default=True)
    telegram_webhook_port: int = Field(default=8444, ge=1, le=65535)  # where `nhacviec run` listens for it
    telegram_webhook_listen: str = "0.0.0.0"  # the address it listens on (behind the HTTPS proxy)
    zalo_token: SecretStr | None = None
    zalo_api_url: AnyHttpUrl = AnyHttpUrl("https://bot-api.zaloplatforms.com")
    zalo_webhook_secret: SecretStr | None = Field(default=None, min_length=8, max_length=256)
    zalo_monthly_quota: int = Field(default=3000, ge=1)  # messages a month; the office is warned at 90%
    zalo_webhook_url: AnyHttpUrl | None = None  # set (with the secret) for webhook mode instead of polling
    zalo_webhook_port: int = Field(default=8443, ge=1, le=65535)  # where `nhacviec run` listens for it
    zalo_webhook_listen: str = "0.0.0.0"  # the address it listens on (behind the HTTPS proxy)
    database_url: str = "sqlite:///./data/nhacviec.db"
    sqlite_fast_path: bool = True  # false: SQLAlchemy's stock aiosqlite driver (storage/sqlite_driver.py says why)
    # Telegram user ids, and Zalo ones as zalo:<id>; each read as "<channel>:<user id>" (`admin_refs`)
    admins: Annotated[list[str], NoDecode] = Field(default_factory=list)
    plan: Path | None = None  # a plan file loaded at each start; none: the office gives its tasks in chat
    timezone: str = "Asia/Ho_Chi_Minh"
    locale: str = "vi"
    invite_days: int = Field(default=7, ge=1, le=90)
    # The office's identity at the first start only (its letterhead, signature, where reports go: Decree
    # 30/2020); then it is data, which /vanphong and the web page change. Empty: the plan file's issuer
    # and report_to, else left for /vanphong.
    letter_parent: str = ""  # cơ quan chủ quản, above the issuer: "UBND phường Mỹ Hào"
    letter_issuer: str = "Văn phòng HĐND và UBND"
    letter_number_code: str = "VP"  # the letter is "Số: ..../VP"
    letter_place: str = ""  # empty: the parent body's name ("Mỹ Hào")
    letter_signer_authority: str = "KT. CHÁNH VĂN PHÒNG"  # empty when the head signs in person
    letter_signer_title: str = "PHÓ CHÁNH VĂN PHÒNG"
    letter_signer_name: str = ""  # empty: written by hand
    letter_report_to: str = ""  # where the office's tasks are reported; empty: the plan's, or the office
    letter_filed: str = "VT"  # "Lưu: VT."
    web_host: str = "127.0.0.1"  # /healthz, /readyz, /metrics (bot/web); 0.0.0.0 in a container
    web_port: int = Field(default=8080, ge=0, le=65535)  # 0: any free port, logged at start
    # The web page's public address, put in /web's links (behind the office's HTTPS proxy); unset: the
    # address the server listens on, http://<host>:<port>. https makes the session cookie Secure.
    web_url: AnyHttpUrl | None = None
    log_format: Literal["text", "json"] = "text"  # json: one JSON object a line
    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = "INFO"  # DEBUG: the libraries' too

    # Several instances on one PostgreSQL (README, "Several instances"): how long an instance holds the
    # outbox rows it claimed (a crashed one's are sent by another after it), and how often an instance
    # tries to become a channel's one poller (or checks that it still is).
    claim_lease_seconds: float = Field(default=120.0, ge=10.0, le=3600.0)
    poller_check_seconds: float = Field(default=5.0, ge=0.2, le=60.0)

    @field_validator(
        "telegram_token",
        "zalo_token",
        "zalo_webhook_secret",
        "telegram_webhook_secret",
        "web_url",
        "plan",
        mode="before",
    )
    @classmethod
    def _empty_token_is_none(cls, value: object) -> object:
        return None if isinstance(value, str) and not value.strip() else value

    @field_validator("telegram_token")
    @classmethod
    def _token_shape(cls, value: SecretStr | None) -> SecretStr | None:
        if value is not None:
            bot_id, _, secret = value.get_secret_value().partition(":")
            if not bot_id.isdigit() or not secret:
                raise ValueError("does not look like a BotFather token (digits, a colon, then letters)")
        return value

    @field_validator("log_format", "log_level", mode="before")
    @classmethod
    def _any_case(cls, value: object) -> object:
        if not isinstance(value, str):
            return value
        return value.strip().lower() if value.strip().lower() in ("text", "json") else value.strip().upper()

    @field_validator("telegram_webhook_url")
    @classmethod
    def _https_webhook(cls, value: AnyHttpUrl | None) -> AnyHttpUrl | None:
        if value is not None and value.scheme != "https":
            raise ValueError("must be an https:// address: Telegram calls webhooks over HTTPS only")
        return value

    @field_validator("telegram_webhook_secret")
    @classmethod
    def _webhook_secret(cls, value: SecretStr | None, info: ValidationInfo) -> SecretStr | None:
        if value is None:
            if info.data.get("telegram_webhook_url") is not None:
                raise ValueError("required with NHACVIEC_TELEGRAM_WEBHOOK_URL: Telegram sends it with every call")
            return value
        if not _WEBHOOK_SECRET.fullmatch(value.get_secret_value()):
            raise ValueError("1-256 characters, each a letter, a digit, _ or - (as Telegram requires)")
        return value

    @field_validator("admins", mode="before")
    @classmethod
    def _comma_separated(cls, value: object) -> object:
        if isinstance(value, str):
            parts = [part.strip() for part in value.replace(";", ",").split(",")]
            return [part for part in parts if part]
        if isinstance(value, int):
            return [str(value)]
        if isinstance(value, list):
            return [str(part).strip() for part in value]
        return value

    @field_validator("admins")
    @classmethod
    def _admin_refs(cls, value: list[str]) -> list[str]:
        for entry in value:
            channel, colon, user_id = entry.partition(":")
            telegram = (not colon and channel.isdigit()) or (channel == "telegram" and user_id.isdigit())
            if not telegram and not (channel == "zalo" and _ZALO_ID.fullmatch(user_id)):
                raise ValueError(f"{entry!r} is neither a Telegram user id (digits) nor zalo:<Zalo user id>")
        return value

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise ValueError(f"unknown time zone {value!r}") from exc
        return value

    @field_validator("locale")
    @classmethod
    def _supported_locale(cls, value: str) -> str:
        if value not in ("vi", "en"):
            raise ValueError("must be vi or en")
        return value

    @field_validator("plan")
    @classmethod
    def _plan_exists(cls, value: Path | None) -> Path | None:
        if value is not None and not value.is_file():
            raise ValueError(f"no plan file at {value}")
        return value

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    @property
    def admin_refs(self) -> frozenset[str]:
        """NHACVIEC_ADMINS as "<channel>:<user id>": a bare number is a Telegram user id."""
        return frozenset(entry if ":" in entry else f"telegram:{entry}" for entry in self.admins)

    @property
    def telegram_base_url(self) -> str:
        """The Bot API root with '/bot' appended, as python-telegram-bot expects."""
        return str(self.telegram_api_url).rstrip("/") + "/bot"


def load_settings(**overrides: object) -> Settings:
    """Build the settings, turning validation errors into plain sentences."""
    try:
        return Settings(**overrides)  # type: ignore[arg-type]
    except ValidationError as exc:
        problems = []
        for error in exc.errors():
            name = "NHACVIEC_" + "_".join(str(part) for part in error["loc"][:1]).upper()
            problems.append(f"{name}: {error['msg'].removeprefix('Value error, ')}")
        raise SettingsError("; ".join(problems)) from None
