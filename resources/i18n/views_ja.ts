<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="ja" sourcelanguage="en">
<context>
    <name>ChainRuleHtml</name>
    <message>
        <source> (training sample {0})</source>
        <translation> (訓練サンプル {0})</translation>
    </message>
    <message>
        <source>&lt;p&gt;Loss &lt;b&gt;{0}&lt;/b&gt; = {1} on a mini-batch of {2} samples; the paths below are those of batch row {3}{4}. &lt;b&gt;The gradient is the batch mean&lt;/b&gt;: every sample&apos;s paths are added, the 1/N sits in dL/dz. Weight now: {5} = {6}.&lt;/p&gt;</source>
        <translation>&lt;p&gt;損失 &lt;b&gt;{0}&lt;/b&gt; = {1} ({2} サンプルのミニバッチ)。以下の経路はバッチの行 {3}{4} のものです。&lt;b&gt;勾配はバッチ平均です&lt;/b&gt;: 全サンプルの経路を足し合わせ、1/N は dL/dz に含まれます。現在の重み: {5} = {6}。&lt;/p&gt;</translation>
    </message>
    <message>
        <source> (sample {0})</source>
        <translation> (サンプル {0})</translation>
    </message>
    <message>
        <source>&lt;p&gt;Loss &lt;b&gt;{0}&lt;/b&gt; = {1} on one training sample{2} Weight now: {3} = {4}.&lt;/p&gt;</source>
        <translation>&lt;p&gt;損失 &lt;b&gt;{0}&lt;/b&gt; = {1} (ひとつの訓練サンプル{2})。現在の重み: {3} = {4}。&lt;/p&gt;</translation>
    </message>
    <message>
        <source>the input the weight multiplies</source>
        <translation>重みが掛かる入力</translation>
    </message>
    <message>
        <source>a bias multiplies 1</source>
        <translation>バイアスには 1 が掛かる</translation>
    </message>
    <message>
        <source>activation&apos;s derivative f&apos;(z)</source>
        <translation>活性化関数の微分 f&apos;(z)</translation>
    </message>
    <message>
        <source>loss with respect to the output</source>
        <translation>出力の変化が損失に与える影響</translation>
    </message>
    <message>
        <source>output activation&apos;s derivative</source>
        <translation>出力層の活性化関数の微分</translation>
    </message>
    <message>
        <source>the weight {0}</source>
        <translation>重み {0}</translation>
    </message>
    <message>
        <source>{0} from the logits: (y - t) / N</source>
        <translation>{0} をロジットから計算: (y - t) / N</translation>
    </message>
    <message>
        <source>delta({0}) was already computed for layer {0}; layer {1} reuses it instead of walking every path again</source>
        <translation>delta({0}) は第{0}層ですでに計算済みです。第{1}層はすべての経路をたどり直さずに、それを再利用します</translation>
    </message>
    <message>
        <source>&lt;tr&gt;&lt;th&gt;factor&lt;/th&gt;&lt;th&gt;what it is&lt;/th&gt;&lt;th&gt;value&lt;/th&gt;&lt;/tr&gt;</source>
        <translation>&lt;tr&gt;&lt;th&gt;因子&lt;/th&gt;&lt;th&gt;意味&lt;/th&gt;&lt;th&gt;値&lt;/th&gt;&lt;/tr&gt;</translation>
    </message>
    <message>
        <source>&lt;p&gt;&lt;i&gt;{0} is computed from the logits: dL/dy × dy/dz is one factor dL/dz = (y - t) / N.&lt;/i&gt;&lt;/p&gt;</source>
        <translation>&lt;p&gt;&lt;i&gt;{0} はロジットから計算します: dL/dy × dy/dz がひとつの因子 dL/dz = (y - t) / N になります。&lt;/i&gt;&lt;/p&gt;</translation>
    </message>
    <message>
        <source>&lt;h3&gt;Output layer: one path from the weight to the loss&lt;/h3&gt;</source>
        <translation>&lt;h3&gt;出力層: 重みから損失へのただひとつの経路&lt;/h3&gt;</translation>
    </message>
    <message>
        <source>&lt;p&gt;= {0} = &lt;b&gt;{1}&lt;/b&gt; for this sample&lt;/p&gt;</source>
        <translation>&lt;p&gt;= {0} = &lt;b&gt;{1}&lt;/b&gt; (このサンプル)&lt;/p&gt;</translation>
    </message>
    <message>
        <source>&lt;h3&gt;Every path from the weight to the loss&lt;/h3&gt;</source>
        <translation>&lt;h3&gt;重みから損失へのすべての経路&lt;/h3&gt;</translation>
    </message>
    <message>
        <source> Along each one the derivatives of neighbours are multiplied; then the products are added.</source>
        <translation>それぞれの経路に沿って隣り合う微分を掛け、その積を足し合わせます。</translation>
    </message>
    <message>
        <source>&lt;p&gt;&lt;b&gt;{0}.&lt;/b&gt; Their sum is only part of the gradient; the recursive form below gives all of it.&lt;/p&gt;</source>
        <translation>&lt;p&gt;&lt;b&gt;{0}。&lt;/b&gt;これらの和は勾配の一部にすぎません。下の再帰の形で勾配全体が求まります。&lt;/p&gt;</translation>
    </message>
    <message>
        <source>path (layer:unit)</source>
        <translation>経路 (層:ニューロン)</translation>
    </message>
    <message>
        <source>factors</source>
        <translation>因子</translation>
    </message>
    <message>
        <source>product</source>
        <translation>積</translation>
    </message>
    <message>
        <source>Sum over every sample&apos;s paths (the batch): {0}</source>
        <translation>全サンプルの経路の和 (バッチ): {0}</translation>
    </message>
    <message>
        <source>Regularisation term (l2 w + l1 sign w): {0}</source>
        <translation>正則化項 (l2 w + l1 sign w): {0}</translation>
    </message>
    <message>
        <source>&lt;h3&gt;The same number, reusing the later layer&apos;s delta&lt;/h3&gt;</source>
        <translation>&lt;h3&gt;同じ値を、後ろの層の delta を再利用して求める&lt;/h3&gt;</translation>
    </message>
    <message>
        <source>weight</source>
        <translation>重み</translation>
    </message>
    <message>
        <source>reused delta</source>
        <translation>再利用する delta</translation>
    </message>
    <message>
        <source>&lt;p&gt;&lt;i&gt;{0}.&lt;/i&gt;&lt;/p&gt;</source>
        <translation>&lt;p&gt;&lt;i&gt;{0}。&lt;/i&gt;&lt;/p&gt;</translation>
    </message>
    <message>
        <source>&lt;p&gt;{0} = dL/dz of the output unit = &lt;b&gt;{1}&lt;/b&gt; - the error signal every earlier layer starts from.&lt;/p&gt;</source>
        <translation>&lt;p&gt;{0} = 出力ニューロンの dL/dz = &lt;b&gt;{1}&lt;/b&gt; - これより前のすべての層が出発点にする誤差信号です。&lt;/p&gt;</translation>
    </message>
    <message>
        <source>; summed over the batch: {0}</source>
        <translation>; バッチで合計すると: {0}</translation>
    </message>
    <message>
        <source>&lt;p&gt;dL/d{0} = {1} × {2} = {3} × {4} = {5} for this sample{6}&lt;/p&gt;</source>
        <translation>&lt;p&gt;dL/d{0} = {1} × {2} = {3} × {4} = {5} (このサンプル){6}&lt;/p&gt;</translation>
    </message>
    <message>
        <source>&lt;h3&gt;Numerical check&lt;/h3&gt;&lt;p&gt;backprop: {0}&lt;br&gt;central difference: {1}&lt;br&gt;relative error: {2} </source>
        <translation>&lt;h3&gt;数値による検算&lt;/h3&gt;&lt;p&gt;誤差逆伝搬法: {0}&lt;br&gt;中心差分: {1}&lt;br&gt;相対誤差: {2} </translation>
    </message>
    <message>
        <source>AGREE</source>
        <translation>一致</translation>
    </message>
    <message>
        <source>DISAGREE</source>
        <translation>不一致</translation>
    </message>
    <message>
        <source>&lt;p&gt;Rule ({0}): {1}&lt;/p&gt;</source>
        <translation>&lt;p&gt;更新式 ({0}): {1}&lt;/p&gt;</translation>
    </message>
    <message>
        <source>&lt;p&gt;&lt;b&gt;{0}: {1} → {2}&lt;/b&gt; (eta = {3}, with the optimiser&apos;s running state)&lt;/p&gt;</source>
        <translation>&lt;p&gt;&lt;b&gt;{0}: {1} → {2}&lt;/b&gt; (eta = {3}、最適化手法の内部状態を使用)&lt;/p&gt;</translation>
    </message>
    <message>
        <source>&lt;h3&gt;Update&lt;/h3&gt;</source>
        <translation>&lt;h3&gt;パラメーターの更新&lt;/h3&gt;</translation>
    </message>
