"""Everything the window reads and writes: the session file (:mod:`.session_files`),
weight files (:mod:`.weight_files`), autosave and crash recovery (:mod:`.autosave`,
:mod:`.recovery`), plot export (:mod:`.plot_export`, :mod:`.plot_files`), dropped files
(:mod:`.drops`), and the progress dialog long reads and writes run behind
(:mod:`.progress`)."""
