"""The words of the worked example (:func:`engine.derivation.to_markdown`) in each
language it is written in: :data:`TEXTS` maps a language code to its templates
(``str.format`` fields in braces). The numbers and symbols are filled in by the caller and
are the same in every language; only the words around them change. Pure Python: the
engine translates its own derivation without Qt (the window's catalogues are for the
window). The Japanese follows resources/i18n/glossary.md and the article's words.
"""

from __future__ import annotations

#: The languages a derivation is written in; the first is the default.
LANGS = ("en", "ja")

EN = {
    "title": "# dL/d{symbol}: the chain rule with real numbers",
    "network": "Network: {text}",
    "batch_many": (
        "a mini-batch of {n} samples; the paths listed are those of sample {sample} (the "
        "gradient is the batch mean: the 1/N sits in dL/dz)"
    ),
    "batch_one": "one training sample (sample {sample})",
    "loss_on": "Loss `{loss}` on {batch}.",
    "h_forward": "## 1. Forward pass",
    "table_head": "| node | value |",
    "target_row": "| target t_{m} | {value} |",
    "h_loss": "## 2. Loss",
    "h_paths": "## 3. The gradient, path by path",
    "paths_intro_one": (
        "{paths} joins {symbol} to the loss; along each one the derivatives of neighbours "
        "are multiplied, then the products are added."
    ),
    "paths_intro": (
        "{paths} join {symbol} to the loss; along each one the derivatives of neighbours "
        "are multiplied, then the products are added."
    ),
    "path_one": "{n} path",
    "path_many": "{n} paths",
    "note_only": "the only path",
    "note_all": "all {paths}",
    "note_largest": "{paths}: the {k} with the largest contribution are listed",
    "note_beam": "{paths}: the {k} largest found by beam search are listed",
    "sample_sum": "Sum over the paths of sample {sample}: {value}",
    "batch_sum": "Sum over every sample's paths: {value}",
    "regularisation": "Regularisation term: {value}",
    "h_recursive": "## 4. The same number, reusing the later layer's delta",
    "reuse_note": (
        "delta({later}) was already computed for layer {later}; layer {layer} reuses it "
        "instead of walking every path again."
    ),
    "output_delta": "{delta} = dL/dz of the output unit = {value}",
    "product_line": "dL/d{symbol} = {delta} x {input} = {d} x {i} = {p} for sample {sample}",
    "product_batch": "; summed over the batch: {value}",
    "h_check": "## 5. Numerical check",
    "check_line": (
        "Backprop: {gradient}   central difference: {numeric}   relative error: {error}   "
        "**{badge}**"
    ),
    "agree": "AGREE",
    "disagree": "DISAGREE",
    "h_update": "## 6. Update",
    "rule": "Rule ({optimizer}): {rule}",
}

JA = {
    "title": "# dL/d{symbol}: 実際の数値で見るチェインルール(合成微分)",
    "network": "ネットワーク: {text}",
    "batch_many": (
        "{n} 個のサンプルのミニバッチ(挙げる経路はサンプル {sample} のものです。勾配はバッチの"
        "平均で、1/N は dL/dz に含まれます)"
    ),
    "batch_one": "訓練データのサンプル一つ(サンプル {sample})",
    "loss_on": "損失関数 `{loss}`、{batch}。",
    "h_forward": "## 1. 順伝播",
    "table_head": "| ノード | 値 |",
    "target_row": "| 正解 t_{m} | {value} |",
    "h_loss": "## 2. 損失",
    "h_paths": "## 3. 経路ごとの勾配",
    "paths_intro_one": (
        "{symbol} と損失を {paths}が結んでいます。経路に沿って隣あう微分を掛け、その積を"
        "足し合わせます。"
    ),
    "paths_intro": (
        "{symbol} と損失を {paths}が結んでいます。それぞれの経路に沿って隣あう微分を掛け、"
        "その積を足し合わせます。"
    ),
    "path_one": "{n} 本の経路",
    "path_many": "{n} 本の経路",
    "note_only": "経路はこれだけです",
    "note_all": "{paths}をすべて挙げます",
    "note_largest": "{paths}のうち、寄与の大きい {k} 本を挙げます",
    "note_beam": "{paths}のうち、ビームサーチで見つけた寄与の大きい {k} 本を挙げます",
    "sample_sum": "サンプル {sample} の経路の和: {value}",
    "batch_sum": "すべてのサンプルの経路の和: {value}",
    "regularisation": "正則化項: {value}",
    "h_recursive": "## 4. 同じ値を、後ろの層の delta を再利用して求める",
    "reuse_note": (
        "delta({later}) は第{later}層ですでに計算されています。第{layer}層はすべての経路を"
        "たどり直す代わりに、それを再利用します。"
    ),
    "output_delta": "{delta} = 出力層のニューロンの dL/dz = {value}",
    "product_line": "dL/d{symbol} = {delta} x {input} = {d} x {i} = {p}(サンプル {sample})",
    "product_batch": "、バッチ全体で足し合わせると {value}",
    "h_check": "## 5. 数値微分による確認",
    "check_line": (
        "誤差逆伝搬法: {gradient}   中心差分: {numeric}   相対誤差: {error}   **{badge}**"
    ),
    "agree": "一致",
    "disagree": "不一致",
    "h_update": "## 6. パラメーターの更新",
    "rule": "更新式 ({optimizer}): {rule}",
}

TEXTS = {"en": EN, "ja": JA}


def texts(lang: str) -> dict[str, str]:
    """The templates of ``lang`` (one of :data:`LANGS`); ValueError for any other."""
    if lang not in TEXTS:
        raise ValueError(f"unknown language {lang!r}; the languages are {', '.join(LANGS)}")
    return TEXTS[lang]


def language_from_environment(environ) -> str:
    """The derivation's language for a process environment: the first set of ``LC_ALL``,
    ``LC_MESSAGES``, ``LANG`` (POSIX's order) - "ja..." gives "ja", anything else "en"."""
    for name in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = environ.get(name)
        if value:
            return "ja" if value.lower().startswith("ja") else "en"
    return "en"


__all__ = ["EN", "JA", "LANGS", "TEXTS", "language_from_environment", "texts"]
