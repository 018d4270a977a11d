"""The Qt-free model of the lab: what the user is working on, apart from any widget
(QObject/Signal for change notification and QUndoStack are its only Qt).

* :mod:`.records` - the frozen records (data choice, network spec, training settings,
  problem, progress);
* :mod:`.lab` - :class:`~.lab.LabModel`, the one object that holds them, the run and the
  step-by-step position, and says what changed;
* :mod:`.histories` - the loss curves and gradient norms of the run;
* :mod:`.session_file` - the model to and from a ``.bplab`` session (engine.formats.session);
* :mod:`.undo` - undo/redo of the model's edits;
* :mod:`.phase_frame` - what one moment of a stepped iteration shows.
"""
