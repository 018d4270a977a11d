"""Japanese needs a CJK font: under Japanese the window either has a family that draws
Japanese, or it says once in the status bar what to install."""

from __future__ import annotations

import pytest
from backprop_lab.gui import fonts, i18n


@pytest.fixture
def japanese(qapp):
    i18n.apply_language("ja")
    yield
    i18n.apply_language("en")


def test_under_japanese_a_font_draws_it_or_the_window_warns_once(japanese, qtbot):
    from backprop_lab.gui import MainWindow

    w = MainWindow()
    qtbot.addWidget(w)
    w.quiet_messages = True
    if fonts.japanese_families():
        assert w.font_notice.shown is None
    else:
        shown = w.font_notice.shown
        assert shown is not None and "fonts-noto-cjk" in shown and "CJK フォント" in shown
        assert w.statusBar().currentMessage() == shown
        w.statusBar().clearMessage()
        i18n.apply_language("en")
        i18n.apply_language("ja")
        assert w.statusBar().currentMessage() == ""  # once per run
    w.close()


def test_english_needs_no_notice(qapp):
    assert fonts.font_notice("en") is None


def test_the_notice_without_a_font_is_english_and_japanese(japanese, monkeypatch):
    monkeypatch.setattr(fonts, "japanese_families", lambda: [])
    text = fonts.font_notice("ja")
    assert text.startswith(fonts.NEEDS_CJK_FONT + " / ")
    assert "google-noto-sans-cjk-fonts" in text and "インストールしてください" in text
    monkeypatch.setattr(fonts, "japanese_families", lambda: ["Noto Sans CJK JP"])
    assert fonts.font_notice("ja") is None


def test_a_file_that_is_no_font_adds_no_family(qapp, tmp_path):
    path = tmp_path / "not-a-font.otf"
    path.write_bytes(b"nothing")
    assert fonts.add_font_file(str(path)) == []
