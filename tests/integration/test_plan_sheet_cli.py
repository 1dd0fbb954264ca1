"""`nhacviec plan template|export|import`: the office's plan sheet on its PC, as a clerk types it."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from bot.cli import app
from tests.sheets import PLAN_2025, filled

runner = CliRunner()
# Today is the real day here: the thị xã's phòng ended on 30/6/2025, its three new phường remain.
TASKS_2099 = [
    {"title": "Báo cáo rà soát biên chế", "units": "Mỹ Hào, Đường Hào", "deadline": "trước 04/12/2099"},
    {"title": "Báo cáo tháng về cải cách hành chính", "units": "xa-phuong", "deadline": "ngày 20 hằng tháng"},
]


def _env(tmp_path: Path) -> dict[str, str]:
    return {"NHACVIEC_DATABASE_URL": f"sqlite:///{tmp_path / 'x.db'}"}


def test_template_import_with_confirmation_then_export_round_trips(tmp_path: Path) -> None:
    env = _env(tmp_path)
    template = tmp_path / "mau.xlsx"
    assert runner.invoke(app, ["plan", "template", "-o", str(template)], env=env).stdout == f"wrote {template}\n"
    sheet = tmp_path / "ke-hoach.xlsx"
    sheet.write_bytes(filled(template.read_bytes(), plan=PLAN_2025, rows=TASKS_2099))

    declined = runner.invoke(app, ["plan", "import", str(sheet)], env=env, input="n\n")
    assert declined.exit_code == 0, declined.output
    assert "Thêm mới 2 nhiệm vụ; sửa 0; kết thúc 0; giữ nguyên 0." in declined.stdout
    assert "Bấm ✅" not in declined.stdout
    assert declined.stdout.rstrip().endswith("❌ Đã hủy, không áp dụng bảng kế hoạch: không có gì thay đổi.")

    applied = runner.invoke(app, ["plan", "import", str(sheet)], env=env, input="y\n")
    assert applied.stdout.rstrip().splitlines()[-1].startswith("✅ Đã áp dụng kế hoạch"), applied.output

    exported = tmp_path / "xuat.xlsx"
    result = runner.invoke(app, ["plan", "export", "-o", str(exported), "--plan", "ra-soat-2025"], env=env)
    assert result.exit_code == 0, result.output
    again = runner.invoke(app, ["plan", "import", str(exported), "--yes"], env=env)
    assert again.stdout.strip() == (
        "📥 Kế hoạch “Kế hoạch rà soát biên chế năm 2025”: không có gì thay đổi, bảng khớp với kế hoạch đang có."
    )


def test_the_shipped_plan_exported_imports_as_nothing_to_change(tmp_path: Path) -> None:
    env = _env(tmp_path)
    exported = tmp_path / "my-hao.xlsx"
    assert runner.invoke(app, ["plan", "export", "-o", str(exported)], env=env).exit_code == 0
    again = runner.invoke(app, ["plan", "import", str(exported)], env=env)
    assert "không có gì thay đổi" in again.stdout, again.output


def test_a_bad_sheet_is_refused_with_every_cell_and_nothing_applied(tmp_path: Path) -> None:
    env = _env(tmp_path)
    template = tmp_path / "mau.xlsx"
    runner.invoke(app, ["plan", "template", "-o", str(template)], env=env)
    sheet = tmp_path / "ke-hoach.xlsx"
    rows = [*TASKS_2099, {"title": "Báo cáo", "units": "Phòng Không Có", "deadline": "31/02/2099"}]
    sheet.write_bytes(filled(template.read_bytes(), plan=PLAN_2025, rows=rows))
    result = runner.invoke(app, ["plan", "import", str(sheet), "--yes"], env=env)
    assert result.exit_code == 2
    assert result.stderr.splitlines() == [
        "nhacviec: Chưa áp dụng: 2 ô chưa đọc được. Đề nghị sửa rồi gửi lại tệp.",
        "• dòng 13, cột Đơn vị: không có đơn vị hoặc nhóm “Phòng Không Có”",
        "• dòng 13, cột Hạn: ngày không có thật (như 31/02)",
    ]
    exported = tmp_path / "xuat.xlsx"
    refused = runner.invoke(app, ["plan", "export", "-o", str(exported), "--plan", "ra-soat-2025"], env=env)
    assert refused.stderr == "nhacviec: no plan 'ra-soat-2025': `nhacviec plan export --plan <key>`\n"


def test_a_file_that_is_not_excel_says_so(tmp_path: Path) -> None:
    pdf = tmp_path / "cong-van.pdf"
    pdf.write_bytes(b"%PDF-1.4\n1 0 obj\n")
    result = runner.invoke(app, ["plan", "import", str(pdf)], env=_env(tmp_path))
    assert result.exit_code == 2
    assert result.stderr.startswith("nhacviec: Không đọc được tệp Excel")
