"""The `nhacviec` command as a person types it."""

import asyncio
import os
import re
import sys
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

from bot.cli import app
from bot.settings import SHIPPED_PLAN

runner = CliRunner()


def _invoke(args: list[str], env: dict[str, str] | None = None, stdin: str | None = None):  # type: ignore[no-untyped-def]
    return runner.invoke(app, args, env=env, input=stdin)


def test_run_without_a_token_says_what_to_do() -> None:
    result = _invoke(["run"])
    assert result.exit_code == 2
    assert result.stderr.strip() == (
        "nhacviec: no channel token is set: set NHACVIEC_TELEGRAM_TOKEN or NHACVIEC_ZALO_TOKEN, or try `nhacviec demo`."
    )


@pytest.mark.parametrize(
    ("env", "sentence"),
    [
        ({"NHACVIEC_TELEGRAM_API_URL": "nonsense"}, "nhacviec: NHACVIEC_TELEGRAM_API_URL: Input should be a valid URL"),
        ({"NHACVIEC_TELEGRAM_TOKEN": "abc"}, "nhacviec: NHACVIEC_TELEGRAM_TOKEN: does not look like a BotFather token"),
        (
            {"NHACVIEC_TELEGRAM_TOKEN": "1:A", "NHACVIEC_DATABASE_URL": "postgresql://x@127.0.0.1:1/none"},
            "nhacviec: cannot reach the database",
        ),
        (
            {"NHACVIEC_TELEGRAM_TOKEN": "1:SECRET", "NHACVIEC_TELEGRAM_API_URL": "http://127.0.0.1:1"},
            "nhacviec: cannot reach the Telegram Bot API",
        ),
        (
            {"NHACVIEC_DATABASE_URL": "mysql://root@localhost/x", "NHACVIEC_TELEGRAM_TOKEN": "1:A"},
            "nhacviec: unsupported",
        ),
    ],
)
def test_run_refuses_bad_settings_in_one_sentence(env: dict[str, str], sentence: str) -> None:
    result = _invoke(["run"], env=env)
    assert result.exit_code == 2, result.output
    last_line = result.stderr.strip().splitlines()[-1]
    assert last_line.startswith(sentence), result.stderr
    assert "Traceback" not in result.output
    # only the service's own log lines (time-stamped) may come before the sentence
    assert all(line[:2] == "20" for line in result.stderr.strip().splitlines()[:-1]), result.stderr
    assert "SECRET" not in result.output


def test_demo_shows_the_product_offline_without_a_moment_given() -> None:
    """The shipped plan asks nothing after 2025: the demo's clock starts before its first deadline."""
    result = _invoke(["demo"], stdin="/huongdan\n/moi Bần Yên Nhân\n/moi Mỹ Hào\n/donvi\n/time\n")
    assert result.exit_code == 0, result.output
    assert "the demo's clock starts at 2025-01-02 07:00" in result.output
    assert "Nhắc việc: bản chạy thử trên dòng lệnh." in result.output
    assert "/moi: mời cán bộ" in result.output
    assert "Lời mời đăng ký cho phường Bần Yên Nhân" in result.output  # the units of that day, before the merge
    assert "Phường Mỹ Hào chỉ có từ ngày 01/07/2025" in result.output
    assert "Phường Bần Yên Nhân: 0 cán bộ" in result.output
    assert "Đồng hồ của bản chạy thử đang là 07:00 02/01/2025." in result.output


def test_demo_numbered_choices_and_registration(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'demo.db'}"
    first = _invoke(["demo", "--at", "2025-01-02T08:00", "--database", url], stdin="/moi Ph\n1\n")
    assert "[1] Phường Phan Đình Phùng" in first.output
    assert "Lời mời đăng ký cho phường Phan Đình Phùng" in first.output
    code = first.output.split("Mã: ")[1].split()[0]
    second = _invoke(
        ["demo", "--at", "2025-01-02T08:00", "--database", url],
        stdin=f"/as Phan Đình Phùng\n/dangky {code}\n/toi\n/as\n/donvi\n/quit\n/toi\n",
    )
    assert second.exit_code == 0, second.output
    assert "Đăng ký thành công: anh/chị là cán bộ đầu mối của phường Phan Đình Phùng." in second.output
    assert "Anh/chị: Phan Đình Phùng" in second.output
    assert "✅ Phường Phan Đình Phùng: 1 cán bộ" in second.output
    assert second.output.count("/toi") == 2  # /quit ended it before the last line


def test_demo_refuses_a_bad_clock() -> None:
    result = _invoke(["demo", "--at", "yesterday"])
    assert result.exit_code == 2
    assert "--at wants a date and time" in result.stderr


