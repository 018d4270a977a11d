<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="ja" sourcelanguage="en">
<context>
    <name>DataPanel</name>
    <message>
        <source>Data set:</source>
        <translation>データセット:</translation>
    </message>
    <message>
        <source>Noise:</source>
        <translation>ノイズ:</translation>
    </message>
    <message>
        <source>Samples:</source>
        <translation>サンプル数:</translation>
    </message>
    <message>
        <source>Validation share:</source>
        <translation>検証データの割合:</translation>
    </message>
    <message>
        <source>Seed:</source>
        <translation>シード:</translation>
    </message>
    <message>
        <source>Targets:</source>
        <translation>正解の列数:</translation>
    </message>
    <message>
        <source>Share of the samples held out for validation (0 - 0.9)</source>
        <translation>検証用に取り分けるサンプルの割合です (0 - 0.9)</translation>
    </message>
    <message>
        <source>Same seed, same samples and the same split</source>
        <translation>同じシードなら、同じサンプルと同じ分け方になります</translation>
    </message>
    <message>
        <source>Draw new samples (next seed)</source>
        <translation>新しいサンプルを生成します (次のシード)</translation>
    </message>
    <message>
        <source>Import CSV...</source>
        <translation>CSV を読み込む...</translation>
    </message>
    <message>
        <source>Load a CSV file of numbers (or drop one on the window)</source>
        <translation>数値の CSV ファイルを読み込みます (ウィンドウにドロップしても読み込めます)</translation>
    </message>
    <message>
        <source>How many of the last columns are targets</source>
        <translation>末尾の何列が正解データかを指定します</translation>
    </message>
    <message>
        <source>Standardise features</source>
        <translation>特徴量を標準化</translation>
    </message>
    <message>
        <source>Scale every input column to mean 0, standard deviation 1 (training rows&apos; statistics)</source>
        <translation>入力の各列を平均 0、標準偏差 1 にそろえます (訓練データの統計量を使います)</translation>
    </message>
    <message>
        <source>CSV: %1</source>
        <translation>CSV: %1</translation>
    </message>
    <message>
        <source>Regenerate</source>
        <translation>再生成</translation>
    </message>
    <message>
        <source>Reload</source>
        <translation>再読み込み</translation>
    </message>
    <message numerus="yes">
        <source>%n class(es)</source>
        <translation>
            <numerusform>%n クラス</numerusform>
        </translation>
    </message>
    <message>
        <source>regression</source>
        <translation>回帰</translation>
    </message>
    <message numerus="yes">
        <source>%1 training and %n validation sample(s)</source>
        <translation>
            <numerusform>訓練データ %1 個と検証データ %n 個のサンプル</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n input(s)</source>
        <translation>
            <numerusform>入力 %n 個</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n target column(s)</source>
        <translation>
            <numerusform>正解の列 %n 個</numerusform>
        </translation>
    </message>
    <message>
        <source>%1: %2, %3, %4, %5</source>
        <translation>%1: %2、%3、%4、%5</translation>
    </message>
    <message>
        <source>Import CSV</source>
        <translation>CSV を読み込む</translation>
    </message>
    <message>
        <source>CSV files (*.csv);;All files (*)</source>
        <translation>CSV ファイル (*.csv);;すべてのファイル (*)</translation>
    </message>
    <message>
        <source>Reading %1...</source>
        <translation>「%1」を読み込み中...</translation>
    </message>
</context>
<context>
    <name>Duration</name>
    <message>
        <source>{0} s</source>
        <translation>{0} 秒</translation>
    </message>
    <message>
        <source>{0} min</source>
        <translation>{0} 分</translation>
    </message>
