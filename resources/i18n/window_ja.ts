<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="ja" sourcelanguage="en">
<context>
    <name>About</name>
    <message>
        <source>Build a multilayer perceptron layer by layer, train it, and watch backpropagation: the forward pass, the loss, every weight&apos;s gradient by the chain rule, the update.</source>
        <translation>多層パーセプトロンを層ごとに組み立てて学習させ、誤差逆伝搬法を目で見て確かめます: 順伝播、損失、チェインルール(合成微分)による各重みの勾配、そしてパラメーターの更新。</translation>
    </message>
    <message>
        <source>&lt;p&gt;MIT licence. &lt;code&gt;backprop-lab --version&lt;/code&gt; prints the version.&lt;/p&gt;</source>
        <translation>&lt;p&gt;MIT ライセンス。&lt;code&gt;backprop-lab --version&lt;/code&gt; でバージョンを表示します。&lt;/p&gt;</translation>
    </message>
    <message>
        <source>About Backprop Lab</source>
        <translation>Backprop Lab について</translation>
    </message>
</context>
<context>
    <name>Appearance</name>
    <message>
        <source>&amp;Full Screen</source>
        <translation>全画面表示(&amp;F)</translation>
    </message>
    <message>
        <source>Reset &amp;Layout</source>
        <translation>レイアウトをリセット(&amp;L)</translation>
    </message>
    <message>
        <source>&amp;Theme</source>
        <translation>テーマ(&amp;T)</translation>
    </message>
    <message>
        <source>Follow the System</source>
        <translation>システムに従う</translation>
    </message>
    <message>
        <source>Light</source>
        <translation>ライト</translation>
    </message>
    <message>
        <source>Dark</source>
        <translation>ダーク</translation>
    </message>
</context>
<context>
    <name>Docks</name>
    <message>
        <source>Network</source>
        <extracomment>the context of the dock titles (translated when shown: :class:`DockTitles`) (objectName, title, attribute, module, class) of every view dock.</extracomment>
        <translation>ネットワーク</translation>
    </message>
    <message>
        <source>Decision boundary / fit</source>
        <translation>決定境界 / フィット</translation>
    </message>
    <message>
        <source>Loss</source>
        <translation>損失</translation>
    </message>
    <message>
        <source>Gradient norms per layer</source>
        <translation>層ごとの勾配ノルム</translation>
    </message>
    <message>
        <source>Weights and gradients</source>
        <translation>重みと勾配</translation>
    </message>
    <message>
        <source>Training</source>
        <extracomment>the panels&apos; docks and the inspector&apos;s: objectName -&gt; title</extracomment>
        <translation>学習</translation>
    </message>
    <message>
        <source>Network builder</source>
        <translation>ネットワークの構成</translation>
    </message>
    <message>
        <source>Data</source>
        <translation>データ</translation>
    </message>
    <message>
        <source>Chain rule</source>
        <translation>チェインルール(合成微分)</translation>
    </message>
</context>
<context>
    <name>FileOperations</name>
    <message>
        <source>Please wait</source>
        <extracomment>the busy message (English; shown translated, context &quot;FileOperations&quot;)</extracomment>
        <translation>お待ちください</translation>
    </message>
    <message>
        <source>Another file operation is still under way.</source>
        <translation>別のファイル操作がまだ実行中です。</translation>
    </message>
</context>
<context>
    <name>HangNotice</name>
    <message>
        <source>Training is not responding</source>
        <translation>学習が応答していません</translation>
    </message>
    <message>
        <source>The training process has not answered for a while: it may be stuck. Stop it? Training then pauses at its last checkpoint (at most about a second earlier); No keeps waiting.</source>
        <translation>学習プロセスがしばらく応答していません。止まっている可能性があります。停止しますか? 停止すると、学習は最後のチェックポイント(最大で約 1 秒前)で一時停止します。「いいえ」を選ぶと待ち続けます。</translation>
    </message>
    <message>
        <source>The training process is not responding</source>
        <translation>学習プロセスが応答していません</translation>
    </message>
</context>
<context>
    <name>Help</name>
    <message>
        <source>&amp;Keyboard Shortcuts</source>
        <translation>キーボードショートカット(&amp;K)</translation>
    </message>
    <message>
        <source>&amp;About Backprop Lab</source>
        <translation>Backprop Lab について(&amp;A)</translation>
    </message>