def test_db_upgrade_units_list_and_admin_add(tmp_path: Path) -> None:
    env = {"NHACVIEC_DATABASE_URL": f"sqlite:///{tmp_path / 'x.db'}"}
    assert _invoke(["db", "upgrade"], env=env).output.strip() == "database is up to date"
    assert _invoke(["admin", "add", "12345"], env=env).output.strip() == "12345 từ nay là quản trị."
    assert _invoke(["admin", "add", "12345"], env=env).output.strip() == "12345 đã là quản trị từ trước."
    assert _invoke(["admin", "add", "zalo:6ede01ab"], env=env).output.strip() == "zalo:6ede01ab từ nay là quản trị."
    assert _invoke(["admin", "add", "zalo:"], env=env).exit_code == 2
    listing = _invoke(["units", "list"], env=env).output
    assert "ban-yen-nhan" in listing
    assert "-> my-hao" in listing
    assert len(listing.strip().splitlines()) == 28


def test_plan_load_prints_what_changed(tmp_path: Path) -> None:
    env = {"NHACVIEC_DATABASE_URL": f"sqlite:///{tmp_path / 'x.db'}"}
    first = _invoke(["plan", "load", str(SHIPPED_PLAN)], env=env)
    assert first.exit_code == 0, first.output
    lines = first.stdout.splitlines()
    assert lines[0] == (
        f"plan my-hao-2025 from {SHIPPED_PLAN} loaded (revision 1); the running bot follows it within a minute:"
    )
    assert lines[1].startswith("  units added: ban-yen-nhan, phan-dinh-phung, ")
    assert "  duties added: ke-hoach-2025, bao-cao-thang-cam-ket, bao-cao-6-thang, bao-cao-nam" in lines
    assert "  calendar days added: 2026-01-02, 2026-01-10" in lines
    again = _invoke(["plan", "load", str(SHIPPED_PLAN)], env=env)
    assert again.stdout == f"plan my-hao-2025 from {SHIPPED_PLAN}: nothing changed (revision 1)\n"

    edited = tmp_path / "edited.toml"
    text = SHIPPED_PLAN.read_text(encoding="utf-8").replace("date = 2026-01-02", "date = 2026-01-05")
    edited.write_text(text.replace('name = "Phòng Y tế"', 'name = "Phòng Y tế thị xã"'), encoding="utf-8")
    result = _invoke(["plan", "load", str(edited)], env=env)
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == [
        f"plan my-hao-2025 from {edited} loaded (revision 2); the running bot follows it within a minute:",
        "  units updated: y-te",
        "  calendar days added: 2026-01-05",
        "  calendar days removed: 2026-01-02",
        f"note: a restart loads NHACVIEC_PLAN ({SHIPPED_PLAN}); point it at {edited} to keep this plan.",
    ]


@pytest.mark.parametrize(
    ("mutation", "sentence"),
    [
        (lambda t: t.replace("year = 2025, inclusive", "inclusive", 1) + "\n[broken", "is not valid TOML"),
        (
            lambda t: t.replace("month = 6, day = 15,", "month = 6, day = 40,", 1),
            "is wrong at duties.2.deadline.day: Input should be less than or equal to 31",
        ),
        (lambda t: t.replace('groups = ["theo-doi-cam-ket"]', 'groups = ["nobody"]'), "unknown group 'nobody'"),
    ],
)
def test_plan_load_refuses_a_bad_file_and_changes_nothing(tmp_path: Path, mutation, sentence: str) -> None:  # type: ignore[no-untyped-def]
    env = {"NHACVIEC_DATABASE_URL": f"sqlite:///{tmp_path / 'x.db'}"}
    assert _invoke(["plan", "load", str(SHIPPED_PLAN)], env=env).exit_code == 0
    bad = tmp_path / "bad.toml"
    bad.write_text(mutation(SHIPPED_PLAN.read_text(encoding="utf-8")), encoding="utf-8")
    result = _invoke(["plan", "load", str(bad)], env=env)
    assert result.exit_code == 2
    assert result.stdout == ""
    assert len(result.stderr.strip().splitlines()) == 1
    assert result.stderr.startswith(f"nhacviec: the plan file {bad} ")
    assert sentence in result.stderr
    unchanged = _invoke(["plan", "load", str(SHIPPED_PLAN)], env=env)
    assert unchanged.stdout == f"plan my-hao-2025 from {SHIPPED_PLAN}: nothing changed (revision 1)\n"


