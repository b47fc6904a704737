"""Company sign-in (OpenID Connect): a user row can be managed by the company's identity provider.

``source`` is ``local`` (a password in this store) or ``company`` (created at the user's first
company sign-in, role and business unit taken from the provider's claim at every sign-in; no
password, so local sign-in refuses it). ``subject`` is the provider's ``iss`` and ``sub`` of a
company user (one person, whatever their e-mail becomes); ``last_sign_in_at`` is when the
provider last signed them in (the ID token's ``auth_time`` or ``iat``, UTC).
"""

STATEMENTS = (
    """ALTER TABLE app_user ADD COLUMN source VARCHAR DEFAULT 'local'""",
    """UPDATE app_user SET source = 'local' WHERE source IS NULL""",
    """ALTER TABLE app_user ADD COLUMN subject VARCHAR""",
    """ALTER TABLE app_user ADD COLUMN last_sign_in_at TIMESTAMP""",
    """ALTER TABLE app_user ALTER COLUMN password_hash DROP NOT NULL""",
)
