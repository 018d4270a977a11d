"""The worked example in Japanese: ``to_markdown(..., lang="ja")`` and ``backprop-lab
explain --lang ja`` - the same numbers and symbols as the English one, the article's
words around them, the language chosen by --lang or the system's; --json unchanged."""

from __future__ import annotations

import json
import re
from collections import Counter

import pytest
from backprop_lab.engine import Architecture, init_network
from backprop_lab.engine.cli import main
from backprop_lab.engine.derivation import MAX_ENUMERATED_PATHS, paths_note, paths_text
from backprop_lab.engine.derivation_text import EN, JA, language_from_environment
from backprop_lab.engine.formats import save_model

ARGS = ["--data", "circles", "--sample", "3", "--weight", "1,2,1", "--lr", "0.5"]
#: Words that stay in any language: identifiers and the symbols' names.
IDENTIFIERS = {"tanh", "sigmoid", "bce", "mse", "sgd", "eta", "identity", "relu", "delta"}


@pytest.fixture
def model(tmp_path, monkeypatch):
    for name in ("LC_ALL", "LC_MESSAGES", "LANG"):
        monkeypatch.delenv(name, raising=False)
    net = init_network(Architecture.build(2, [4, 3], 1, "tanh", "sigmoid"), "xavier", 7)
    path = tmp_path / "m.json"
    save_model(net, path)
    return path


def _explain(capsys, path, *extra) -> str:
    assert main(["explain", "--model", str(path), *ARGS, *extra]) == 0
    return capsys.readouterr().out


def _numbers(text: str) -> Counter:
    return Counter(re.findall(r"-?\d+(?:[.,]\d+)*(?:e[+-]?\d+)?", text))


def _words(text: str) -> set[str]:
    """English words outside symbols (a symbol has a digit, _, ( or / beside it)."""
    text = re.sub(r"`[^`]*`", "", text)
    found = re.findall(r"(?<![\w/(])[A-Za-z]{2,}(?![\w(/])", text)
    return {w.lower() for w in found} - IDENTIFIERS


def test_lang_ja_writes_the_japanese_derivation_with_the_same_numbers(model, capsys):
    en = _explain(capsys, model, "--lang", "en")
    ja = _explain(capsys, model, "--lang", "ja")
    assert "## 1. 順伝播" in ja and "## 6. パラメーターの更新" in ja
    assert "3 本の経路" in ja and "3 paths" in en
    assert _numbers(ja) == _numbers(en)
    assert not _words(ja), _words(ja)
    assert len(ja.splitlines()) == len(en.splitlines())


def test_lang_en_is_the_english_derivation_and_the_default_without_a_system_language(model, capsys):
    assert _explain(capsys, model) == _explain(capsys, model, "--lang", "en")
    assert "## 3. The gradient, path by path" in _explain(capsys, model)


def test_the_default_follows_the_system_language(model, capsys, monkeypatch):
    monkeypatch.setenv("LANG", "ja_JP.UTF-8")
    assert "## 1. 順伝播" in _explain(capsys, model)
    monkeypatch.setenv("LC_ALL", "en_US.UTF-8")  # LC_ALL wins over LANG
    assert "## 1. Forward pass" in _explain(capsys, model)
    assert "## 1. 順伝播" in _explain(capsys, model, "--lang", "ja")  # --lang wins


def test_language_from_environment():
    assert language_from_environment({}) == "en"
    assert language_from_environment({"LANG": "ja_JP.UTF-8"}) == "ja"
    assert language_from_environment({"LANG": "ja"}) == "ja"
    assert language_from_environment({"LANG": "de_DE.UTF-8"}) == "en"
    assert language_from_environment({"LC_ALL": "", "LC_MESSAGES": "ja_JP", "LANG": "C"}) == "ja"
    assert language_from_environment({"LC_ALL": "C", "LANG": "ja_JP.UTF-8"}) == "en"


def test_json_is_the_same_in_every_language(model, capsys):
    en = json.loads(_explain(capsys, model, "--json", "--lang", "en"))
    ja = json.loads(_explain(capsys, model, "--json", "--lang", "ja"))
    assert en == ja


def test_counted_paths_in_both_languages():
    assert paths_text(1) == "1 path"
    assert paths_text(8) == "8 paths"
    assert paths_text(1280) == "1,280 paths"
    assert paths_text(8, "ja") == "8 本の経路"
    assert paths_text(1, "ja") == "1 本の経路"
    assert paths_note(8, 8, True, "ja") == "8 本の経路をすべて挙げます"
    assert paths_note(90, 10, False) == "90 paths: the 10 with the largest contribution are listed"
    beam = MAX_ENUMERATED_PATHS + 1
    assert "beam search" in paths_note(beam, 10, False)
    assert "ビームサーチ" in paths_note(beam, 10, False, "ja")
    with pytest.raises(ValueError):
        paths_text(2, "fr")


def test_every_template_has_a_japanese_text_with_the_same_fields():
    assert EN.keys() == JA.keys()
    for key, text in EN.items():
        assert sorted(re.findall(r"{\w+}", text)) == sorted(re.findall(r"{\w+}", JA[key])), key
        assert JA[key] != text, key
