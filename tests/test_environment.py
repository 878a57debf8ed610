"""environment.yml (conda) and pyproject.toml (pip) must list the same packages."""

from __future__ import annotations

import re
import socket
import tomllib

import pytest
import yaml

from usrussia import config

NAME = re.compile(r"^\s*([A-Za-z0-9_.\-]+)")


def normalise(requirement: str) -> str:
    """The package name of a requirement, normalised as PEP 503 does."""
    match = NAME.match(requirement)
    assert match, requirement
    return re.sub(r"[-_.]+", "-", match.group(1)).lower()


def pyproject_packages() -> set[str]:
    project = tomllib.loads((config.PROJECT_ROOT / "pyproject.toml").read_text())["project"]
    return {normalise(r) for r in project["dependencies"]}


def environment_packages() -> tuple[set[str], list[str]]:
    env = yaml.safe_load((config.PROJECT_ROOT / "environment.yml").read_text())
    conda, pip = [], []
    for dep in env["dependencies"]:
        if isinstance(dep, dict):
            pip += [d for d in dep["pip"] if not d.startswith("-e")]
        else:
            conda.append(dep)
    names = {normalise(d) for d in conda + pip} - {"python", "pip"}
    return names, conda


def test_environment_yml_lists_the_pyproject_dependencies() -> None:
    env, _ = environment_packages()
    project = pyproject_packages()
    assert env - project == set(), "in environment.yml only"
    assert project - env == set(), "in pyproject.toml only"


def test_environment_pins_python_311_from_conda_forge() -> None:
    env = yaml.safe_load((config.PROJECT_ROOT / "environment.yml").read_text())
    assert env["channels"] == ["conda-forge"]
    assert "python=3.11" in environment_packages()[1]


def test_lock_pins_every_dependency_exactly() -> None:
    lines = (config.PROJECT_ROOT / "requirements.lock").read_text().splitlines()
    pins = {normalise(line): line for line in lines if line and not line.startswith("#")}
    assert all("==" in line for line in pins.values())
    assert pyproject_packages() <= set(pins)


def test_tests_cannot_reach_the_network() -> None:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        with pytest.raises(OSError, match="must not touch the network"):
            sock.connect(("192.0.2.1", 80))  # TEST-NET-1, never routed
