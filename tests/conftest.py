"""Shared fixtures: where ../shared is, and skipping cleanly when it is absent."""
from __future__ import annotations

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def _shared() -> Path:
    """``../shared`` beside the repository (the CI layout); else ``$AUDITOR_SHARED``; else the
    nearest ancestor's ``shared/`` (a git worktree nested one level deeper)."""
    if (ROOT.parent / "shared").is_dir():
        return ROOT.parent / "shared"
    if os.environ.get("AUDITOR_SHARED"):
        return Path(os.environ["AUDITOR_SHARED"])
    return next((p / "shared" for p in ROOT.parents if (p / "shared").is_dir()), ROOT.parent / "shared")


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