</context>
<context>
    <name>ChainRuleView</name>
    <message>
        <source>Click an edge in the network view (or a cell of a weight heatmap) to see how the chain rule gives that weight&apos;s gradient, with this network&apos;s numbers.</source>
        <translation>ネットワーク図の線 (または重みのヒートマップのセル) をクリックすると、その重みの勾配がチェインルール(合成微分)でどう求まるかを、このネットワークの数値で表示します。</translation>
    </message>
    <message>
        <source>{0}, loss {1}; {2}</source>
        <translation>{0}、損失 {1}; {2}</translation>
    </message>
    <message>
        <source>there is no derivation to export: select a weight first</source>
        <translation>書き出す導出がありません: 先に重みを選んでください</translation>
    </message>
    <message>
        <source>Computing dL/d{0} ({1}) on a background thread - a large network or batch...</source>
        <translation>dL/d{0} ({1}) をバックグラウンドで計算中です - 大きなネットワークまたはバッチです...</translation>
    </message>
    <message>
        <source>Cannot derive dL/d{0}: {1}</source>
        <translation>dL/d{0} を導出できません: {1}</translation>
    </message>
    <message>
        <source>weight[{0}][{1}] of layer {2} (input {1} → unit {0})</source>
        <translation>第{2}層の weight[{0}][{1}] (入力 {1} → ニューロン {0})</translation>
    </message>
    <message>
        <source>bias[{0}] of layer {1} (unit {0})</source>
        <translation>第{1}層の bias[{0}] (ニューロン {0})</translation>
    </message>
    <message>
        <source>backprop {0} vs central difference {1}: relative error {2}</source>
        <translation>誤差逆伝搬法 {0} と中心差分 {1}: 相対誤差 {2}</translation>
    </message>
