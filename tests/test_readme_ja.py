"""README.ja.md, the Japanese guide: linked from the top of README.md and back, the same
two commands, the same keys, and both say which CJK font to install."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
EN = (ROOT / "README.md").read_text(encoding="utf-8")
JA = (ROOT / "README.ja.md").read_text(encoding="utf-8")


def _commands(text: str) -> list[str]:
    blocks = re.findall(r"```bash\n(.*?)```", text, re.S)
    return [b.strip() for b in blocks if b.startswith("python3 -m venv")]


def _keys(text: str) -> list[str]:
    section = text.split("| Keys | Command |" if "| Keys |" in text else "| キー | コマンド |")[1]
    rows = [line for line in section.split("\n\n")[0].splitlines() if line.startswith("| ")]
    return [row.split("|")[1].strip() for row in rows[1:]]


def test_the_guides_link_each_other_at_the_top():
    assert "(README.ja.md)" in "\n".join(EN.splitlines()[:4])
    assert "(README.md)" in "\n".join(JA.splitlines()[:4])


def test_the_same_two_commands():
    assert len(_commands(EN)) == 2
    assert _commands(JA) == _commands(EN)


def test_the_same_shortcut_keys():
    en = [k for k in _keys(EN) if not k.startswith("the platform's")]
    ja = [k for k in _keys(JA) if not k.startswith("Ctrl+F11")]
    assert ja == en


def test_both_say_which_cjk_font_to_install():
    for text in (EN, JA):
        assert "fonts-noto-cjk" in text and "google-noto-sans-cjk-fonts" in text


def test_the_japanese_guide_uses_the_articles_words():
    for word in ("誤差逆伝搬法", "順伝播", "損失関数", "勾配", "チェインルール(合成微分)",
                 "パラメーターの更新", "学習率"):  # fmt: skip
        assert word in JA, word
    assert "--lang ja" in JA and "--lang ja" in EN
