"""Update and compile the window's translation catalogues (see DEVELOPERS.md).

    python tools/i18n.py update [NAME...]   # pyside6-lupdate: the marked strings -> .ts
    python tools/i18n.py release [NAME...]  # pyside6-lrelease: .ts -> .qm (shipped)
    python tools/i18n.py check [NAME...]    # both into a temporary folder: is all current?

NAME is a catalogue of ``gui.i18n.CATALOGUES`` (default: all of them). ``update`` keeps
every existing translation, drops strings that no longer exist (``-no-obsolete``) and
stores no source locations (line numbers would change the .ts at every edit). ``release``
is reproducible: the same .ts gives the same .qm bytes (tests/gui/test_catalogues.py
checks the committed .qm against a fresh one).
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
GUI = ROOT / "gui"
FOLDER = ROOT / "resources" / "i18n"
LANGUAGES = ("ja",)  # the translated languages (English is the source)


def _catalogues() -> dict[str, tuple[str, ...]]:
    from backprop_lab.gui.i18n import CATALOGUES

    return CATALOGUES


def tool(name: str) -> str:
    """The path of a PySide6 tool (``pyside6-lupdate`` / ``pyside6-lrelease``): beside
    the running Python first (a venv's bin/), then on PATH."""
    beside = Path(sys.executable).parent / name
    found = str(beside) if beside.exists() else shutil.which(name)
    if found is None:
        raise SystemExit(f"{name} not found: install PySide6-Essentials (pip install -e .)")
    return found


def source_files(paths: tuple[str, ...]) -> list[str]:
    """The Python files of a catalogue's source ``paths`` (files or folders relative to
    gui/, folders recursively), sorted, relative to gui/; a path that does not exist is
    reported on stderr and skipped."""
    files: list[str] = []
    for p in paths:
        full = GUI / p
        if full.is_dir():
            files += [str(f.relative_to(GUI)) for f in sorted(full.rglob("*.py"))]
        elif full.is_file():
            files.append(p)
        else:
            print(f"i18n: {p} (gui/) does not exist; skipped", file=sys.stderr)
    return files


def ts_path(name: str, lang: str = "ja", folder: Path = FOLDER) -> Path:
    """The catalogue source ``<folder>/<name>_<lang>.ts``."""
    return folder / f"{name}_{lang}.ts"


def qm_path(name: str, lang: str = "ja", folder: Path = FOLDER) -> Path:
    """The compiled catalogue ``<folder>/<name>_<lang>.qm``."""
    return folder / f"{name}_{lang}.qm"


def update(name: str, lang: str = "ja", ts: Path | None = None) -> Path:
    """Run pyside6-lupdate over catalogue ``name``'s sources into its .ts (or ``ts``),
    keeping the translations it already has. Returns the .ts written."""
    ts = ts or ts_path(name, lang)
    ts.parent.mkdir(parents=True, exist_ok=True)
    files = source_files(_catalogues()[name])
    cmd = [tool("pyside6-lupdate"), *files, "-ts", str(ts.resolve()), "-no-obsolete",
           "-locations", "none", "-source-language", "en", "-target-language", lang,
           "-silent"]  # fmt: skip
    subprocess.run(cmd, cwd=GUI, check=True, timeout=300)
    return ts


def release(name: str, lang: str = "ja", ts: Path | None = None, qm: Path | None = None) -> Path:
    """Compile catalogue ``name``'s .ts (or ``ts``) into its .qm (or ``qm``) with
    pyside6-lrelease. Returns the .qm written."""
    ts = ts or ts_path(name, lang)
    qm = qm or qm_path(name, lang)
    cmd = [tool("pyside6-lrelease"), "-silent", "-removeidentical", str(ts), "-qm", str(qm)]
    subprocess.run(cmd, check=True, timeout=300)
    return qm


def check(name: str, lang: str = "ja") -> list[str]:
    """What is not current in catalogue ``name``: the .ts missing, the .qm not what
    lrelease makes of the .ts now. (Messages missing from the .ts: see the tests.)"""
    ts, qm = ts_path(name, lang), qm_path(name, lang)
    if not ts.exists():
        return [f"{ts.relative_to(ROOT)} is missing: run python tools/i18n.py update {name}"]
    with tempfile.TemporaryDirectory() as tmp:
        fresh = release(name, lang, ts, Path(tmp) / qm.name)
        if not qm.exists() or qm.read_bytes() != fresh.read_bytes():
            return [f"{qm.relative_to(ROOT)} is older than its .ts: run tools/i18n.py release"]
    return []


def main(argv: list[str] | None = None) -> int:
    """The command line (see the module docstring); returns the exit status."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("command", choices=("update", "release", "check"))
    parser.add_argument("names", nargs="*", help="catalogues (default: all)")
    args = parser.parse_args(argv)
    names = args.names or list(_catalogues())
    unknown = [n for n in names if n not in _catalogues()]
    if unknown:
        known = ", ".join(_catalogues())
        parser.error(f"unknown catalogue(s) {', '.join(unknown)}; known: {known}")
    problems: list[str] = []
    for name in names:
        for lang in LANGUAGES:
            if args.command == "update":
                print(update(name, lang).relative_to(ROOT))
            elif args.command == "release":
                if ts_path(name, lang).exists():
                    print(release(name, lang).relative_to(ROOT))
                else:
                    problems.append(f"{name}: no {ts_path(name, lang).name}; run update first")
            else:
                problems += check(name, lang)
    for p in problems:
        print(p, file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