</context>
<context>
    <name>ChainRuleWords</name>
    <message numerus="yes">
        <source>%n path(s) from %1 to the loss.</source>
        <translation>
            <numerusform>%1 から損失へ %n 本の経路があります。</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Sum over the %n path(s) of this sample: %1</source>
        <translation>
            <numerusform>このサンプルの %n 本の経路の和: %1</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n path(s): the %1 with the largest contribution are listed</source>
        <translation>
            <numerusform>%n 本の経路: 寄与の大きい %1 本を表示</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n path(s): the %1 largest found by beam search are listed</source>
        <translation>
            <numerusform>%n 本の経路: ビームサーチで見つけた大きい %1 本を表示</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>DecisionView</name>
    <message>
        <source>Show validation points</source>
        <translation>検証データの点を表示</translation>
    </message>
    <message>
        <source>output {0}</source>
        <translation>出力 {0}</translation>
    </message>
    <message>
        <source>No 2-D view for {0} inputs: the decision boundary is drawn for 2 inputs and the fitted curve for 1.</source>
        <translation>入力が {0} 個のため 2 次元の図はありません: 決定境界は入力が 2 個のとき、当てはめた曲線は 1 個のときに描きます。</translation>
    </message>
    <message>
        <source>{0} of the training points drawn</source>
        <translation>訓練データの点のうち {0} 個を表示</translation>
    </message>
    <message>
        <source>{0} of the validation points drawn</source>
        <translation>検証データの点のうち {0} 個を表示</translation>
    </message>
