from pathlib import Path

import pytest

from bot.settings import SHIPPED_PLAN, SettingsError, load_settings


def test_defaults_work_without_any_variable(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("NHACVIEC_PLAN")
    settings = load_settings()
    assert settings.telegram_token is None
    assert settings.database_url == "sqlite:///./data/nhacviec.db"
    assert settings.plan is None  # a new office loads no plan: the shipped one is an example
    assert load_settings(plan=str(SHIPPED_PLAN)).plan == SHIPPED_PLAN
    assert settings.timezone == "Asia/Ho_Chi_Minh"
    assert settings.locale == "vi"
    assert settings.admins == []
    assert settings.telegram_base_url == "https://api.telegram.org/bot"


def test_variables_are_read_with_the_prefix(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NHACVIEC_TELEGRAM_TOKEN", "123456:ABC-def_ghi")
    monkeypatch.setenv("NHACVIEC_TELEGRAM_API_URL", "http://127.0.0.1:8081/")
    monkeypatch.setenv("NHACVIEC_ADMINS", "111, 222;333")
    monkeypatch.setenv("NHACVIEC_LOCALE", "en")
    settings = load_settings()
    assert settings.admins == ["111", "222", "333"]
    assert settings.telegram_base_url == "http://127.0.0.1:8081/bot"
    assert settings.locale == "en"
    assert settings.telegram_token is not None
    assert "ABC" not in repr(settings)  # the token never shows in a log line or a traceback


def test_an_empty_token_counts_as_none(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NHACVIEC_TELEGRAM_TOKEN", "  ")
    assert load_settings().telegram_token is None


@pytest.mark.parametrize(
    ("variable", "value", "sentence"),
    [
        ("NHACVIEC_TELEGRAM_TOKEN", "not-a-token", "NHACVIEC_TELEGRAM_TOKEN: does not look like a BotFather token"),
        ("NHACVIEC_TELEGRAM_API_URL", "api.telegram", "NHACVIEC_TELEGRAM_API_URL: Input should be a valid URL"),
        (
            "NHACVIEC_ADMINS",
            "12,abc",
            "NHACVIEC_ADMINS: 'abc' is neither a Telegram user id",
        ),
        ("NHACVIEC_TIMEZONE", "Asia/Hanoi_City", "NHACVIEC_TIMEZONE: unknown time zone"),
        ("NHACVIEC_LOCALE", "fr", "NHACVIEC_LOCALE: must be vi or en"),
        ("NHACVIEC_PLAN", "/nowhere/plan.toml", "NHACVIEC_PLAN: no plan file at /nowhere/plan.toml"),
        ("NHACVIEC_INVITE_DAYS", "0", "NHACVIEC_INVITE_DAYS:"),
    ],
)
def test_bad_settings_end_in_one_sentence(
    monkeypatch: pytest.MonkeyPatch, variable: str, value: str, sentence: str
) -> None:
    monkeypatch.setenv(variable, value)
    with pytest.raises(SettingsError) as caught:
        load_settings()
    message = str(caught.value)
    assert message.startswith(sentence)
    assert "\n" not in message
    assert "Traceback" not in message


def test_a_dotenv_file_is_read(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / ".env").write_text("NHACVIEC_ADMINS=42\n")
    monkeypatch.chdir(tmp_path)
    assert load_settings().admins == ["42"]


def test_a_telegram_webhook_is_https_with_a_secret_telegram_accepts(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NHACVIEC_TELEGRAM_WEBHOOK_URL", "https://nhacviec.example.org/telegram")
    monkeypatch.setenv("NHACVIEC_TELEGRAM_WEBHOOK_SECRET", "A-secret_of-24-characters")
    monkeypatch.setenv("NHACVIEC_TELEGRAM_WEBHOOK_PORT", "9000")
    settings = load_settings()
    assert str(settings.telegram_webhook_url) == "https://nhacviec.example.org/telegram"
    assert settings.telegram_webhook_port == 9000
    assert "A-secret" not in repr(settings)


@pytest.mark.parametrize(
    ("variables", "sentence"),
    [
        (
            {"NHACVIEC_TELEGRAM_WEBHOOK_URL": "https://nhacviec.example.org/telegram"},
            "NHACVIEC_TELEGRAM_WEBHOOK_SECRET: required with NHACVIEC_TELEGRAM_WEBHOOK_URL: "
            "Telegram sends it with every call",
        ),
        (
            {
                "NHACVIEC_TELEGRAM_WEBHOOK_URL": "http://nhacviec.example.org/telegram",
                "NHACVIEC_TELEGRAM_WEBHOOK_SECRET": "s",
            },
            "NHACVIEC_TELEGRAM_WEBHOOK_URL: must be an https:// address: Telegram calls webhooks over HTTPS only",
        ),
        (
            {"NHACVIEC_TELEGRAM_WEBHOOK_URL": "https://x.example.org/t", "NHACVIEC_TELEGRAM_WEBHOOK_SECRET": "a b"},
            "NHACVIEC_TELEGRAM_WEBHOOK_SECRET: 1-256 characters, each a letter, a digit, _ or - (as Telegram requires)",
        ),
        (
            {"NHACVIEC_CLAIM_LEASE_SECONDS": "5"},
            "NHACVIEC_CLAIM_LEASE_SECONDS: Input should be greater than or equal to 10",
        ),
    ],
)
def test_webhook_and_instance_settings_that_cannot_work_end_in_one_sentence(
    monkeypatch: pytest.MonkeyPatch, variables: dict[str, str], sentence: str
) -> None:
    for name, value in variables.items():
        monkeypatch.setenv(name, value)
    with pytest.raises(SettingsError) as refused:
        load_settings()
    assert str(refused.value) == sentence


def test_the_zalo_webhook_listens_where_the_settings_say(monkeypatch: pytest.MonkeyPatch) -> None:
    from bot.channels.zalo_webhook import from_settings

    monkeypatch.setenv("NHACVIEC_ZALO_WEBHOOK_URL", "https://bot.example.vn/zalo/hook")
    monkeypatch.setenv("NHACVIEC_ZALO_WEBHOOK_SECRET", "s3cret-value")
    default = from_settings(load_settings())
    assert default is not None
    assert (default.host, default.port, default.path) == ("0.0.0.0", 8443, "/zalo/hook")
    monkeypatch.setenv("NHACVIEC_ZALO_WEBHOOK_LISTEN", "127.0.0.1")
    monkeypatch.setenv("NHACVIEC_ZALO_WEBHOOK_PORT", "9443")
    chosen = from_settings(load_settings())
    assert chosen is not None
    assert (chosen.host, chosen.port) == ("127.0.0.1", 9443)
    monkeypatch.delenv("NHACVIEC_ZALO_WEBHOOK_URL")
    assert from_settings(load_settings()) is None  # long polling


def test_admins_take_zalo_ids_beside_telegram_ones(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NHACVIEC_ADMINS", "111, zalo:6ede01ab; telegram:222")
    assert load_settings().admin_refs == {"telegram:111", "zalo:6ede01ab", "telegram:222"}
    monkeypatch.setenv("NHACVIEC_ADMINS", "zalo:")
    with pytest.raises(SettingsError, match="NHACVIEC_ADMINS: 'zalo:' is neither a Telegram user id"):
        load_settings()


def test_the_terminal_demo_plays_the_shipped_plan_unless_one_is_named(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    from bot.cli.demo import demo_settings

    monkeypatch.delenv("NHACVIEC_PLAN")
    assert demo_settings().plan == SHIPPED_PLAN
    other = tmp_path / "ke-hoach.toml"
    other.write_text(SHIPPED_PLAN.read_text(encoding="utf-8"), encoding="utf-8")
    monkeypatch.setenv("NHACVIEC_PLAN", str(other))
    assert demo_settings().plan == other
