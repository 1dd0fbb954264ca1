"""The groups of /tonghop, in their order, and the units nobody registered for set apart from those
whose officials cannot be reached."""

from __future__ import annotations

from typing import Any

from messages.i18n import N_

GROUPS = (
    ("done", N_("✅ Submitted")),
    ("in_progress", N_("⏳ In progress")),
    ("waiting_signature", N_("✍️ Waiting for signature")),
    ("no_data", N_("📭 No data yet")),
    ("extension_requested", N_("📅 Extension requested")),
    ("extension_granted", N_("📅 Extension granted")),
    ("no_update", N_("❔ No update yet")),
    ("overdue", N_("⏰ Overdue")),
    ("unreachable", N_("🚫 Cannot be reached")),
    ("closed", N_("🗂 Closed by the office")),
    ("exempt", N_("🗂 Exempted by the office")),
)


UNREGISTERED = N_("🚫 No official registered for reminders")


def split_unreachable(grouped: dict[str, list[Any]]) -> list[tuple[str, str]]:
    """The groups in order, the units nobody registered for apart from those whose officials cannot be
    reached: "Chưa có cán bộ đăng ký nhận nhắc" is not "Không liên lạc được"."""
    lines = grouped.pop("unreachable", [])
    grouped["unregistered"] = [line for line in lines if not line.report.contacts]
    grouped["unreachable"] = [line for line in lines if line.report.contacts]
    at = [key for key, _label in GROUPS].index("unreachable")
    return [*GROUPS[:at], ("unregistered", UNREGISTERED), *GROUPS[at:]]
