"""The e-mail channel: SMTP (or any Django e-mail backend), a batch over one connection."""
