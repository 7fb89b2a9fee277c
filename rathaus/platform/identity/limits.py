"""How often the account pages may be tried: against guessing and against sending SMS and e-mail.

Passwords are also guarded per e-mail address by django-axes (settings); these
limits count per client address, or per account where one is logged in.
"""

from rathaus.platform.abuse.limits import Per, RateLimit

LOGIN = RateLimit("identity.login", "30/m", Per.CLIENT)
LOGIN_CODE = RateLimit("identity.login-code", "20/m", Per.CLIENT)
# Each registration sends an e-mail and an SMS.
REGISTER = RateLimit("identity.register", "10/h", Per.CLIENT)
PHONE_CONFIRM = RateLimit("identity.phone-confirm", "10/m", Per.ACCOUNT)
TOTP_SETUP = RateLimit("identity.totp-setup", "10/m", Per.ACCOUNT)
# Each request sends an e-mail to the address typed in.
PASSWORD_RESET = RateLimit("identity.password-reset", "5/h", Per.CLIENT)
# Each new mobile number gets an SMS with a code.
PHONE_CHANGE = RateLimit("identity.phone-change", "5/h", Per.ACCOUNT)
# Each try checks the current password: a session left open must not let it be guessed.
PASSWORD_CHANGE = RateLimit("identity.password-change", "10/h", Per.ACCOUNT)
PASSKEY_LOGIN = RateLimit("identity.passkey-login", "30/m", Per.CLIENT)
PASSKEY_SETUP = RateLimit("identity.passkey-setup", "20/m", Per.ACCOUNT)
