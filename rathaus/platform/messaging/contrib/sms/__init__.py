"""The SMS channel: one provider backend chosen by ``settings.SMS_BACKEND``."""
