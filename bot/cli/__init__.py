"""The `nhacviec` command: the typer app, its commands and groups one module each."""

from __future__ import annotations

import os

import typer

from bot.cli import admin, database, demo, parse_status, plan, plan_sheet, report, running, units

app = typer.Typer(help="Nhắc việc: reporting-deadline reminders for the Văn phòng HĐND và UBND.", no_args_is_help=True)
app.command()(running.run)
app.command()(running.start)
app.command()(demo.demo)
app.command()(report.report)
app.command("parse-status")(parse_status.parse_status_command)
app.add_typer(database.app, name="db")
app.add_typer(admin.app, name="admin")
app.add_typer(units.app, name="units")
plan_sheet.register(plan.app)
app.add_typer(plan.app, name="plan")


def main() -> None:
    # python-telegram-bot 22 warns unless told to give durations (retry_after) as timedelta.
    os.environ.setdefault("PTB_TIMEDELTA", "true")
    app()
