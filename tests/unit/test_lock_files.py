"""The lock files hold every dependency of pyproject.toml at one version within its range, with hashes,
and every install (scripts/run.sh, scripts/test.sh, the Dockerfile, CI's image check) uses them.
A dependency added to pyproject.toml without `scripts/lock.sh` fails here."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import pytest
from packaging.markers import default_environment
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parents[2]
PIN = re.compile(r"^([A-Za-z0-9._-]+)==([^ ;\\]+)(?: ; ([^\\]+?))? \\$")


def locked(name: str) -> dict[str, list[tuple[str, str | None]]]:
    """Each package of a lock file: its versions, with the marker that chooses between them."""
    found: dict[str, list[tuple[str, str | None]]] = {}
    for line in (ROOT / name).read_text(encoding="utf-8").splitlines():
        match = PIN.match(line)
        if match:
            found.setdefault(canonicalize_name(match[1]), []).append((match[2], match[3]))
    return found


def project() -> dict[str, list[str]]:
    data = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    return {"requirements.lock": data["dependencies"], "requirements-test.lock": data["optional-dependencies"]["test"]}


@pytest.mark.parametrize("name", ["requirements.lock", "requirements-test.lock"])
def test_each_dependency_is_locked_within_its_range(name: str) -> None:
    lock = locked(name)
    wanted = project()["requirements.lock"] + (project()[name] if name == "requirements-test.lock" else [])
    for line in wanted:
        requirement = Requirement(line)
        versions = lock.get(canonicalize_name(requirement.name))
        assert versions, f"{requirement.name} is not in {name}: run scripts/lock.sh"
        for version, _marker in versions:
            assert requirement.specifier.contains(version, prereleases=True), (
                f"{name} has {requirement.name}=={version}, outside {requirement.specifier}: run scripts/lock.sh"
            )


@pytest.mark.parametrize("name", ["requirements.lock", "requirements-test.lock"])
def test_each_pin_is_exact_hashed_and_names_no_place(name: str) -> None:
    text = (ROOT / name).read_text(encoding="utf-8")
    entries = re.split(r"\n(?=[A-Za-z0-9])", text.split("\n", 2)[2])
    for entry in entries:
        assert PIN.match(entry.splitlines()[0]), entry.splitlines()[0]
        assert "--hash=sha256:" in entry, entry.splitlines()[0]
    # pip on a developer's machine may use a mirror; the lock says nothing of it: PyPI, from anywhere
    assert not re.search(r"file:|/opt/|index-url|find-links|https?://", text)


def test_the_runtime_lock_is_the_test_lock_less_the_test_tools() -> None:
    runtime, test = locked("requirements.lock"), locked("requirements-test.lock")
    assert {name: test[name] for name in runtime} == runtime


def test_this_environment_runs_the_locked_versions() -> None:
    """The suite tests what the lock installs (scripts/test.sh installs it when it changes)."""
    from importlib.metadata import version

    environment = default_environment()
    for name, versions in locked("requirements-test.lock").items():
        for wanted, marker in versions:
            if marker is None or Requirement(f"x ; {marker}").marker.evaluate(environment):  # type: ignore[union-attr]
                found = version(name)
                assert found == wanted, f"{name}: {found} installed, {wanted} locked: run scripts/test.sh"


def test_every_install_uses_a_lock() -> None:
    for path, lock in [
        ("scripts/run.sh", "requirements.lock"),
        ("scripts/test.sh", "requirements-test.lock"),
        ("scripts/image_check.sh", "requirements.lock"),
        ("Dockerfile", "requirements.lock"),
    ]:
        text = (ROOT / path).read_text(encoding="utf-8").replace("\\\n", " ")
        assert "--require-hashes" in text, path
        assert lock in text, path
        assert re.search(r"pip\"? install [^\n]*--no-deps", text), f"{path} installs the project without --no-deps"
