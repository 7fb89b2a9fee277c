class MailboxError(Exception):
    """A message cannot be provided or answered; the text says why, for the person asking."""