</context>
<context>
    <name>GradNormPlot</name>
    <message>
        <source>iteration</source>
        <translation>イテレーション</translation>
    </message>
    <message>
        <source>gradient norm per layer</source>
        <translation>層ごとの勾配ノルム</translation>
    </message>
    <message>
        <source>Press Play or Step to train</source>
        <translation>「学習開始」か「1ステップ」を押すと学習します</translation>
    </message>
    <message>
        <source>layer {0} (EMA {1:g})</source>
        <translation>第{0}層 (EMA {1:g})</translation>
    </message>
</context>
<context>
    <name>GradientHeatmaps</name>
    <message>
        <source>Hover over a heatmap to read a weight or gradient.</source>
        <translation>ヒートマップにマウスを重ねると、重みや勾配の値を読めます。</translation>
    </message>
</context>
<context>
    <name>InspectorContext</name>
    <message>
        <source>training sample {0}, weights of iteration {1} (training runs: the update starts from a fresh optimiser state)</source>
        <translation>訓練サンプル {0}、イテレーション {1} の重み (学習中: 更新は最適化手法の初期状態から計算します)</translation>
    </message>
    <message>
        <source>training sample {0}, the weights before iteration {1}</source>
        <translation>訓練サンプル {0}、イテレーション {1} の前の重み</translation>
    </message>
    <message>
        <source>training sample {0}, iteration {1}</source>
        <translation>訓練サンプル {0}、イテレーション {1}</translation>
    </message>
    <message>
        <source>sample {0}</source>
        <translation>サンプル {0}</translation>
    </message>
    <message>
        <source>row {0}</source>
        <translation>行 {0}</translation>
    </message>
    <message>
        <source> (sample {0} is not in this mini-batch)</source>
        <translation> (サンプル {0} はこのミニバッチに含まれません)</translation>
    </message>
    <message>
        <source>mini-batch of {0}, iteration {1}: paths of {2}{3}</source>
        <translation>{0} 件のミニバッチ、イテレーション {1}: {2} の経路{3}</translation>
    </message>
</context>
<context>
    <name>LayerHeatmaps</name>
    <message>
        <source>layer {0}: {1} → {2} ({3})</source>
        <translation>第{0}層: {1} → {2} ({3})</translation>
    </message>
    <message>
        <source>dL/dW (last step)</source>
        <extracomment>where the readout was last asked for: (kind, col, row), None before</extracomment>
        <translation>dL/dW (直前のステップ)</translation>
    </message>
    <message>
        <source>unit j</source>
        <translation>ニューロン j</translation>
    </message>
    <message>
        <source>input i</source>
        <translation>入力 i</translation>
    </message>
    <message>
        <source>layer {0}  {1}[{2}][{3}] (unit {2}, input {3}) = {4}</source>
        <translation>第{0}層  {1}[{2}][{3}] (ニューロン {2}、入力 {3}) = {4}</translation>
    </message>
</context>
<context>
    <name>LegendBelow</name>
    <message>
        <source>Key</source>
        <translation>凡例</translation>
    </message>
    <message>
        <source>Show the legend below the plot</source>
        <translation>グラフの下に凡例を表示</translation>
    </message>
