"""The one error type the client raises."""

from __future__ import annotations


class VecdError(Exception):
    """A request vecd refused or could not serve.

    ``code`` is the server's stable, machine-readable code (``invalid_argument``, ``not_found``,
    ``dimension_mismatch``, ...), ``message`` says what was expected and what came in, and ``status`` is the HTTP
    status (0 when the server could not be reached or answered something that is not vecd's JSON).
    """

    def __init__(self, code: str, message: str, status: int = 0):
        super().__init__(f"{status} {code}: {message}" if status else f"{code}: {message}")
        self.code = code
        self.message = message
        self.status = status

    @property
    def is_client_error(self) -> bool:
        """True when the request was refused (4xx): nothing was stored and retrying it unchanged will not help."""
        return 400 <= self.status < 500
