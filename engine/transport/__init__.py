"""The transport between the engine and the window: what travels from the training
process to the views, and the process itself. Pure NumPy, like the rest of the engine.

* :mod:`.snapshot`       - :class:`Snapshot`, an immutable picture of a run for the views
* :mod:`.stream`         - the length-prefixed frames snapshots and commands travel in
* :mod:`.history`        - :class:`LossHistory`, bounded per-iteration series (loss curves)
* :mod:`.worker_process` - ``python -m backprop_lab.engine.transport.worker_process``: the
  training loop in a child process, driven over stdin/stdout
"""