</context>
<context>
    <name>EditLabel</name>
    <message>
        <source>layer %1 </source>
        <translation>第%1層の</translation>
    </message>
    <message>
        <source>width %1 -&gt; %2</source>
        <translation>幅 %1 → %2</translation>
    </message>
    <message>
        <source>activation %1 -&gt; %2</source>
        <translation>活性化関数 %1 → %2</translation>
    </message>
    <message>
        <source>insert layer %1 (%2 %3)</source>
        <translation>第%1層を挿入 (%2 個の %3)</translation>
    </message>
    <message>
        <source>remove layer %1 (%2 %3)</source>
        <translation>第%1層を削除 (%2 個の %3)</translation>
    </message>
    <message>
        <source>move layer %1 to %2</source>
        <translation>第%1層を第%2層へ移動</translation>
    </message>
    <message>
        <source>output %1/%2 -&gt; %3/%4</source>
        <translation>出力層 %1/%2 → %3/%4</translation>
    </message>
    <message>
        <source>biases on</source>
        <translation>バイアスあり</translation>
    </message>
    <message>
        <source>biases off</source>
        <translation>バイアスなし</translation>
    </message>
    <message>
        <source>initialisation %1 -&gt; %2</source>
        <translation>初期化 %1 → %2</translation>
    </message>
    <message>
        <source>seed %1 -&gt; %2</source>
        <translation>シード %1 → %2</translation>
    </message>
    <message>
        <source>network</source>
        <translation>ネットワーク</translation>
    </message>
    <message>
        <source>learning rate %1 -&gt; %2</source>
        <translation>学習率 η %1 → %2</translation>
    </message>
    <message>
        <source>optimiser %1 -&gt; %2</source>
        <translation>最適化手法 %1 → %2</translation>
    </message>
    <message>
        <source>batch size %1 -&gt; %2</source>
        <translation>バッチサイズ %1 → %2</translation>
    </message>
    <message>
        <source>full</source>
        <translation>全件</translation>
    </message>
    <message>
        <source>L2 %1 -&gt; %2</source>
        <translation>L2 %1 → %2</translation>
    </message>
    <message>
        <source>L1 %1 -&gt; %2</source>
        <translation>L1 %1 → %2</translation>
    </message>
    <message>
        <source>training settings</source>
        <translation>学習の設定</translation>
    </message>
    <message>
        <source>data %1</source>
        <translation>データ %1</translation>
    </message>
    <message>
        <source>data %1 -&gt; %2</source>
        <translation>データ %1 → %2</translation>
    </message>
    <message>
        <source>noise %1 -&gt; %2</source>
        <translation>ノイズ %1 → %2</translation>
    </message>
    <message>
        <source>samples %1 -&gt; %2</source>
        <translation>サンプル数 %1 → %2</translation>
    </message>
    <message>
        <source>validation share %1 -&gt; %2</source>
        <translation>検証データの割合 %1 → %2</translation>
    </message>
    <message>
        <source>data seed %1 -&gt; %2</source>
        <translation>データのシード %1 → %2</translation>
    </message>
    <message>
        <source>reset</source>
        <translation>リセット</translation>
    </message>
    <message>
        <source>import %1</source>
        <translation>「%1」の読み込み</translation>
    </message>
    <message>
        <source>, </source>
        <translation>、</translation>
    </message>
    <message>
        <source>circles</source>
        <translation>円</translation>
    </message>
    <message>
        <source>gaussians</source>
        <translation>ガウス分布</translation>
    </message>
    <message>
        <source>spiral</source>
        <translation>渦巻き</translation>
    </message>
    <message>
        <source>spiral3</source>
        <translation>渦巻き (3 クラス)</translation>
    </message>
    <message>
        <source>sine</source>
        <translation>正弦波</translation>
    </message>
    <message>
        <source>plane</source>
        <translation>平面</translation>
    </message>
    <message>
        <source>uniform</source>
        <translation>一様分布</translation>
    </message>
    <message>
        <source>normal</source>
        <translation>正規分布</translation>
    </message>
</context>
<context>
    <name>Histories</name>
    <message>
        <source>gradient-norm history with %1 layers</source>
        <translation>%1 層の勾配ノルムの履歴</translation>
    </message>
