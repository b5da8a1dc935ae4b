"""Shared fixtures: where ../shared is, and skipping cleanly when it is absent."""
from __future__ import annotations

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def _shared() -> Path:
    """``AUDITOR_SHARED`` when set; else ``shared/`` beside the checkout (CI: ``../shared``), or
    beside the folder holding it (a git worktree under ``wt/``); the first when neither exists."""
    if os.environ.get("AUDITOR_SHARED"):
        return Path(os.environ["AUDITOR_SHARED"])
    near = ROOT.parent / "shared"
    return next((p for p in (near, ROOT.parent.parent / "shared") if p.is_dir()), near)


SHARED = _shared()
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
