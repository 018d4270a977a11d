"""The Qt-free model of the lab: what the user is working on, apart from any widget.

* :mod:`.records` - the frozen records (data choice, network spec, training settings,
  problem, progress).
"""
