"""ML models the organisation runs: the catalogue and its approval workflow, adoption of a lab
recommendation, and the checks an untrusted ONNX file gets.

* ``catalogue`` — models and versions, ONNX metadata, the status workflow, downloads;
* ``adoption`` — adopting a lab run's recommendation for an initiative, projected savings;
* ``onnx_checks`` — untrusted-file checks and the task list (below both the catalogue and the
  lab engine, so neither imports the other).

This ``__init__`` imports nothing: the lab engine imports ``onnx_checks`` alone.
"""
