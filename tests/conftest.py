"""Shared pytest fixtures."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"


def _shared() -> Path | None:
    env = os.environ.get("STANCE_SHARED_DIR")
    path = Path(env) if env else ROOT.parent / "shared"
    return path if (path / "data").is_dir() else None


@pytest.fixture(scope="session")
def fixtures_dir() -> Path:
    return FIXTURES


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    """The shared corpora folder; tests that need it are skipped in a plain user clone."""
    path = _shared()
    if path is None:
        pytest.skip("../shared corpora not available (set STANCE_SHARED_DIR)")
    return path