</context>
<context>
    <name>LayerEditor</name>
    <message>
        <source>Hidden layers:</source>
        <translation>隠れ層:</translation>
    </message>
    <message>
        <source>Output layer</source>
        <translation>出力層</translation>
    </message>
    <message>
        <source>Units:</source>
        <translation>ニューロン数:</translation>
    </message>
    <message>
        <source>Activation:</source>
        <translation>活性化関数:</translation>
    </message>
    <message>
        <source>Loss:</source>
        <translation>損失関数:</translation>
    </message>
    <message>
        <source>Initialisation:</source>
        <translation>初期化:</translation>
    </message>
    <message>
        <source>Seed:</source>
        <translation>シード:</translation>
    </message>
    <message>
        <source>Biases</source>
        <translation>バイアス</translation>
    </message>
    <message>
        <source>Without biases every layer computes z = W a (the article)</source>
        <translation>バイアスなしでは、各層は z = W a を計算します (記事と同じ)</translation>
    </message>
    <message>
        <source>Same seed, same initial weights</source>
        <translation>同じシードなら、同じ重みの初期値になります</translation>
    </message>
    <message>
        <source>Input: %1 (%2) - from the data</source>
        <translation>入力層: %1 (%2) - データから</translation>
    </message>
    <message>
        <source>%1 - from the data</source>
        <translation>%1 - データから</translation>
    </message>
    <message>
        <source>This network is large: each step takes ~{0}.</source>
        <translation>このネットワークは大きく、1ステップに約 {0} かかります。</translation>
    </message>
    <message>
        <source> -&gt; </source>
        <translation> → </translation>
    </message>
    <message>
        <source> (no bias)</source>
        <translation> (バイアスなし)</translation>
    </message>
    <message numerus="yes">
        <source>%n parameter(s)</source>
        <translation>
            <numerusform>パラメーター %n 個</numerusform>
        </translation>
    </message>
    <message>
        <source>%1, loss %2: %3</source>
        <translation>%1、損失関数 %2: %3</translation>
    </message>
    <message>
        <source>Not possible: %1</source>
        <translation>できません: %1</translation>
    </message>
    <message>
        <source>Limits: up to {0} hidden layers of 1 to {1:,} units and {2:,} parameters in all. A network whose step takes more than ~30 ms (on the 2-D examples from about two hidden layers of 128 units) steps in the background: Step and Step phase wait for it and Esc cancels it. The largest networks take seconds to minutes per step.</source>
        <translation>上限: 隠れ層は {0} 層まで、各層 1〜{1:,} ユニット、パラメーターは合計 {2:,} 個まで。1ステップに約 30 ms 以上かかるネットワーク(2次元の例では 128 ユニットの隠れ層 2 層ほどから)はバックグラウンドでステップを実行します: 「1ステップ」と「1フェーズ進む」はその完了を待ち、Esc で中止できます。最大のネットワークでは 1ステップに数秒から数分かかります。</translation>
    </message>
</context>
<context>
    <name>LayerEdits</name>
    <message>
        <source>unknown initialisation %1</source>
        <translation>不明な初期化 %1</translation>
    </message>
    <message>
        <source>the seed must be between 0 and %1</source>
        <translation>シードは 0 から %1 の間でなければなりません</translation>
    </message>
</context>
<context>
    <name>LayerTable</name>
    <message>
        <source>Width</source>
        <translation>幅</translation>
    </message>
    <message>
        <source>Activation</source>
        <translation>活性化関数</translation>
    </message>
    <message>
        <source>Hidden layers, from the input to the output layer</source>
        <translation>隠れ層 (入力層の側から出力層の側へ)</translation>
    </message>
    <message>
        <source>Layer %1</source>
        <translation>第%1層</translation>
    </message>
    <message>
        <source>Add</source>
        <translation>追加</translation>
    </message>
    <message>
        <source>Add a hidden layer before the output layer (a copy of the last hidden layer)</source>
        <translation>出力層の手前に隠れ層を追加します (最後の隠れ層のコピー)</translation>
    </message>
    <message>
        <source>Insert</source>
        <translation>挿入</translation>
    </message>
    <message>
        <source>Insert a hidden layer before the selected one (a copy of the layer before it, or of the selected one at the front)</source>
        <translation>選んだ層の手前に隠れ層を挿入します (その前の層のコピー、先頭では選んだ層のコピー)</translation>
    </message>
    <message>
        <source>Remove</source>
        <translation>削除</translation>
    </message>
    <message>
        <source>Remove the selected hidden layer</source>
        <translation>選んだ隠れ層を削除します</translation>
    </message>
    <message>
        <source>Move the selected layer towards the input</source>
        <translation>選んだ層を入力層の側へ移動します</translation>
    </message>
    <message>
        <source>Move the selected layer towards the output</source>
        <translation>選んだ層を出力層の側へ移動します</translation>
    </message>