</context>
<context>
    <name>LossPlot</name>
    <message>
        <source>iteration</source>
        <translation>イテレーション</translation>
    </message>
    <message>
        <source>loss</source>
        <translation>損失</translation>
    </message>
    <message>
        <source>accuracy</source>
        <translation>正解率</translation>
    </message>
    <message>
        <source>Press Play or Step to train</source>
        <translation>「学習開始」か「1ステップ」を押すと学習します</translation>
    </message>
    <message>
        <source>training loss (mini-batch)</source>
        <translation>訓練損失(ミニバッチ)</translation>
    </message>
    <message>
        <source>validation loss</source>
        <translation>検証損失</translation>
    </message>
    <message>
        <source>training accuracy</source>
        <translation>訓練正解率</translation>
    </message>
    <message>
        <source>validation accuracy</source>
        <translation>検証正解率</translation>
    </message>
    <message>
        <source>iteration {0}</source>
        <translation>イテレーション {0}</translation>
    </message>
    <message>
        <source>training loss {0}</source>
        <translation>訓練損失 {0}</translation>
    </message>
    <message>
        <source>{0} {1} (at {2})</source>
        <translation>{0} {1} (イテレーション {2})</translation>
    </message>
    <message>
        <source>Log scale</source>
        <translation>対数目盛</translation>
    </message>
    <message>
        <source>log</source>
        <translation>対数</translation>
    </message>
    <message>
        <source>Loss axis: logarithmic scale</source>
        <translation>損失の軸を対数目盛にする</translation>
    </message>
</context>
<context>
    <name>NetworkText</name>
    <message>
        <source>edges: red &gt; 0, blue &lt; 0, {0} = {1}; nodes: activation of sample {2}</source>
        <translation>線: 赤 &gt; 0、青 &lt; 0、{0} = {1}; ニューロン: サンプル {2} の活性値</translation>
    </message>
    <message>
        <source>|weight|</source>
        <translation>|重み|</translation>
    </message>
    <message>
        <source>|dL/dw| of the last step</source>
        <translation>直前のステップの |dL/dw|</translation>
    </message>
    <message>
        <source>width and intensity</source>
        <translation>太さと濃さ</translation>
    </message>
    <message>
        <source>intensity</source>
        <translation>濃さ</translation>
    </message>
    <message>
        <source>weight</source>
        <translation>重み</translation>
    </message>
    <message>
        <source>gradient</source>
        <translation>勾配</translation>
    </message>
    <message>
        <source>{0} of {1} inputs</source>
        <translation>入力 {1} 個中 {0} 個</translation>
    </message>
    <message>
        <source>{0} of {1} units in layer {2}</source>
        <translation>第{2}層のニューロン {1} 個中 {0} 個</translation>
    </message>
    <message>
        <source>, </source>
        <translation>、</translation>
    </message>
    <message>
        <source>all {0} weights drawn</source>
        <translation>全 {0} 個の重みを表示</translation>
    </message>
    <message>
        <source>showing {0} of {1} weights: the largest by |{2}|</source>
        <translation>重み {1} 個中 {0} 個を表示: |{2}| の大きい順</translation>
    </message>
    <message>
        <source> among {0} (evenly spaced)</source>
        <translation> (対象: {0}、等間隔に選択)</translation>
    </message>
    <message>
        <source>showing {0} of {1} weights: those between {2} (evenly spaced)</source>
        <translation>重み {1} 個中 {0} 個を表示: {2} の間の重み (等間隔に選択)</translation>
    </message>
    <message>
        <source> - no gradient yet: take a step</source>
        <translation> - まだ勾配がありません: 1ステップ進めてください</translation>
    </message>
    <message>
        <source>Iteration {0}{1} — {2}</source>
        <translation>イテレーション {0}、{1} — {2}</translation>
    </message>
    <message>
        <source>{0} of {1} weights drawn ({2} candidates active)</source>
        <translation>重み {1} 個中 {0} 個を表示 (計算済みの候補 {2} 個)</translation>
    </message>
    <message>
        <source>Layer {0}, w[{1}][{2}] (input {2} → unit {1})</source>
        <translation>第{0}層、w[{1}][{2}] (入力 {2} → ニューロン {1})</translation>
    </message>
    <message>
        <source> (not drawn)</source>
        <translation> (非表示)</translation>
    </message>
    <message>
        <source>{0}{1}: weight {2} · dL/dw {3} (step {4}) · last update {5}</source>
        <translation>{0}{1}: 重み {2} · dL/dw {3} (イテレーション {4}) · 直前の更新 {5}</translation>
    </message>
    <message>
        <source>input {0}</source>
        <translation>入力 {0}</translation>
    </message>
    <message>
        <source>layer {0}, unit {1}</source>
        <translation>第{0}層、ニューロン {1}</translation>
    </message>
    <message>
        <source>Click an edge to see its weight, gradient and last update.</source>
        <translation>線をクリックすると、その重み・勾配・直前の更新を表示します。</translation>
    </message>
    <message>
        <source>input</source>
        <translation>入力層</translation>
    </message>
    <message>
        <source>in</source>
        <translation>入力</translation>
    </message>
    <message>
        <source>{0} of {1}</source>
        <translation>{1} 中 {0}</translation>
    </message>
    <message>
        <source>loss</source>
        <translation>損失</translation>
    </message>
