"""The platform's channels, one package each (``email``, ``sms``); modules bring further ones."""