def test_demo_time_travel_brings_the_reminders(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'demo.db'}"
    first = _invoke(["demo", "--at", "2025-01-02T07:00", "--database", url], stdin="/moi Nội vụ\n")
    code = first.output.split("Mã: ")[1].split()[0]
    script = f"/as Nội vụ\n/dangky {code}\n/time +2h\n1\n/time +5d\n/time 2025-01-01 08:00\n/time soon\n"
    result = _invoke(["demo", "--at", "2025-01-02T07:00", "--database", url], stdin=script)
    assert result.exit_code == 0, result.output
    out = result.output
    assert "🔔 Nhắc hạn báo cáo" in out
    assert "[1] ✅ Đã nộp" in out
    assert "): Phòng Nội vụ, Kế hoạch triển khai thực hiện Chủ đề công tác năm 2025: đã nộp" in out
    assert "Đồng hồ của bản chạy thử đang là 09:00 02/01/2025." in out
    # after "done", the plan's reminders stop; the monthly report's first one comes on 10/01
    after_done = out.split("Đã ghi nhận")[1]
    assert "Kế hoạch triển khai" not in after_done.split("Đồng hồ")[1]
    assert "Đồng hồ của bản chạy thử đang là 09:00 07/01/2025." in out
    # nonsense gets the usage; going back is refused in words of its own (it once got the usage too)
    assert out.count("Đưa đồng hồ tới bằng /time +3d") == 1
    assert "chỉ chạy tới, không lùi lại được. Bây giờ là 09:00 07/01/2025." in out