</context>
<context>
    <name>LabBinding</name>
    <message>
        <source>Edit &gt; Undo ({0})</source>
        <translation>編集 &gt; 元に戻す ({0})</translation>
    </message>
    <message>
        <source>Edit &gt; Undo</source>
        <translation>編集 &gt; 元に戻す</translation>
    </message>
    <message>
        <source>{0}: the network starts afresh from its seed. {1} brings back the trained network.</source>
        <translation>{0}: ネットワークはシードから初期化し直されました。{1} で学習済みのネットワークに戻せます。</translation>
    </message>
    <message>
        <source>{0}. {1} takes it back.</source>
        <translation>{0}。{1} で取り消せます。</translation>
    </message>
    <message>
        <source>Changed the network ({0})</source>
        <translation>ネットワークを変更しました ({0})</translation>
    </message>
    <message>
        <source>Switched to the data {0}</source>
        <translation>データを {0} に切り替えました</translation>
    </message>
    <message>
        <source>Cannot load the data</source>
        <translation>データを読み込めません</translation>
    </message>
    <message>
        <source>Invalid training settings</source>
        <translation>学習の設定が正しくありません</translation>
    </message>
</context>
<context>
    <name>LanguageMenu</name>
    <message>
        <source>&amp;Language</source>
        <translation>言語(&amp;L)</translation>
    </message>
    <message>
        <source>Follow the System</source>
        <translation>システムに従う</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <source>Training diverged</source>
        <extracomment>The example the window opens with (engine.defaults, shared with the command line). the actions of the parts, also reachable as window attributes (automation interface)</extracomment>
        <translation>学習が発散しました</translation>
    </message>
    <message>
        <source>Training stopped</source>
        <translation>学習が止まりました</translation>
    </message>
</context>
<context>
    <name>Menus</name>
    <message>
        <source>&amp;File</source>
        <extracomment>(key, title, objectName, sections) of every top-level menu, in menu-bar order; the titles are translated in the context &quot;Menus&quot;</extracomment>
        <translation>ファイル(&amp;F)</translation>
    </message>
    <message>
        <source>&amp;Edit</source>
        <translation>編集(&amp;E)</translation>
    </message>
    <message>
        <source>&amp;Train</source>
        <translation>学習(&amp;T)</translation>
    </message>
    <message>
        <source>&amp;View</source>
        <translation>表示(&amp;V)</translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation>ヘルプ(&amp;H)</translation>
    </message>
</context>
<context>
    <name>Placeholder</name>
    <message>
        <source>Loading...</source>
        <extracomment>the dynamic property holding a dock&apos;s English title</extracomment>
        <translation>読み込み中...</translation>
    </message>
</context>
<context>
    <name>PlotFiles</name>
    <message>
        <source>Network view</source>
        <extracomment>(menu text, window attribute) of the views File &gt; Export Plot offers (English; shown translated, context &quot;PlotFiles&quot;)</extracomment>
        <translation>ネットワーク図</translation>
    </message>
    <message>
        <source>Decision boundary / fit</source>
        <translation>決定境界 / フィット</translation>
    </message>
    <message>
        <source>Loss curve</source>
        <translation>損失の推移</translation>
    </message>
    <message>
        <source>Gradient norms</source>
        <translation>勾配ノルム</translation>
    </message>
    <message>
        <source>Weights and gradients</source>
        <translation>重みと勾配</translation>
    </message>
    <message>
        <source>Export &amp;Plot</source>
        <translation>グラフを書き出す(&amp;P)</translation>
    </message>
    <message>
        <source>{0}...</source>
        <translation>{0}...</translation>
    </message>
    <message>
        <source>Export Loss History as &amp;CSV...</source>
        <translation>損失の履歴を CSV で書き出す(&amp;C)...</translation>
    </message>
    <message>
        <source>Cannot export the plot</source>
        <translation>グラフを書き出せません</translation>
    </message>
    <message>
        <source>Plot saved to {0}</source>
        <translation>グラフを {0} に保存しました</translation>
    </message>
    <message>
        <source>Exporting {0}...</source>
        <translation>{0} を書き出しています...</translation>
    </message>
    <message>
        <source>Cannot export the loss history</source>
        <translation>損失の履歴を書き出せません</translation>
    </message>
    <message>
        <source>Loss history saved to {0}</source>
        <translation>損失の履歴を {0} に保存しました</translation>
    </message>
    <message>
        <source>Export plot</source>
        <translation>グラフを書き出す</translation>
    </message>
    <message>
        <source>PNG image (*.png)</source>
        <translation>PNG 画像 (*.png)</translation>
    </message>
    <message>
        <source>SVG drawing (*.svg)</source>
        <translation>SVG 図形 (*.svg)</translation>
    </message>
    <message>
        <source>Export loss history</source>
        <translation>損失の履歴を書き出す</translation>
    </message>
    <message>
        <source>CSV table (*.csv)</source>
        <translation>CSV 表 (*.csv)</translation>
    </message>
