"""Right-Size Lab engine: is a smaller model good enough, and how much cheaper is it?

workload (load, validate, infer task, split) → ladder (scikit-learn candidates, tiny → large)
→ convert (skl2onnx, parity measured) → upload (untrusted ONNX checks) → worker (ONNX Runtime
in a separate process with time and memory limits; backend + scenario) → pricing (hardware
profiles → cost per 1M inferences) → recommend (frontier, tolerance rule) → report.

Entry point: ``core.rightsize.lab.run_lab``. This ``__init__`` imports nothing on purpose: the
measurement worker process imports ``core.rightsize.worker`` and must stay light (numpy and
onnxruntime only), so no scikit-learn, pandas or DuckDB may be pulled in from here.
"""
