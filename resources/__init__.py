"""Package data for Backprop Lab: icons, screenshots and example files.

``resources.path(name)`` gives the location of a shipped file."""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parent


def path(name: str) -> Path:
    """The path of a file shipped in resources/ (it must exist)."""
    p = ROOT / name
    if not p.is_file():
        raise FileNotFoundError(f"resource {name!r} is not shipped with Backprop Lab")
    return p
