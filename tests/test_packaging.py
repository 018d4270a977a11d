"""The distribution: a wheel built from the repository installs one top-level package,
``backprop_lab`` (engine, gui and the resources inside it), and declares the entry point
and the PySide6 pin."""

from __future__ import annotations

import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


#: what a checkout may hold besides its sources; never part of the wheel's input
NOT_SOURCES = shutil.ignore_patterns(
    ".git", ".venv", "build", "dist", "*.egg-info", "__pycache__", ".*_cache"
)


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> zipfile.ZipFile:
    # Built from a clean copy: setuptools reuses a checkout's build/ folder, whose stale
    # modules (a file since moved or deleted) would otherwise land in the wheel.
    src = tmp_path_factory.mktemp("src") / "backprop-lab"
    shutil.copytree(ROOT, src, ignore=NOT_SOURCES)
    out = tmp_path_factory.mktemp("wheel")
    result = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", str(src), "--no-deps", "--no-build-isolation",
         "-q", "-w", str(out)],
        capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    if result.returncode != 0 and "No module named setuptools" in result.stderr:
        pytest.skip("setuptools is not installed in this environment")
    assert result.returncode == 0, result.stderr
    (path,) = out.glob("backprop_lab-*.whl")
    return zipfile.ZipFile(path)


def test_wheel_installs_one_top_level_package(wheel):
    """Only backprop_lab lands in site-packages: no `engine`, `gui` or `resources` that
    another distribution could overwrite (or be overwritten by)."""
    names = set(wheel.namelist())
    tops = {n.split("/")[0] for n in names if not n.split("/")[0].endswith(".dist-info")}
    assert tops == {"backprop_lab"}
    top_level = next(n for n in names if n.endswith(".dist-info/top_level.txt"))
    assert wheel.read(top_level).decode().split() == ["backprop_lab"]


def test_wheel_contains_packages_and_resources(wheel):
    names = set(wheel.namelist())
    for required in (
        "engine/__init__.py", "engine/phases.py", "engine/data/__init__.py",
        "engine/formats/__init__.py", "engine/cli/__init__.py", "gui/__init__.py", "gui/main.py",
        "gui/__main__.py", "gui/app.py", "gui/panels/__init__.py", "gui/views/__init__.py",
        "gui/training/__init__.py", "resources/__init__.py", "resources/icon.svg",
    ):  # fmt: skip
        assert "backprop_lab/" + required in names, required
    # every file of the three folders made it into the wheel: each package directory,
    # each module and each shipped resource (icon, screenshots, whatever later ships)
    for folder in ("engine", "gui", "resources"):
        for path in (ROOT / folder).rglob("*"):
            if path.is_file() and "__pycache__" not in path.parts and path.suffix != ".pyc":
                rel = path.relative_to(ROOT).as_posix()
                assert "backprop_lab/" + rel in names, rel


def test_wheel_ships_every_compiled_catalogue(wheel):
    """The window speaks Japanese from an installed wheel: every catalogue of
    gui.i18n.CATALOGUES ships compiled (resources/i18n/<name>_ja.qm), where
    gui.i18n.catalogue_folder() looks."""
    from backprop_lab.gui.i18n import CATALOGUES

    names = set(wheel.namelist())
    for name in CATALOGUES:
        assert f"backprop_lab/resources/i18n/{name}_ja.qm" in names, name


def test_wheel_metadata(wheel):
    meta_name = next(n for n in wheel.namelist() if n.endswith(".dist-info/METADATA"))
    meta = wheel.read(meta_name).decode()
    assert "Name: backprop-lab" in meta
    assert "Requires-Python: >=3.11" in meta
    pyside = [ln for ln in meta.splitlines() if ln.startswith("Requires-Dist: PySide6")]
    assert pyside and all("PySide6-Essentials" in ln for ln in pyside)  # not the meta-package
    assert any("!=6.12.0" in ln and 'python_version < "3.12"' in ln for ln in pyside)
    entry = next(n for n in wheel.namelist() if n.endswith("entry_points.txt"))
    assert "backprop-lab = backprop_lab.gui.main:main" in wheel.read(entry).decode()
