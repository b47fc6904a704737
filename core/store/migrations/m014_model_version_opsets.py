"""A model version records the opset of every domain it imports, not only the default one.

``model_version.opsets``: the declared opsets as text, 'ai.onnx 17, ai.onnx.ml 3', written when
the version is registered (``core.models.catalogue``). ``opset`` keeps the default domain's
number (empty for a model that imports only ``ai.onnx.ml``). Versions registered before read
NULL here; the registry then shows the ``opset`` column as before.
"""

STATEMENTS = (
    """ALTER TABLE model_version ADD COLUMN opsets VARCHAR""",
)
