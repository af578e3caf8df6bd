class DomainError(Exception):
    """A business rule said no. ``status_code`` is what the API answers (409 by default)."""

    status_code = 409
    code = "conflict"

    def __init__(self, message, *, code: str | None = None, status_code: int | None = None):
        super().__init__(message)
        self.message = message
        if code:
            self.code = code
        if status_code:
            self.status_code = status_code
