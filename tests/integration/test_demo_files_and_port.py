"""Two demos at once: files in a folder of each demo's own, and a page on a free port when 8080 is taken
(issue 26, item 10)."""

from __future__ import annotations

import re
import socket
import stat
import tempfile
from pathlib import Path

from typer.testing import CliRunner

from bot.cli import app as cli


def test_each_demo_keeps_its_files_in_a_private_folder() -> None:
    paths = []
    for _demo in range(2):
        result = CliRunner().invoke(cli, ["demo", "--at", "2025-01-02T08:00"], input="/maukehoach\n/quit\n")
        found = re.search(r"📎 (\S+)", result.output)
        assert found, result.output
        paths.append(Path(found.group(1)))
    assert paths[0] != paths[1]  # not /tmp/mau-ke-hoach.xlsx for both
    for path in paths:
        assert path.read_bytes()[:2] == b"PK"
        assert path.parent != Path(tempfile.gettempdir())
        assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700


def test_a_taken_port_is_said_in_vietnamese_and_a_free_one_taken() -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        env = {"NHACVIEC_WEB_PORT": str(port), "NHACVIEC_WEB_HOST": "127.0.0.1"}
        result = CliRunner().invoke(cli, ["demo", "--at", "2025-01-02T08:00"], env=env, input="/quit\n")
    said = result.output
    assert f"Cổng {port} đang được chương trình khác dùng" in said, said
    found = re.search(r"Trang web của Văn phòng: http://127\.0\.0\.1:(\d+)", said)
    assert found, said
    assert int(found.group(1)) != port
    assert "cannot listen" not in said