def test_parse_status_shows_how_a_reply_is_read() -> None:
    import json

    result = _invoke(["parse-status", "đang hoàn thiện 60%, dự kiến 12/1", "--today", "2025-01-06", "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert {key: data[key] for key in ("status", "percent", "expected_date")} == {
        "status": "in_progress",
        "percent": 60,
        "expected_date": "2025-01-12",
    }
    assert data["note"] == "đang hoàn thiện 60%, dự kiến 12/1"
    plain = _invoke(["parse-status", "Dạ", "--today", "2025-01-06"])
    assert "status: unclear" in plain.stdout
    assert _invoke(["parse-status", "da nop", "--today", "2025-01-06", "--json"]).stdout.count('"done"') == 1
    bad = _invoke(["parse-status", "x", "--today", "tomorrow"])
    assert bad.exit_code == 2
    assert "--today wants a date" in bad.stderr


@pytest.mark.parametrize("at", ["2025-01-02T07:00", "2025-07-02T07:00"])
def test_the_readmes_first_demo_lines_work(tmp_path: Path, at: str) -> None:
    """The README's quickstart lines, typed into the demo before and after the 2025 merge."""
    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
    block = readme.split("admin; try:\n\n```\n", 1)[1].split("```", 1)[0]
    typed = [line.split("  ", 1)[0].strip() for line in block.splitlines() if line.startswith("/")]
    assert typed[0].startswith("/moi ")
    url = f"sqlite:///{tmp_path / 'demo.db'}"
    first = _invoke(["demo", "--at", at, "--database", url], stdin=typed[0] + "\n")
    assert "Lời mời đăng ký cho" in first.output, first.output
    code = first.output.split("Mã: ")[1].split()[0]
    rest = "".join(line.replace("<code>", code) + "\n" for line in typed[1:])
    result = _invoke(["demo", "--at", at, "--database", url], stdin=rest)
    assert result.exit_code == 0, result.output
    assert "Đăng ký thành công" in result.output
    assert "Không" not in result.output.split("Gõ một số")[1], result.output  # nothing refused or not found


def test_the_demo_starts_before_the_plans_first_deadline_when_the_plan_asks_nothing_more() -> None:
    """The shipped plan is 2025's: on a later day the demo would show an empty calendar."""
    from datetime import datetime
    from zoneinfo import ZoneInfo

    from bot.cli.demo import _demo_start
    from bot.settings import load_settings

    tz = ZoneInfo("Asia/Ho_Chi_Minh")
    settings = load_settings()
    later = datetime(2026, 11, 29, 23, 0, tzinfo=tz)
    assert _demo_start(later, settings) == datetime(2025, 1, 2, 7, 0, tzinfo=tz)  # a week before 9/1/2025
    within = datetime(2025, 3, 1, 9, 0, tzinfo=tz)  # the plan still asks things: the demo keeps the day
    assert _demo_start(within, settings) == within


def test_a_sqlite_path_that_cannot_be_made_is_one_sentence(tmp_path: Path) -> None:
    """It was a 156-line traceback (issue 13)."""
    blocked = tmp_path / "a-file"
    blocked.write_text("not a folder", encoding="utf-8")
    for url in (f"sqlite:///{blocked}/x.db", "sqlite:////proc/version/x.db"):
        result = _invoke(["db", "upgrade"], env={"NHACVIEC_DATABASE_URL": url})
        assert result.exit_code == 2, result.output
        assert result.stderr.count("\n") == 1, result.stderr
        assert result.stderr.startswith("nhacviec: cannot make the folder for the SQLite database")
        assert "Traceback" not in result.output


async def test_a_database_port_that_never_answers_is_one_sentence_within_ten_seconds(tmp_path: Path) -> None:
    """It was "cannot reach the database: " after 63 s (issue 13): asyncpg waits 60 s to connect, and its
    TimeoutError says nothing. The real `nhacviec run`, against a port that accepts and stays silent."""
    held: list[asyncio.StreamWriter] = []
    silent = await asyncio.start_server(lambda _reader, writer: held.append(writer), "127.0.0.1", 0)
    port = silent.sockets[0].getsockname()[1]
    env = {name: value for name, value in os.environ.items() if not name.startswith("NHACVIEC_")}
    env |= {
        "NHACVIEC_TELEGRAM_TOKEN": "1:SECRET",
        "NHACVIEC_DATABASE_URL": f"postgresql://nhacviec:PASSWORD@127.0.0.1:{port}/nhacviec",
        "PYTHONPATH": str(Path(__file__).parents[2]),
    }
    began = time.monotonic()
    async with silent:
        process = await asyncio.create_subprocess_exec(
            sys.executable,
            "-c",
            "from bot.cli import main; main()",
            "run",
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.PIPE,
            cwd=tmp_path,
            env=env,
        )
        try:
            out, err = await asyncio.wait_for(process.communicate(), timeout=20)
        finally:
            if process.returncode is None:
                process.kill()
                await process.wait()
            for writer in held:
                writer.close()
    took = time.monotonic() - began
    stderr = err.decode()
    assert process.returncode == 2, stderr
    assert stderr == (
        f"nhacviec: cannot reach the database at 127.0.0.1:{port}: no answer within 5 s; check NHACVIEC_DATABASE_URL\n"
    )
    assert took < 10, f"{took:.1f} s"
    assert "PASSWORD" not in stderr + out.decode()


def test_demo_serves_the_web_page_and_web_gives_its_link() -> None:
    result = _invoke(["demo", "--at", "2025-01-02T08:00"], stdin="/web\n")
    assert result.exit_code == 0, result.output
    assert re.search(r"Trang web của Văn phòng: http://127\.0\.0\.1:\d+ ", result.output), result.output
    assert re.search(r"http://127\.0\.0\.1:\d+/vao/[\w-]{20,}", result.output), result.output


def test_admin_invite_list_and_remove_keep_one_admin(tmp_path: Path) -> None:
    env = {"NHACVIEC_DATABASE_URL": f"sqlite:///{tmp_path / 'x.db'}"}
    assert _invoke(["admin", "list"], env=env).output.strip() == (
        "Chưa có quản trị nào: chạy nhacviec admin invite rồi gửi mã cho bot."
    )
    invited = _invoke(["admin", "invite"], env=env)
    assert invited.exit_code == 0, invited.output
    assert re.search(r"^Mã: [A-Z2-9]{10}$", invited.output, re.MULTILINE), invited.output
    _invoke(["admin", "add", "12345"], env=env)
    _invoke(["admin", "add", "zalo:6ede01ab"], env=env)
    listing = _invoke(["admin", "list"], env={**env, "NHACVIEC_ADMINS": "777"}).output.splitlines()
    assert listing == [
        "1. (chưa nhắn cho bot): telegram:12345",
        "2. (chưa nhắn cho bot): zalo:6ede01ab",
        "- (chưa nhắn cho bot): telegram:777 (NHACVIEC_ADMINS)",
    ]
    assert _invoke(["admin", "remove", "9"], env=env).exit_code == 2
    assert _invoke(["admin", "remove", "1"], env=env).output.strip() == "Đã bỏ quản trị số 1."
    last = _invoke(["admin", "remove", "2"], env=env)
    assert last.exit_code == 2
    assert "Đây là quản trị cuối cùng" in last.stderr
    assert _invoke(["admin", "list"], env=env).output.strip() == "2. (chưa nhắn cho bot): zalo:6ede01ab"


def test_the_demo_with_zalo_shows_numbered_choices_and_links_for_files() -> None:
    typed = "/giao Bần Yên Nhân; trước 20/01/2025; Báo cáo nhanh\n1\n/xuat\n"
    result = _invoke(["demo", "--at", "2025-01-13T09:00", "--zalo"], stdin=typed)
    assert result.exit_code == 0, result.output
    assert "Trả lời 1 = ✅ Giao, 2 = ❌ Hủy" in result.output
    assert "[1]" not in result.output
    assert "✅ Đã giao nhiệm vụ cho 1 đơn vị" in result.output
    assert re.search(r"http://127\.0\.0\.1:\d+/tep/[\w-]{20,}", result.output), result.output
    assert "📎" not in result.output  # no file saved: Zalo gets a link
