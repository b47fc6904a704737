"""Session-state keys (one place, so pages never invent their own)."""

ACTOR = "factory.actor"           # core.auth.Actor of the signed-in user
SIGN_IN_ERROR = "factory.sign_in_error"
LAB_WORKLOAD = "factory.lab.workload_id"   # id of the workload chosen in the Right-Size Lab
LAB_RUN = "factory.lab.run_id"             # id of the lab run whose results are shown
LAB_CANCEL = "factory.lab.cancel"          # Cancel button of a running lab (a click interrupts the run)
LAB_UPLOAD = "factory.lab.upload"          # the workload file uploader
LAB_UPLOAD_INITIATIVE = "factory.lab.upload_initiative"  # the initiative a new workload is for
LAB_UPLOADED = "factory.lab.uploaded"      # file_id of the last upload already stored
REGISTRY_MODEL = "factory.registry.model_id"  # model chosen on the Model Registry page
REGISTRY_UPLOAD_OPEN = "factory.registry.upload_open"  # the "register an ONNX model" form is shown
