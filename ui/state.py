"""Session-state keys (one place, so pages never invent their own)."""

ACTOR = "factory.actor"           # core.auth.Actor of the signed-in user
SIGN_IN_ERROR = "factory.sign_in_error"