</context>
<context>
    <name>Recovery</name>
    <message>
        <source>Backprop Lab did not close normally. Restore the unsaved work of {0} (iteration {1})?</source>
        <translation>Backprop Lab は正常に終了しませんでした。「{0}」の保存されていない作業 (イテレーション {1}) を復元しますか?</translation>
    </message>
    <message>
        <source>Restore unsaved work?</source>
        <translation>保存されていない作業を復元しますか?</translation>
    </message>
    <message>
        <source>Cannot restore the unsaved work</source>
        <translation>保存されていない作業を復元できません</translation>
    </message>
    <message>
        <source>Restored unsaved work at iteration {0}</source>
        <translation>保存されていない作業をイテレーション {0} の時点で復元しました</translation>
    </message>
    <message>
        <source>Autosave skipped: {0}</source>
        <translation>自動保存をスキップしました: {0}</translation>
    </message>
</context>
<context>
    <name>SessionFiles</name>
    <message>
        <source>Untitled</source>
        <extracomment>the English texts (shown translated: :func:`session_filter`, :func:`untitled`)</extracomment>
        <translation>無題</translation>
    </message>
    <message>
        <source>Backprop Lab sessions ({0})</source>
        <translation>Backprop Lab セッション ({0})</translation>
    </message>
    <message>
        <source>&amp;New</source>
        <translation>新規(&amp;N)</translation>
    </message>
    <message>
        <source>&amp;Open...</source>
        <translation>開く(&amp;O)...</translation>
    </message>
    <message>
        <source>&amp;Save</source>
        <translation>保存(&amp;S)</translation>
    </message>
    <message>
        <source>Save &amp;As...</source>
        <translation>名前を付けて保存(&amp;A)...</translation>
    </message>
    <message>
        <source>Open &amp;Recent</source>
        <translation>最近使ったファイル(&amp;R)</translation>
    </message>
    <message>
        <source>starting a new session</source>
        <translation>新しいセッションを始める</translation>
    </message>
    <message>
        <source>New session</source>
        <translation>新しいセッション</translation>
    </message>
    <message>
        <source>opening another session</source>
        <translation>別のセッションを開く</translation>
    </message>
    <message>
        <source>Open session</source>
        <translation>セッションを開く</translation>
    </message>
    <message>
        <source>Cannot open the session</source>
        <translation>セッションを開けません</translation>
    </message>
    <message>
        <source>Opening {0}...</source>
        <translation>{0} を開いています...</translation>
    </message>
    <message>
        <source>Opened {0} at iteration {1}</source>
        <translation>{0} をイテレーション {1} の時点で開きました</translation>
    </message>
    <message>
        <source> (loss curves not restored: {0})</source>
        <translation> (損失の推移は復元されませんでした: {0})</translation>
    </message>
    <message>
        <source>Save session</source>
        <translation>セッションを保存</translation>
    </message>
    <message>
        <source>Cannot save the session</source>
        <translation>セッションを保存できません</translation>
    </message>
    <message>
        <source>there is no network to save yet</source>
        <translation>保存するネットワークがまだありません</translation>
    </message>
    <message>
        <source>Saved {0}</source>
        <translation>{0} に保存しました</translation>
    </message>
    <message>
        <source>Saving {0}...</source>
        <translation>{0} を保存しています...</translation>
    </message>
    <message>
        <source>No recent sessions</source>
        <translation>最近使ったセッションはありません</translation>
    </message>
    <message>
        <source>Clear Menu</source>
        <translation>一覧を消去</translation>
    </message>
    <message>
        <source>Closing when the file operation ends...</source>
        <translation>ファイル操作が終わったら閉じます...</translation>
    </message>
    <message>
        <source>closing</source>
        <translation>閉じる</translation>
    </message>
