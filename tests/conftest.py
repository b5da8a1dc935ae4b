"""Shared fixtures: where ../shared is, and skipping cleanly when it is absent."""
from __future__ import annotations

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
# ../shared beside the checkout (CI); AUDITOR_SHARED names it for a checkout elsewhere (a worktree).
SHARED = Path(os.environ.get("AUDITOR_SHARED") or ROOT.parent / "shared")
SEEDS = SHARED / "seeds"
REAL = SHARED / "real"


def need(path: Path) -> Path:
    """Skip the test when a ../shared resource is not there (a user's clone has none)."""
    if not path.exists():
        pytest.skip(f"{path} not present")
    return path


@pytest.fixture
def seeds_dir() -> Path:
    return need(SEEDS)


@pytest.fixture
def real_dir() -> Path:
    return need(REAL)


@pytest.fixture(scope="module")
def loaded():
    """(configuration, plugin host) with the built-in defaults and the installed plugins."""
    from auditor import settings as config
    return config.load(None, cwd="/")
