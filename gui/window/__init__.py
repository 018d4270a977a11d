"""The main window and its parts: the shell (:mod:`.main_window`), the menus
(:mod:`.menus`), the docks, the training actions, step-by-step mode (:mod:`.stepping`),
Edit > Undo, the appearance (layout, theme, full screen), Help, and the automation hooks
(:mod:`.autotest`). The parts that read and write files are in :mod:`gui.files`."""
