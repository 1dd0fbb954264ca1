"""The Dockerfile and compose.yaml keep what README promises; scripts/image_check.sh runs the image's path."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_the_image_runs_as_a_user_and_is_healthy_only_when_ready() -> None:
    dockerfile = (ROOT / "Dockerfile").read_text(encoding="utf-8")
    users = re.findall(r"^USER (\S+)$", dockerfile, re.MULTILINE)
    assert users == ["nhacviec"]  # set once, before the command: never root
    assert dockerfile.index("USER nhacviec") < dockerfile.index("CMD [")
    assert "useradd --create-home --uid 10001 nhacviec" in dockerfile
    healthcheck = re.search(r"^HEALTHCHECK .*?CMD (\[.*\])$", dockerfile.replace("\\\n", " "), re.MULTILINE)
    assert healthcheck is not None
    assert "/readyz" in healthcheck.group(1)
    assert "curl" not in healthcheck.group(1)
    assert "COPY scripts/serve.sh /usr/local/bin/nhacviec-serve" in dockerfile
    assert dockerfile.rstrip().endswith('CMD ["nhacviec-serve"]')  # the script CI runs too


def test_compose_runs_the_bot_on_postgresql_once_it_answers() -> None:
    compose = (ROOT / "compose.yaml").read_text(encoding="utf-8")
    assert "condition: service_healthy" in compose
    assert "NHACVIEC_DATABASE_URL: postgresql://nhacviec:${POSTGRES_PASSWORD}@postgres:5432/nhacviec" in compose
    assert '"127.0.0.1:8080:8080"' in compose  # health and metrics for this host only
    assert "${POSTGRES_PASSWORD:?" in compose  # no default password


def test_ci_runs_the_image_check() -> None:
    assert "bash scripts/image_check.sh" in (ROOT / ".ci" / "run").read_text(encoding="utf-8")