</context>
<context>
    <name>ShortcutsDialog</name>
    <message>
        <source>Window</source>
        <extracomment>the dynamic property holding an action&apos;s stable command name the last key every keyboard has: Escape .. F12 (and printable keys below them)</extracomment>
        <translation>ウィンドウ</translation>
    </message>
    <message>
        <source>Network view</source>
        <translation>ネットワーク図</translation>
    </message>
    <message>
        <source>Inspect a weight</source>
        <translation>重みを調べる</translation>
    </message>
    <message>
        <source>Click its edge</source>
        <translation>その辺をクリック</translation>
    </message>
    <message>
        <source>Keyboard Shortcuts</source>
        <translation>キーボードショートカット</translation>
    </message>
    <message>
        <source>Menu</source>
        <translation>メニュー</translation>
    </message>
    <message>
        <source>Command</source>
        <translation>コマンド</translation>
    </message>
    <message>
        <source>Keys</source>
        <translation>キー</translation>
    </message>
</context>
<context>
    <name>StatusLine</name>
    <message>
        <source>iteration {0}</source>
        <translation>イテレーション {0}</translation>
    </message>
    <message>
        <source>epoch {0}</source>
        <translation>エポック {0}</translation>
    </message>
    <message>
        <source>loss {0}</source>
        <translation>損失 {0}</translation>
    </message>
    <message>
        <source>accuracy {0}</source>
        <translation>正解率 {0}</translation>
    </message>
    <message>
        <source>(on a sample of {0} rows)</source>
        <translation>(標本 {0} 行で評価)</translation>
    </message>
    <message>
        <source>{0} it/s</source>
        <translation>{0} it/s</translation>
    </message>
</context>
<context>
    <name>Stepping</name>
    <message>
        <source>Step phase</source>
        <translation>1フェーズ進む</translation>
    </message>
    <message>
        <source>One phase: forward layer by layer, loss, backward layer by layer, update (F11)</source>
        <translation>1 フェーズ: 層ごとの順伝播、損失、層ごとの逆伝播、更新 (F11)</translation>
    </message>
    <message>
        <source>Finish iteration</source>
        <translation>残りを実行</translation>
    </message>
    <message>
        <source>Run the rest of the iteration under way (Shift+F11)</source>
        <translation>実行中のイテレーションの残りを実行 (Shift+F11)</translation>
    </message>
    <message>
        <source>Copy derivation as Markdown</source>
        <translation>導出を Markdown でコピー</translation>
    </message>
    <message>
        <source>The worked example for the inspected weight</source>
        <translation>調べている重みの計算例</translation>
    </message>
    <message>
        <source>Export derivation...</source>
        <translation>導出を書き出す...</translation>
    </message>
    <message>
        <source>Step by step</source>
        <translation>ステップ実行</translation>
    </message>
    <message>
        <source>No iteration under way: Step phase (F11) begins one</source>
        <translation>実行中のイテレーションはありません: 「1フェーズ進む」(F11) で始まります</translation>
    </message>
    <message>
        <source>Cannot export the derivation</source>
        <translation>導出を書き出せません</translation>
    </message>
    <message>
        <source>Derivation saved to {0}</source>
        <translation>導出を {0} に保存しました</translation>
    </message>
    <message>
        <source>Iteration {0} {1}</source>
        <translation>イテレーション {0} {1}</translation>
    </message>
    <message>
        <source>Derivation copied as Markdown</source>
        <translation>導出を Markdown でコピーしました</translation>
    </message>
    <message>
        <source>Export derivation</source>
        <translation>導出を書き出す</translation>
    </message>
    <message>
        <source>Markdown (*.md)</source>
        <translation>Markdown (*.md)</translation>
    </message>
</context>
<context>
    <name>TrainingActions</name>
    <message>
        <source>Play / Pause</source>
        <translation>学習開始 / 一時停止</translation>
    </message>
    <message>
        <source>Play / pause training (Space)</source>
        <translation>学習を開始 / 一時停止 (Space)</translation>
    </message>
    <message>
        <source>Step</source>
        <translation>1ステップ</translation>
    </message>
    <message>
        <source>One iteration: forward, loss, backward, update (F10)</source>
        <translation>1 イテレーション: 順伝播、損失、逆伝播、更新 (F10)</translation>
    </message>
    <message>
        <source>Reset</source>
        <translation>リセット</translation>
    </message>
    <message>
        <source>Re-initialise the weights from the seed (Ctrl+R)</source>
        <translation>重みをシードから初期化し直す (Ctrl+R)</translation>
    </message>
    <message>
        <source>Cancel step</source>
        <translation>ステップを中止</translation>
    </message>
    <message>
        <source>Cancel the step under way (Esc)</source>
        <translation>実行中のステップを中止します (Esc)</translation>
    </message>
    <message>
        <source>Quit</source>
        <translation>終了</translation>
    </message>
    <message>
        <source>Pause</source>
        <translation>一時停止</translation>
    </message>
    <message>
        <source>Play</source>
        <translation>学習開始</translation>
    </message>
    <message>
        <source>Pausing after the running iteration (a large network)...</source>
        <translation>実行中のイテレーションが終わりしだい一時停止します(大きなネットワーク)...</translation>
    </message>
    <message>
        <source>This network is large: each step takes ~{0} - Esc cancels</source>
        <translation>このネットワークは大きく、1ステップに約 {0} かかります - Esc で中止</translation>
    </message>
