"""VecdClient: one method per vecd route, returning the server's JSON as plain dicts and lists."""

from __future__ import annotations

from typing import Any, Dict, Iterable, Iterator, List, Mapping, Optional, Sequence

from .transport import Transport, segment
from .v1_knowledge import KnowledgeBaseAPI
from .v1_learning import LearningAPI

Vector = Sequence[float]


def _body(**fields: Any) -> Dict[str, Any]:
    """A request body without the fields left at None, so the server applies its own defaults."""
    return {name: value for name, value in fields.items() if value is not None}


class VecdClient(KnowledgeBaseAPI, LearningAPI):
    """A client for ``vecd serve``.

    Every method sends one request (``export_training`` streams) and raises :class:`vecd.VecdError` with the server's
    ``code``, ``message`` and HTTP ``status`` when the request is refused or fails. Wherever the server embeds text,
    a ``vector`` (a list of floats of the collection's dimension) may be passed instead. The seed routes keep the
    seeds' names (``add_memory``, ``kb_search``); the /v1 routes come from :class:`KnowledgeBaseAPI` and
    :class:`LearningAPI`, with a ``v1_`` prefix where a seed route has the same name.

    >>> client = VecdClient("http://127.0.0.1:8080", api_key=None)
    >>> client.add_memory("The user prefers lights at 50% brightness in the evening", tags=["lighting"])
    """

    def __init__(self, base_url: str = "http://127.0.0.1:8080", api_key: Optional[str] = None, timeout: float = 30.0):
        self.transport = Transport(base_url, api_key=api_key, timeout=timeout)

    # -- health ---------------------------------------------------------------------------------------------------

    def health(self) -> bool:
        """True when ``/healthz`` answers 200."""
        return self.transport.request("GET", "/healthz").get("status") == "ok"

    def ready(self) -> bool:
        """True when ``/readyz`` answers 200 (the store answers reads)."""
        return self.transport.request("GET", "/readyz").get("status") == "ready"

    # -- seed 002: the AI gateway's memory router ------------------------------------------------------------------

    def add_memory(
        self,
        content: str,
        tags: Optional[Iterable[str]] = None,
        source: Optional[str] = None,
        scope: Optional[str] = None,
        user_id: Optional[str] = None,
        metadata: Optional[Mapping[str, Any]] = None,
        vector: Optional[Vector] = None,
    ) -> Dict[str, Any]:
        """``POST /memory/add``: answers ``{"id", "merged"}`` (merged: a near-identical memory was updated)."""
        body = _body(
            content=content, tags=list(tags) if tags is not None else None, source=source, scope=scope,
            user_id=user_id, metadata=dict(metadata) if metadata is not None else None,
            vector=list(vector) if vector is not None else None)
        return self.transport.request("POST", "/memory/add", body=body)

    def search_memories(
        self, query: str, limit: int = 10, user_id: Optional[str] = None, tags: Optional[Iterable[str]] = None
    ) -> List[Dict[str, Any]]:
        """``GET /memory/search``: ``[{"id", "content", "tags", "source", "score", "created_at"}]``, best first."""
        params = {"query": query, "limit": limit, "user_id": user_id, "tags": list(tags) if tags else None}
        return self.transport.request("GET", "/memory/search", query=params)["results"]

    def set_preference(
        self, key: str, value: Any, category: Optional[str] = None, user_id: Optional[str] = None
    ) -> Dict[str, Any]:
        """``POST /preferences/set``: stores any JSON ``value`` under ``key``; answers the stored preference."""
        body = {"key": key, "value": value}
        body.update(_body(category=category, user_id=user_id))
        return self.transport.request("POST", "/preferences/set", body=body)

    def get_preference(self, key: str, user_id: Optional[str] = None) -> Dict[str, Any]:
        """``GET /preferences/get``: ``{"key", "value", "category", "updated_at"}``; VecdError 404 when unknown."""
        return self.transport.request("GET", "/preferences/get", query={"key": key, "user_id": user_id})

    def record_feedback(
        self,
        interaction_id: str,
        score: int,
        comment: Optional[str] = None,
        metadata: Optional[Mapping[str, Any]] = None,
    ) -> str:
        """``POST /training/feedback``: a 1–5 score for one of your interactions; answers the feedback's id."""
        body = _body(
            interaction_id=interaction_id, score=score, comment=comment,
            metadata=dict(metadata) if metadata is not None else None)
        return self.transport.request("POST", "/training/feedback", body=body)["id"]

    def export_training(
        self, since: Optional[str] = None, only_unexported: bool = False, mark_exported: bool = False
    ) -> Iterator[Dict[str, Any]]:
        """``GET /training/export``: yields each training example as the JSONL stream delivers it.

        ``since`` is an ISO 8601 date or timestamp. With ``mark_exported`` the server marks each streamed example
        as exported, so a later ``only_unexported=True`` export skips it.
        """
        params = {
            "since": since,
            "only_unexported": only_unexported or None,
            "mark_exported": mark_exported or None,
        }
        return self.transport.stream_lines("GET", "/training/export", query=params)

    def cache_stats(self) -> Dict[str, Any]:
        """``GET /cache/stats``: ``{"hits", "misses", "hit_rate", "entries", "bytes"}``."""
        return self.transport.request("GET", "/cache/stats")

    def clear_cache(self, all: bool = False) -> int:  # noqa: A002 - the route's own parameter name
        """``DELETE /cache/clear``: removes expired entries (or every entry); answers how many were removed."""
        return self.transport.request("DELETE", "/cache/clear", query={"all": all or None})["removed"]

    # -- seed 001: SigmaSight's agent routes -----------------------------------------------------------------------

    def kb_index(self, documents: Iterable[Mapping[str, Any]]) -> List[str]:
        """``POST /api/v1/agent/kb/index``: documents ``{"title", "content", "scope", "metadata"}``; the new ids."""
        answer = self.transport.request("POST", "/api/v1/agent/kb/index", body={"documents": [dict(d) for d in documents]})
        return answer["ids"]

    def kb_search(
        self, query: str, scope: Optional[str] = None, k: int = 10, include_global: bool = False
    ) -> List[Dict[str, Any]]:
        """``GET /api/v1/agent/kb/search``: ``[{"id", "title", "content", "scope", "metadata", "score"}]``."""
        params = {"query": query, "scope": scope, "k": k, "include_global": include_global or None}
        return self.transport.request("GET", "/api/v1/agent/kb/search", query=params)["results"]

    def message_feedback(self, message_id: str, rating: str, edited_text: Optional[str] = None) -> Dict[str, Any]:
        """``POST /api/v1/agent/messages/{id}/feedback``: ``rating`` is ``"up"`` or ``"down"``."""
        path = f"/api/v1/agent/messages/{segment(message_id)}/feedback"
        return self.transport.request("POST", path, body=_body(rating=rating, edited_text=edited_text))
