<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="ja_JP">
<context>
    <name>messages</name>
    <message>
        <source>{what} must be a number, got {value}</source>
        <extracomment>kind -&gt; template of the whole line (no file name for these kinds).</extracomment>
        <translation>{what}は数値で指定してください(指定された値: {value})</translation>
    </message>
    <message>
        <source>{what} must be a finite number, got {value}</source>
        <translation>{what}は有限の数値で指定してください(指定された値: {value})</translation>
    </message>
    <message>
        <source>{what} must be {left} and {right}, got {value}</source>
        <translation>{what}は{left}、{right}にしてください(指定された値: {value})</translation>
    </message>
    <message>
        <source>{what} must be a whole number, got {value}</source>
        <translation>{what}は整数で指定してください(指定された値: {value})</translation>
    </message>
    <message>
        <source>{what} must be between {lo} and {hi}, got {value}</source>
        <translation>{what}は {lo} から {hi} までの整数にしてください(指定された値: {value})</translation>
    </message>
    <message>
        <source>{what} contains NaN or infinite values</source>
        <translation>{what}に NaN または無限大の値が含まれています</translation>
    </message>
    <message>
        <source>{what} has a value of {value}: values must be at most {limit} in size</source>
        <translation>{what}に大きさ {value} の値があります。値の大きさは {limit} 以下でなければなりません</translation>
    </message>
    <message>
        <source>a network needs at least one layer (the output layer)</source>
        <translation>ネットワークには少なくとも一つの層(出力層)が必要です</translation>
    </message>
    <message>
        <source>at most {limit} layers are supported, got {count}</source>
        <translation>層は {limit} 個までです(指定された層: {count} 個)</translation>
    </message>
    <message>
        <source>layer {layer}: unknown activation {activation} (known: {known})</source>
        <translation>第{layer}層: 活性化関数 {activation} は使えません(使えるもの: {known})</translation>
    </message>
    <message>
        <source>layer {layer}: {activation} is only allowed on the output layer</source>
        <translation>第{layer}層: {activation} は出力層でのみ使えます</translation>
    </message>
    <message>
        <source>the network would have {count} parameters; at most {limit} are supported</source>
        <translation>ネットワークのパラメーターが {count} 個になります。扱えるのは {limit} 個までです</translation>
    </message>
    <message>
        <source>{what} must be between 1 and {limit}, got {value}</source>
        <translation>{what}は 1 から {limit} までにしてください(指定された値: {value})</translation>
    </message>
    <message>
        <source>training diverged at step {step}: the activations of layer {layer} (and so the loss) became non-finite (NaN or infinity); the last finite weights were kept - try a smaller learning rate</source>
        <translation>イテレーション {step} で学習が発散しました: 第{layer}層の活性化関数の出力(したがって損失)が NaN または無限大になりました。最後の有限な重みを残しました。学習率 η を小さくしてみてください</translation>
    </message>
    <message>
        <source>training diverged at step {step}: the loss of the outputs of layer {layer} became non-finite (NaN or infinity); the last finite weights were kept - try a smaller learning rate</source>
        <translation>イテレーション {step} で学習が発散しました: 第{layer}層の出力から求めた損失が NaN または無限大になりました。最後の有限な重みを残しました。学習率 η を小さくしてみてください</translation>
    </message>
    <message>
        <source>training diverged at step {step}: the loss became non-finite (NaN or infinity); the last finite weights were kept - try a smaller learning rate</source>
        <translation>イテレーション {step} で学習が発散しました: 損失が NaN または無限大になりました。最後の有限な重みを残しました。学習率 η を小さくしてみてください</translation>
    </message>
    <message>
        <source>training diverged at step {step}: the gradients of layer {layer} became non-finite (NaN or infinity); the last finite weights were kept - try a smaller learning rate</source>
        <translation>イテレーション {step} で学習が発散しました: 第{layer}層の勾配が NaN または無限大になりました。最後の有限な重みを残しました。学習率 η を小さくしてみてください</translation>
    </message>
    <message>
        <source>training diverged at step {step}: the weights of layer {layer} became non-finite (NaN or infinity); the last finite weights were kept - try a smaller learning rate</source>
        <translation>イテレーション {step} で学習が発散しました: 第{layer}層の重みが NaN または無限大になりました。最後の有限な重みを残しました。学習率 η を小さくしてみてください</translation>
    </message>
    <message>
        <source>training diverged at step {step}: the weights of layer {layer} grew beyond {limit} in size; the last finite weights were kept - try a smaller learning rate</source>
        <translation>イテレーション {step} で学習が発散しました: 第{layer}層の重みの大きさが {limit} を超えました。最後の有限な重みを残しました。学習率 η を小さくしてみてください</translation>
    </message>
    <message>
        <source>cannot standardise input {which}: it has the same value ({value}) in every training row (it is constant), so its standard deviation is 0; turn standardisation off or remove the column</source>
        <translation>入力の{which}を標準化できません: すべての訓練データで同じ値({value})です(定数の列です)。標準偏差が 0 になるため、標準化をオフにするか、この列を取り除いてください</translation>
    </message>
    <message>
        <source>cannot standardise input {which}: it has the same value ({value}) in every training row (there is only one training row), so its standard deviation is 0; turn standardisation off or remove the column</source>
        <translation>入力の{which}を標準化できません: すべての訓練データで同じ値({value})です(訓練データが一行しかありません)。標準偏差が 0 になるため、標準化をオフにするか、この列を取り除いてください</translation>
    </message>
    <message>
        <source>this is a folder, not a file</source>
        <extracomment>CSV kind -&gt; template of the reason (after &quot;&lt;file&gt;, row R, column C: &quot;).</extracomment>
        <translation>これはファイルではなくフォルダーです</translation>
    </message>
    <message>
        <source>this is not a regular file</source>
        <translation>通常のファイルではありません</translation>
    </message>
    <message>
        <source>file is {size}, over the {limit} limit</source>
        <translation>ファイルの大きさが {size} で、上限の {limit} を超えています</translation>
    </message>
    <message>
        <source>file is over the {limit} limit</source>
        <translation>ファイルの大きさが上限の {limit} を超えています</translation>
    </message>
    <message>
        <source>cannot open the file: {detail}</source>
        <translation>ファイルを開けません: {detail}</translation>
    </message>
    <message>
        <source>byte {byte} is not UTF-8 text (save the file as &apos;CSV UTF-8&apos;)</source>
        <translation>バイト {byte} は UTF-8 のテキストではありません(「CSV UTF-8」形式で保存してください)</translation>
    </message>
    <message>
        <source>missing value</source>
        <translation>値がありません</translation>
    </message>
    <message>
        <source>non-finite value {value}</source>
        <translation>{value} は有限の数値ではありません</translation>
    </message>
    <message>
        <source>{value} is not a number</source>
        <translation>{value} は数値ではありません</translation>
    </message>
    <message>
        <source>{value} is not a number: only ASCII digits 0-9 are read, as in 1000, -2.5 or 3e-4 (no &apos;_&apos; separators, no digits of other scripts)</source>
        <translation>{value} は数値ではありません: 読めるのは半角の数字 0-9 だけです (例: 1000, -2.5, 3e-4。区切りの &apos;_&apos; や全角・他の文字体系の数字は使えません)</translation>
    </message>
    <message>
        <source>{count} columns, but a network takes at most {max_inputs:,} input columns (plus the {targets} target columns)</source>
        <translation>{count} 列ありますが、ネットワークの入力は最大 {max_inputs:,} 列です (ほかに目標値の列が {targets} 列)</translation>
    </message>
    <message>
        <source>targets must be at most {limit} (the widest output layer), got {targets}</source>
        <translation>目標値の列数は {limit} 以下にしてください (出力層の最大の幅)。指定: {targets}</translation>
    </message>
    <message>
        <source>targets={targets} but the file has {width} columns; at least one feature column is needed</source>
        <translation>targets={targets} ですが、ファイルには {width} 列しかありません。入力の列が少なくとも一列必要です</translation>
    </message>
    <message>
        <source>expected {expected} columns, found {found}</source>
        <translation>{expected} 列のはずですが、{found} 列あります</translation>
    </message>
    <message>
        <source>unreadable CSV ({detail})</source>
        <translation>CSV として読み取れません({detail})</translation>
    </message>
    <message>
        <source>the file is empty</source>
        <translation>ファイルが空です</translation>
    </message>
    <message>
        <source>only a header row, no data</source>
        <translation>見出し行だけで、データがありません</translation>
    </message>
    <message>
        <source>targets must be a whole number &gt;= 1, got {value}</source>
        <translation>targets は 1 以上の整数にしてください(指定された値: {value})</translation>
    </message>
    <message>
        <source>{count} columns, but a network takes at most {max_inputs:,} input columns (plus the 1 target column)</source>
        <translation>{count} 列ありますが、ネットワークの入力は最大 {max_inputs:,} 列です (ほかに目標値の列が 1 列)</translation>
    </message>
    <message>
        <source>targets={targets} but the file has 1 column; at least one feature column is needed</source>
        <translation>targets={targets} ですが、ファイルには 1 列しかありません。入力の列が少なくとも一列必要です</translation>
    </message>
    <message>
        <source>not a regular file</source>
        <extracomment>weight / session file kind -&gt; template of the problem (after &quot;&lt;file&gt;: &quot;).</extracomment>
        <translation>通常のファイルではありません</translation>
    </message>
    <message>
        <source>the file is {size} bytes, more than the {limit} limit for this format</source>
        <translation>ファイルの大きさが {size} バイトで、この形式の上限 {limit} を超えています</translation>
    </message>
    <message>
        <source>the file changed while it was being read</source>
        <translation>読み込み中にファイルが変更されました</translation>
    </message>
    <message>
        <source>the network has NaN or infinite weights (it diverged); not saved</source>
        <translation>ネットワークの重みに NaN または無限大があります(発散しました)。保存しませんでした</translation>
    </message>
    <message>
        <source>invalid architecture: {inner}</source>
        <translation>ネットワークの構成が正しくありません: {inner}</translation>
    </message>
    <message>
        <source>architecture: {inner}</source>
        <translation>ネットワークの構成: {inner}</translation>
    </message>
    <message>
        <source>data: {inner}</source>
        <translation>データ: {inner}</translation>
    </message>
    <message>
        <source>not UTF-8 text (byte {byte})</source>
        <translation>UTF-8 のテキストではありません(バイト {byte})</translation>
    </message>
    <message>
        <source>not a model file: {count} JSON brackets (at most {limit})</source>
        <translation>モデルファイルではありません: JSON の括弧が {count} 個あります(最大 {limit} 個)</translation>
    </message>
    <message>
        <source>invalid JSON: nested too deeply</source>
        <translation>JSON が正しくありません: 入れ子が深すぎます</translation>
    </message>
    <message>
        <source>invalid JSON at line {line} column {column}: {detail}</source>
        <translation>JSON が正しくありません({line} 行目、{column} 列目): {detail}</translation>
    </message>
    <message>
        <source>the learning rate</source>
        <extracomment>Names of values (the ``what`` of a range error) that the catalogue translates; any other name (a session file&apos;s key, say) is shown as the engine wrote it.</extracomment>
        <translation>学習率 η</translation>
    </message>
    <message>
        <source>the batch size</source>
        <translation>バッチサイズ</translation>
    </message>
    <message>
        <source>the noise</source>
        <translation>ノイズ</translation>
    </message>
    <message>
        <source>the seed</source>
        <translation>シード</translation>
    </message>
    <message>
        <source>the rate</source>
        <translation>係数</translation>
    </message>
    <message>
        <source>the iteration count</source>
        <translation>イテレーション数</translation>
    </message>
    <message>
        <source>the epoch count</source>
        <translation>エポック数</translation>
    </message>
    <message>
        <source>the optimizer&apos;s update count</source>
        <translation>最適化手法の更新回数</translation>
    </message>
    <message>
        <source>the network</source>
        <translation>ネットワーク</translation>
    </message>
    <message>
        <source>the data</source>
        <translation>データ</translation>
    </message>
    <message>
        <source>the data&apos;s inputs</source>
        <translation>入力データ</translation>
    </message>
    <message>
        <source>the data&apos;s targets</source>
        <translation>正解データ</translation>
    </message>
    <message>
        <source>the data&apos;s validation inputs</source>
        <translation>検証用の入力データ</translation>
    </message>
    <message>
        <source>the data&apos;s validation targets</source>
        <translation>検証用の正解データ</translation>
    </message>
    <message>
        <source>Expecting value</source>
        <extracomment>What Python&apos;s JSON parser says (``json.JSONDecodeError.msg``) -&gt; the catalogue&apos;s text.</extracomment>
        <translation>値がありません</translation>
    </message>
    <message>
        <source>Expecting property name enclosed in double quotes</source>
        <translation>二重引用符で囲んだキーがありません</translation>
    </message>
    <message>
        <source>Expecting &apos;:&apos; delimiter</source>
        <translation>区切りの「:」がありません</translation>
    </message>
    <message>
        <source>Expecting &apos;,&apos; delimiter</source>
        <translation>区切りの「,」がありません</translation>
    </message>
    <message>
        <source>Unterminated string starting at</source>
        <translation>文字列が閉じていません</translation>
    </message>
    <message>
        <source>Invalid control character at</source>
        <translation>使えない制御文字があります</translation>
    </message>
    <message>
        <source>Extra data</source>
        <translation>余分なデータがあります</translation>
    </message>
    <message>
        <source>at least {lo}</source>
        <translation>{lo} 以上</translation>
    </message>
    <message>
        <source>above {lo}</source>
        <translation>{lo} より大きく</translation>
    </message>
    <message>
        <source>at most {hi}</source>
        <translation>{hi} 以下</translation>
    </message>
    <message>
        <source>below {hi}</source>
        <translation>{hi} 未満</translation>
    </message>
    <message>
        <source>{count} bytes</source>
        <translation>{count} バイト</translation>
    </message>
    <message>
        <source>input size</source>
        <translation>入力の数</translation>
    </message>
    <message>
        <source>layer {layer} width</source>
        <translation>第{layer}層の幅</translation>
    </message>
    <message>
        <source>column {input_column}</source>
        <translation>{input_column} 列目</translation>
    </message>
    <message>
        <source>column {name} (column {input_column})</source>
        <translation>列 {name}({input_column} 列目)</translation>
    </message>
    <message>
        <source>{file}, row {row}, column {column}</source>
        <translation>{file} の {row} 行目、{column} 列目</translation>
    </message>
    <message>
        <source>{file}, row {row}</source>
        <translation>{file} の {row} 行目</translation>
    </message>
    <message>
        <source>{file}, column {column}</source>
        <translation>{file} の {column} 列目</translation>
    </message>
    <message>
        <source>Japanese text needs a CJK font: install fonts-noto-cjk (Debian, Ubuntu) or google-noto-sans-cjk-fonts (Fedora)</source>
        <extracomment>The source text of the notice (translated in the &quot;messages&quot; catalogue).</extracomment>
        <translation>日本語の表示には CJK フォントが必要です: fonts-noto-cjk (Debian, Ubuntu) または google-noto-sans-cjk-fonts (Fedora) をインストールしてください</translation>
    </message>
</context>
</TS>