</context>
<context>
    <name>TrainingController</name>
    <message>
        <source>the network is %1, the current problem needs %2</source>
        <translation>ネットワークは %1 ですが、今の問題には %2 が必要です</translation>
    </message>
    <message>
        <source>; paused at iteration %1</source>
        <translation>。イテレーション %1 で一時停止しました</translation>
    </message>
</context>
<context>
    <name>TrainingPanel</name>
    <message>
        <source>Full speed</source>
        <extracomment>(label, iterations per second or None for full speed); the labels are English, the combo shows them in the window&apos;s language (:func:`speed_text`)</extracomment>
        <translation>最高速度</translation>
    </message>
    <message>
        <source>%1 / s</source>
        <translation>%1 回/秒</translation>
    </message>
    <message>
        <source>Learning rate:</source>
        <extracomment>the spin boxes&apos; ranges are engine.limits&apos;, which every file reader and the command line check too: a file never carries a value these controls cannot show</extracomment>
        <translation>学習率 η:</translation>
    </message>
    <message>
        <source>Optimiser:</source>
        <translation>最適化手法:</translation>
    </message>
    <message>
        <source>Batch size:</source>
        <translation>バッチサイズ:</translation>
    </message>
    <message>
        <source>L2:</source>
        <translation>L2:</translation>
    </message>
    <message>
        <source>L1:</source>
        <translation>L1:</translation>
    </message>
    <message>
        <source>Speed:</source>
        <translation>速度:</translation>
    </message>
    <message>
        <source>Iteration:</source>
        <translation>イテレーション:</translation>
    </message>
    <message>
        <source>Epoch:</source>
        <translation>エポック:</translation>
    </message>
    <message>
        <source>Learning rate eta in w &lt;- w - eta * dL/dw (arrows: 1-2-5 steps)</source>
        <translation>w ← w - η ∂L/∂w の学習率 η です (矢印キーで 1-2-5 刻み)</translation>
    </message>
    <message>
        <source>full</source>
        <translation>全件</translation>
    </message>
    <message>
        <source>Samples per iteration; &apos;full&apos; (0) = the whole training set</source>
        <translation>1 イテレーションで使うサンプル数です。「全件」(0) は訓練データ全体 (ミニバッチなし) です</translation>
    </message>
    <message>
        <source>L2 penalty: adds l2 * w to every weight&apos;s gradient</source>
        <translation>L2 正則化: 各重みの勾配に l2 · w を加えます</translation>
    </message>
    <message>
        <source>L1 penalty: adds l1 * sign(w) to every gradient</source>
        <translation>L1 正則化: 各勾配に l1 · sign(w) を加えます</translation>
    </message>
    <message>
        <source>Slow training down to watch it learn</source>
        <translation>学習を遅くして、学習の様子を観察します</translation>
    </message>
</context>
<context>
    <name>TrainingWorker</name>
    <message>
        <source>cannot reach the training process: %1</source>
        <translation>学習プロセスに接続できません: %1</translation>
    </message>
    <message>
        <source>training thread failed: %1</source>
        <translation>学習スレッドが失敗しました: %1</translation>
    </message>
    <message>
        <source>garbled reply from the training process: %1</source>
        <translation>学習プロセスからの応答が壊れています: %1</translation>
    </message>
    <message>
        <source>the training process stopped unexpectedly (exit code %1)</source>
        <translation>学習プロセスが予期せず終了しました (終了コード %1)</translation>
    </message>
    <message>
        <source>; details in the error log</source>
        <translation>。詳しくはエラーログにあります</translation>
    </message>
</context>
</TS>