</context>
<context>
    <name>NetworkView</name>
    <message>
        <source>Weights</source>
        <translation>重み</translation>
    </message>
    <message>
        <source>Edges show the weights</source>
        <translation>線に重みを表示</translation>
    </message>
    <message>
        <source>Gradients</source>
        <translation>勾配</translation>
    </message>
    <message>
        <source>Edges show the dL/dw of the last step</source>
        <translation>線に直前のステップの dL/dw を表示</translation>
    </message>
</context>
<context>
    <name>PhaseFrame</name>
    <message>
        <source>loss</source>
        <translation>損失</translation>
    </message>
    <message>
        <source>input {0}</source>
        <translation>入力 {0}</translation>
    </message>
    <message>
        <source>layer {0}, unit {1}</source>
        <translation>第{0}層、ニューロン {1}</translation>
    </message>
    <message>
        <source>not computed yet</source>
        <translation>まだ計算していません</translation>
    </message>
    <message>
        <source> (batch mean)</source>
        <translation> (バッチ平均)</translation>
    </message>
    <message>
        <source>{0} → {1} (change {2})</source>
        <translation>{0} → {1} (変化量 {2})</translation>
    </message>
    <message>
        <source>forward layer {0}</source>
        <translation>第{0}層の順伝播</translation>
    </message>
    <message>
        <source>backward layer {0}</source>
        <translation>第{0}層の逆伝播</translation>
    </message>
    <message>
        <source>update</source>
        <translation>更新</translation>
    </message>
    <message>
        <source>Ready - next: forward layer 1</source>
        <translation>準備完了 - 次: 第1層の順伝播</translation>
    </message>
    <message>
        <source>Update done: iteration {0} applied - next: forward layer 1</source>
        <translation>更新完了: イテレーション {0} を反映 - 次: 第1層の順伝播</translation>
    </message>
    <message>
        <source>Loss computed</source>
        <translation>損失を計算済み</translation>
    </message>
    <message>
        <source>Forward: layer {0} of {1} done</source>
        <translation>順伝播: 第{0}層 (全{1}層) 完了</translation>
    </message>
    <message>
        <source>Backward: layer {0} of {1} done</source>
        <translation>逆伝播: 第{0}層 (全{1}層) 完了</translation>
    </message>
    <message>
        <source>{0} - next: {1}</source>
        <translation>{0} - 次: {1}</translation>
    </message>
    <message>
        <source>on training sample {0}</source>
        <translation>訓練サンプル {0} で</translation>
    </message>
    <message>
        <source> (sample {0} is not in this mini-batch)</source>
        <translation> (サンプル {0} はこのミニバッチに含まれません)</translation>
    </message>
    <message>
        <source>training sample {0}</source>
        <translation>訓練サンプル {0}</translation>
    </message>
    <message>
        <source>its one training row</source>
        <translation>その 1 行の訓練データ</translation>
    </message>
    <message>
        <source>on a mini-batch of 1: {0}{1}</source>
        <translation>1 件のミニバッチで: {0}{1}</translation>
    </message>
    <message>
        <source>sample {0}</source>
        <translation>サンプル {0}</translation>
    </message>
    <message>
        <source>row {0}</source>
        <translation>行 {0}</translation>
    </message>
    <message>
        <source>on a mini-batch of {0}: values shown for {1} (row {2}){3}; the gradient is the batch mean</source>
        <translation>{0} 件のミニバッチで: {1} (行 {2}) の値を表示{3}。勾配はバッチ平均</translation>
    </message>
    <message>
        <source> (the batch mean)</source>
        <translation> (バッチ平均)</translation>
    </message>
    <message>
        <source>iteration begun: the input is set; no layer computed yet</source>
        <translation>イテレーション開始: 入力を設定済み、まだどの層も計算していません</translation>
    </message>
    <message>
        <source>z = W a (no bias, as in the article)</source>
        <translation>z = W a (記事と同じくバイアスなし)</translation>
    </message>
    <message>
        <source>forward: layer {0} just computed {1} and a = f(z); edges: the weights used so far</source>
        <translation>順伝播: 第{0}層が {1} と a = f(z) を計算しました。線: ここまでに使った重み</translation>
    </message>
    <message>
        <source>loss: output nodes show prediction y, target t and each output&apos;s loss</source>
        <translation>損失: 出力層のニューロンに予測値 y、正解 t、出力ごとの損失を表示</translation>
    </message>
    <message>
        <source>backward: layer {0} just computed its error signal delta = dL/dz (nodes) and dL/dw{1} (edges); the layers after it were done first and their deltas reused</source>
        <translation>逆伝播: 第{0}層が誤差信号 delta = dL/dz (ニューロン) と dL/dw{1} (線) を計算しました。後ろの層が先に計算済みで、その delta を再利用しています</translation>
    </message>
    <message>
        <source>the change new - old</source>
        <translation>変化量 (新 - 旧)</translation>
    </message>
    <message>
        <source>the new weights</source>
        <translation>新しい重み</translation>
    </message>
    <message>
        <source>update: edges show {0}; hover or select an edge for old → new</source>
        <translation>更新: 線は{0}を表示。線にマウスを重ねるか選択すると 旧 → 新 を表示</translation>
    </message>
