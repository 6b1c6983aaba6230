"""HTTP/JSON over urllib: request building, the bearer key, and vecd's error body turned into VecdError."""

from __future__ import annotations

import json
import urllib.error
import urllib.parse
import urllib.request
from typing import Any, Dict, Iterator, Mapping, Optional

from .errors import VecdError

USER_AGENT = "vecd-python/0.1.0"


def segment(value: str) -> str:
    """One path segment, percent-encoded (ids may be the caller's own strings, with spaces or slashes)."""
    return urllib.parse.quote(str(value), safe="")


def _query_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (list, tuple)):
        return ",".join(str(item) for item in value)
    return str(value)


class Transport:
    """Sends requests to one vecd server; thread-safe (it keeps no per-request state)."""

    def __init__(self, base_url: str, api_key: Optional[str] = None, timeout: float = 30.0):
        self.base_url = base_url.rstrip("/")
        self.api_key = api_key
        self.timeout = timeout

    def url(self, path: str, query: Optional[Mapping[str, Any]] = None) -> str:
        """The full URL of ``path`` with the non-None ``query`` items."""
        url = self.base_url + path
        items = [(name, _query_value(value)) for name, value in (query or {}).items() if value is not None]
        if items:
            url += "?" + urllib.parse.urlencode(items, quote_via=urllib.parse.quote)
        return url

    def _open(self, method: str, path: str, query: Optional[Mapping[str, Any]], body: Any):
        headers: Dict[str, str] = {"Accept": "application/json", "User-Agent": USER_AGENT}
        data = None
        if body is not None:
            # allow_nan=False: JSON has no NaN, and the server would refuse it anyway; fail before sending.
            data = json.dumps(body, allow_nan=False, separators=(",", ":")).encode("utf-8")
            headers["Content-Type"] = "application/json"
        if self.api_key:
            headers["Authorization"] = f"Bearer {self.api_key}"
        request = urllib.request.Request(self.url(path, query), data=data, headers=headers, method=method)
        try:
            return urllib.request.urlopen(request, timeout=self.timeout)
        except urllib.error.HTTPError as error:
            raise _error_from_response(error.code, error.read()) from None
        except urllib.error.URLError as error:
            raise VecdError("unreachable", f"cannot reach {self.base_url}: {error.reason}", 0) from None
        except OSError as error:  # timeouts and resets after the connection opened
            raise VecdError("unreachable", f"{method} {path} failed: {error}", 0) from None

    def request(
        self, method: str, path: str, query: Optional[Mapping[str, Any]] = None, body: Any = None
    ) -> Any:
        """Sends one request and answers the decoded JSON body (None for an empty body, as a 204 has)."""
        with self._open(method, path, query, body) as response:
            payload = response.read()
        if not payload:
            return None
        try:
            return json.loads(payload)
        except ValueError:
            raise VecdError("invalid_response", f"{method} {path} answered a body that is not JSON", 0) from None

    def stream_lines(self, method: str, path: str, query: Optional[Mapping[str, Any]] = None) -> Iterator[Any]:
        """Sends one request and yields each non-empty line of a JSONL answer, decoded, as it arrives."""
        with self._open(method, path, query, None) as response:
            for line in response:
                line = line.strip()
                if line:
                    yield json.loads(line)


def _error_from_response(status: int, payload: bytes) -> VecdError:
    """vecd's ``{"error":{"code","message"}}``, or the raw text when something else (a proxy) answered."""
    try:
        detail = json.loads(payload)["error"]
        return VecdError(str(detail["code"]), str(detail["message"]), status)
    except (ValueError, KeyError, TypeError):
        text = payload.decode("utf-8", "replace").strip()[:500]
        return VecdError(f"http_{status}", text or f"HTTP {status}", status)
