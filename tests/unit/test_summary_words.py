"""The office's messages stay readable at the scale of a province: long lists are cut, the workbook has all."""

from datetime import date

from messages.reminders import LATE_LISTED, ReminderFacts, reminder_text
from messages.summary import GROUP_LIMIT, PER_REPORT, OccurrenceView, UnitLine, overdue, overdue_listed, summary
from storage.summary import UnitReport


def test_a_long_group_is_cut_and_points_to_the_workbook() -> None:
    lines = [
        UnitLine(f"Xã Thử {n:05d}", "overdue", UnitReport(n), 2, date(2025, 1, 9)) for n in range(GROUP_LIMIT + 60)
    ]
    view = OccurrenceView("Kế hoạch 2025", date(2025, 1, 10), False, date(2025, 1, 9), date(2025, 1, 9), lines)
    text = summary([view], "vi").splitlines()
    assert text[1] == "Hạn chót theo quy định: hết ngày 09/01/2025 (thứ Năm)"
    assert text[2] == f"⏰ Quá hạn ({GROUP_LIMIT + 60}):"
    assert len([line for line in text if line.startswith("• Xã Thử")]) == GROUP_LIMIT
    assert text[-1] == "… và 60 đơn vị khác: xem đầy đủ bằng /xuat"


def test_the_late_list_is_cut_too_the_latest_first_kept() -> None:
    lines = [
        UnitLine(f"Xã Thử {n:05d}", "overdue", UnitReport(n), 100 - n, date(2025, 1, 9)) for n in range(GROUP_LIMIT + 5)
    ]
    view = OccurrenceView("Kế hoạch 2025", date(2025, 1, 10), False, date(2025, 1, 9), date(2025, 1, 9), lines)
    text = overdue([(view, line) for line in lines], "vi").splitlines()
    assert (
        text[1]
        == f"📋 Kế hoạch 2025 (hạn chót theo quy định 09/01/2025): {GROUP_LIMIT + 5} đơn vị, quá hạn 100 ngày làm việc"
    )
    named = [line for line in text if line.startswith("• Xã Thử")]
    assert len(named) == PER_REPORT
    assert named[0] == "• Xã Thử 00000: quá hạn 100 ngày làm việc"
    assert text[-1] == f"… và {GROUP_LIMIT + 5 - PER_REPORT} đơn vị khác: xem đầy đủ bằng /xuat"
    assert f"Xã Thử {PER_REPORT:05d}" not in "\n".join(text)


def test_late_units_are_grouped_by_report_the_oldest_first_and_forty_named_in_all() -> None:
    views = []
    for month in range(1, 7):
        nominal = date(2025, month, 20)
        lines = [UnitLine(f"Xã {month}-{n}", "overdue", UnitReport(n), 7 - month, nominal) for n in range(12)]
        views.append(OccurrenceView(f"Báo cáo tháng {month}", nominal, False, nominal, nominal, lines))
    late = [(view, line) for view in views for line in view.lines]
    text = overdue(late, "vi").splitlines()
    headers = [line for line in text if line.startswith("📋 ")]
    assert [header.split(" (")[0] for header in headers] == [f"📋 Báo cáo tháng {month}" for month in range(1, 7)]
    assert len([line for line in text if line.startswith("• ")]) == GROUP_LIMIT  # 10, 10, 10, 10, then counts
    assert len(overdue_listed(late)) == GROUP_LIMIT
    assert text[-1] == "… và 12 đơn vị khác: xem đầy đủ bằng /xuat"  # the sixth report: counted only


def test_the_offices_copy_of_a_late_step_names_40_units_and_counts_the_rest() -> None:
    facts = ReminderFacts(
        audience="office",
        duty_title="Kế hoạch 2025",
        unit_name="Văn phòng",
        nominal=date(2025, 1, 10),
        inclusive=False,
        aim_day=date(2025, 1, 9),
        legal_last_day=date(2025, 1, 9),
        working_days_left=-3,
        late_units=[f"Xã Thử {n:05d}" for n in range(LATE_LISTED + 7)],
    )
    text = reminder_text(facts, "vi").splitlines()
    assert text[0] == f"⚠️ Kính báo Văn phòng: {LATE_LISTED + 7} đơn vị quá hạn chưa gửi báo cáo:"
    assert len([line for line in text if line.startswith("🏢 Xã Thử")]) == LATE_LISTED
    assert "… và 7 đơn vị khác: xem đầy đủ bằng /xuat" in text