</context>
<context>
    <name>PhaseIndicator</name>
    <message>
        <source>Training runs - F11 pauses, then: forward layer 1</source>
        <translation>学習中 - F11 で一時停止、その後: 第1層の順伝播</translation>
    </message>
</context>
<context>
    <name>SampleChooser</name>
    <message>
        <source>mini-batch</source>
        <translation>ミニバッチ</translation>
    </message>
    <message>
        <source>Step on the next mini-batch, as Play does</source>
        <translation>学習開始と同じく、次のミニバッチで進めます</translation>
    </message>
    <message>
        <source>one sample</source>
        <translation>単一サンプル</translation>
    </message>
    <message>
        <source>Step on the chosen training sample alone: x^(i)</source>
        <translation>選んだ訓練サンプルだけで進めます: x^(i)</translation>
    </message>
    <message>
        <source>Training sample i: stepped alone in &apos;one sample&apos; mode; in a mini-batch its values are shown. Clicking a training point in the decision view picks it too.</source>
        <translation>訓練サンプル i: 「単一サンプル」では、このサンプルだけで進めます。ミニバッチでは、その値を表示します。決定境界の図で訓練データの点をクリックしても選べます。</translation>
    </message>
    <message>
        <source>Step on:</source>
        <translation>進める対象:</translation>
    </message>
    <message>
        <source>sample</source>
        <translation>サンプル</translation>
    </message>
</context>
</TS>