</context>
<context>
    <name>UndoActions</name>
    <message>
        <source>Undo</source>
        <translation>元に戻す</translation>
    </message>
    <message>
        <source>Redo</source>
        <translation>やり直す</translation>
    </message>
    <message>
        <source>Undo: {0}</source>
        <translation>元に戻す: {0}</translation>
    </message>
    <message>
        <source>Redo: {0}</source>
        <translation>やり直す: {0}</translation>
    </message>
</context>
<context>
    <name>UnexpectedError</name>
    <message>
        <source>Unexpected error in {0}</source>
        <translation>予期しないエラー ({0})</translation>
    </message>
    <message>
        <source>Unexpected error</source>
        <translation>予期しないエラー</translation>
    </message>
</context>
<context>
    <name>WeightFiles</name>
    <message>
        <source>JSON model (*.json)</source>
        <extracomment>suffix -&gt; the export dialog&apos;s filter (English; shown translated: :func:`export_filters`)</extracomment>
        <translation>JSON モデル (*.json)</translation>
    </message>
    <message>
        <source>NumPy arrays (*.npz)</source>
        <translation>NumPy 配列 (*.npz)</translation>
    </message>
    <message>
        <source>ONNX inference graph (*.onnx)</source>
        <translation>ONNX 推論グラフ (*.onnx)</translation>
    </message>
    <message>
        <source>Weight files (*.json *.npz *.safetensors)</source>
        <translation>重みファイル (*.json *.npz *.safetensors)</translation>
    </message>
    <message>
        <source>Export weights...</source>
        <translation>重みを書き出す...</translation>
    </message>
    <message>
        <source>Import weights...</source>
        <translation>重みを読み込む...</translation>
    </message>
    <message>
        <source>Weights saved to {0}</source>
        <translation>重みを {0} に保存しました</translation>
    </message>
    <message>
        <source>Cannot export the weights</source>
        <translation>重みを書き出せません</translation>
    </message>
    <message>
        <source>Exporting the weights...</source>
        <translation>重みを書き出しています...</translation>
    </message>
    <message>
        <source>Cannot import the weights</source>
        <translation>重みを読み込めません</translation>
    </message>
    <message>
        <source>Reading the weights...</source>
        <translation>重みを読み込んでいます...</translation>
    </message>
    <message>
        <source>Imported {0}: {1}</source>
        <translation>{0} を読み込みました: {1}</translation>
    </message>
    <message>
        <source>its {0} output layer does not suit the data {1}</source>
        <translation>{0} の出力層はデータ {1} に合いません</translation>
    </message>
    <message>
        <source>the network {0} does not fit the data: {1}</source>
        <translation>ネットワーク {0} はデータに合いません: {1}</translation>
    </message>
    <message>
        <source>Export weights</source>
        <translation>重みを書き出す</translation>
    </message>
    <message>
        <source>Import weights</source>
        <translation>重みを読み込む</translation>
    </message>
</context>
<context>
    <name>file_dialogs</name>
    <message>
        <source>All files (*)</source>
        <extracomment>``then(path, chosen_filter)``: the continuation of the operation that asked.</extracomment>
        <translation>すべてのファイル (*)</translation>
    </message>
</context>
<context>
    <name>questions</name>
    <message>
        <source>Unsaved changes</source>
        <extracomment>The answers of the Save / Discard / Cancel question. How a prepared box is shown: ``show(box)``. Tests replace it (see :func:`answer_with`); the app&apos;s is ``box.open()``.</extracomment>
        <translation>保存されていない変更</translation>
    </message>
    <message>
        <source>Save the changes to {name} before {doing}?</source>
        <translation>{doing}前に「{name}」の変更を保存しますか?</translation>
    </message>
    <message>
        <source>Training progress and edits since the last save are lost if you discard them.</source>
        <translation>破棄すると、最後に保存してからの学習の進み具合と編集は失われます。</translation>
    </message>
</context>
</TS>
