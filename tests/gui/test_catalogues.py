"""The translation catalogues are complete and current (issue 14, "Kept complete"): for
every catalogue of ``gui.i18n.CATALOGUES`` the source ``resources/i18n/<name>_ja.ts``
exists, translates every string (none missing or marked unfinished, every plural form),
holds exactly the strings the code marks now (``pyside6-lupdate`` into a fresh file), and
the shipped ``.qm`` is what ``pyside6-lrelease`` makes of that ``.ts`` now."""

from __future__ import annotations

import importlib.util
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from backprop_lab.gui.i18n import CATALOGUES

ROOT = Path(__file__).resolve().parents[2]
FOLDER = ROOT / "resources" / "i18n"
NAMES = sorted(CATALOGUES)


def _tool():
    spec = importlib.util.spec_from_file_location("i18n_tool", ROOT / "tools" / "i18n.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


tool = _tool()


def messages(ts: Path) -> dict[tuple[str, str], ET.Element]:
    """(context, source) -> the <message> element of every message of ``ts``."""
    found = {}
    for context in ET.parse(ts).getroot().iter("context"):
        name = context.findtext("name") or ""
        for m in context.iter("message"):
            found[name, m.findtext("source") or ""] = m
    return found


def untranslated(ts: Path) -> list[tuple[str, str]]:
    """The messages of ``ts`` without a finished Japanese translation: no translation,
    an empty one (or an empty plural form), or one marked unfinished / vanished / obsolete."""
    missing = []
    for key, m in messages(ts).items():
        t = m.find("translation")
        if t is None or t.get("type") in ("unfinished", "vanished", "obsolete"):
            missing.append(key)
        elif m.get("numerus") == "yes":
            forms = [f.text for f in t.iter("numerusform")]
            if not forms or not all(f and f.strip() for f in forms):
                missing.append(key)
        elif not (t.text and t.text.strip()):
            missing.append(key)
    return missing


@pytest.mark.parametrize("name", NAMES)
def test_every_string_has_a_finished_japanese_translation(name):
    ts = tool.ts_path(name)
    assert ts.exists(), f"{ts.name} is missing: run python tools/i18n.py update {name}"
    assert untranslated(ts) == []


@pytest.mark.parametrize("name", NAMES)
def test_catalogue_holds_exactly_the_strings_the_code_marks(name, tmp_path):
    ts = tool.ts_path(name)
    assert ts.exists(), f"{ts.name} is missing"
    fresh = tool.update(name, ts=tmp_path / ts.name)
    marked, kept = set(messages(fresh)), set(messages(ts))
    assert marked - kept == set(), "marked in the code but not in the .ts: run tools/i18n.py update"
    assert kept - marked == set(), "in the .ts but no longer in the code: run tools/i18n.py update"


@pytest.mark.parametrize("name", NAMES)
def test_compiled_catalogue_is_what_lrelease_makes_of_the_source_now(name, tmp_path):
    ts, qm = tool.ts_path(name), tool.qm_path(name)
    assert ts.exists() and qm.exists(), f"{name}: .ts or .qm missing"
    fresh = tool.release(name, ts=ts, qm=tmp_path / qm.name)
    assert fresh.read_bytes() == qm.read_bytes(), "the .qm is older than its .ts: run release"


def test_release_is_reproducible(tmp_path):
    ts = tool.ts_path("window")
    a = tool.release("window", ts=ts, qm=tmp_path / "a.qm").read_bytes()
    b = tool.release("window", ts=ts, qm=tmp_path / "b.qm").read_bytes()
    assert a == b and len(a) > 1000


def test_checks_fail_on_an_unfinished_string_and_a_string_not_in_the_catalogue(tmp_path):
    """The checks above can fail: an unfinished translation is found, and so is a newly
    marked string that the .ts does not have yet."""
    ts = tmp_path / "window_ja.ts"
    ts.write_text(tool.ts_path("window").read_text(encoding="utf-8"), encoding="utf-8")
    tree = ET.parse(ts)
    first = next(tree.getroot().iter("message"))
    first.find("translation").set("type", "unfinished")
    tree.write(ts, encoding="utf-8")
    assert len(untranslated(ts)) == 1
    kept = set(messages(ts))
    extra = tmp_path / "src"
    extra.mkdir()
    (extra / "new.py").write_text(
        "from PySide6.QtCore import QCoreApplication\n"
        'QCoreApplication.translate("Menus", "A brand new string")\n'
    )
    fresh = tool.update("window", ts=tmp_path / "fresh_ja.ts")
    assert set(messages(fresh)) == kept  # the code as it is: nothing new
    import subprocess

    subprocess.run(
        [tool.tool("pyside6-lupdate"), "new.py", "-ts", str(ts), "-silent"],
        cwd=extra, check=True, timeout=120,
    )  # fmt: skip
    assert ("Menus", "A brand new string") in set(messages(ts)) - kept
    assert ("Menus", "A brand new string") in untranslated(ts)


@pytest.mark.parametrize("name", NAMES)
def test_every_catalogue_is_where_the_package_loads_it_from(name):
    from backprop_lab.gui.i18n import catalogue_folder

    assert (catalogue_folder() / f"{name}_ja.qm").exists()
