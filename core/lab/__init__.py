"""The Right-Size Lab's persistence: what the engine (``core.rightsize``, which never touches
the store) reads and produces.

* ``workloads`` — uploaded benchmark tables (``workload`` + ``workload_rows_<id>``);
* ``runs`` — finished lab runs (report, config, kept ONNX files) and hardware profiles.
"""
