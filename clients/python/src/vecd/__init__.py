"""A small client for vecd's HTTP/JSON API, using the standard library only.

>>> from vecd import VecdClient, VecdError
>>> client = VecdClient("http://127.0.0.1:8080")
>>> client.add_memory("The user prefers lights at 50% brightness in the evening", tags=["lighting"])
"""

from .client import VecdClient
from .errors import VecdError

__all__ = ["VecdClient", "VecdError"]
__version__ = "0.1.0"
