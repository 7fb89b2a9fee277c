"""Why a booking cannot be made or changed: one error type for pages, the API and the staff."""


class BookingError(Exception):
    """A booking cannot be made or changed; ``code`` for programs, ``message`` for people."""

    status = 400

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


class SlotTakenError(BookingError):
    status = 409
