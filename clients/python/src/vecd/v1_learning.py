"""The /v1 learning routes: memories, the per-user memory, preferences, conversations, feedback, training, cache."""

from __future__ import annotations

from typing import Any, Dict, Iterable, Iterator, List, Mapping, Optional, Sequence

from .transport import Transport, segment


def _body(**fields: Any) -> Dict[str, Any]:
    return {name: value for name, value in fields.items() if value is not None}


def _list(values: Optional[Iterable[Any]]) -> Optional[List[Any]]:
    return list(values) if values is not None else None


class LearningAPI:
    """Mixed into :class:`vecd.VecdClient`; every method sends one request (``v1_export_training`` streams)."""

    transport: Transport

    # -- memories ---------------------------------------------------------------------------------------------------

    def v1_add_memory(self, content: str, **fields: Any) -> Dict[str, Any]:
        """``POST /v1/memories``: ``{"id", "merged", "similarity", "memory"}``; optional ``scope``, ``user_id``,
        ``tags``, ``source``, ``metadata``, ``vector``."""
        return self.transport.request("POST", "/v1/memories", body=_body(content=content, **fields))

    def list_memories(
        self,
        user_id: Optional[str] = None,
        scopes: Optional[Iterable[str]] = None,
        tags: Optional[Iterable[str]] = None,
        limit: int = 100,
        offset: int = 0,
    ) -> List[Dict[str, Any]]:
        """``GET /v1/memories``: the memories the caller sees, newest first."""
        query = {"user_id": user_id, "scope": _list(scopes), "tags": _list(tags), "limit": limit, "offset": offset}
        return self.transport.request("GET", "/v1/memories", query=query)["memories"]

    def v1_search_memories(
        self,
        query: Optional[str] = None,
        vector: Optional[Sequence[float]] = None,
        k: int = 10,
        full_text: bool = False,
        **fields: Any,
    ) -> List[Dict[str, Any]]:
        """``POST /v1/memories/search`` (or ``/search/text`` with ``full_text``): ``[{"score", "memory"}]``;
        optional ``user_id``, ``scopes``, ``tags``, ``min_score``."""
        path = "/v1/memories/search/text" if full_text else "/v1/memories/search"
        body = _body(query=query, vector=_list(vector), k=k, **fields)
        return self.transport.request("POST", path, body=body)["results"]

    def get_memory(self, memory_id: str, user_id: Optional[str] = None) -> Dict[str, Any]:
        """``GET /v1/memories/{id}``."""
        return self.transport.request("GET", f"/v1/memories/{segment(memory_id)}", query={"user_id": user_id})

    def update_memory(
        self,
        memory_id: str,
        content: Optional[str] = None,
        tags: Optional[Iterable[str]] = None,
        vector: Optional[Sequence[float]] = None,
        user_id: Optional[str] = None,
    ) -> Dict[str, Any]:
        """``PATCH /v1/memories/{id}``: new content (re-embedded), tags or vector."""
        body = _body(content=content, tags=_list(tags), vector=_list(vector))
        path = f"/v1/memories/{segment(memory_id)}"
        return self.transport.request("PATCH", path, query={"user_id": user_id}, body=body)

    def delete_memory(self, memory_id: str, user_id: Optional[str] = None) -> None:
        """``DELETE /v1/memories/{id}``."""
        self.transport.request("DELETE", f"/v1/memories/{segment(memory_id)}", query={"user_id": user_id})

    # -- the per-user memory (seed 004's user_memories) --------------------------------------------------------------

    def user_memory(self, user_id: str) -> Dict[str, Any]:
        """``GET /v1/users/{user_id}/memory``: ``{"user_id", "memory", "metadata", "updated_at"}``."""
        return self.transport.request("GET", f"/v1/users/{segment(user_id)}/memory")

    def set_user_memory(self, user_id: str, memory: str, metadata: Optional[Mapping[str, Any]] = None) -> Dict[str, Any]:
        """``PUT /v1/users/{user_id}/memory``: the seed's upsert, replacing the text whole."""
        body = _body(memory=memory, metadata=dict(metadata) if metadata is not None else None)
        return self.transport.request("PUT", f"/v1/users/{segment(user_id)}/memory", body=body)

    def append_user_memory(self, user_id: str, text: str, metadata: Optional[Mapping[str, Any]] = None) -> Dict[str, Any]:
        """``POST /v1/users/{user_id}/memory/append``: adds a line, dropping the oldest past the size bound."""
        body = _body(text=text, metadata=dict(metadata) if metadata is not None else None)
        return self.transport.request("POST", f"/v1/users/{segment(user_id)}/memory/append", body=body)

    def delete_user_memory(self, user_id: str) -> None:
        """``DELETE /v1/users/{user_id}/memory``."""
        self.transport.request("DELETE", f"/v1/users/{segment(user_id)}/memory")

    # -- preferences ------------------------------------------------------------------------------------------------

    def list_preferences(self, user_id: Optional[str] = None, category: Optional[str] = None) -> List[Dict[str, Any]]:
        """``GET /v1/preferences``."""
        query = {"user_id": user_id, "category": category}
        return self.transport.request("GET", "/v1/preferences", query=query)["preferences"]

    def v1_get_preference(self, key: str, user_id: Optional[str] = None) -> Dict[str, Any]:
        """``GET /v1/preferences/{key}``: the user's own value, else the tenant-wide one."""
        return self.transport.request("GET", f"/v1/preferences/{segment(key)}", query={"user_id": user_id})

    def v1_set_preference(
        self, key: str, value: Any, category: Optional[str] = None, user_id: Optional[str] = None
    ) -> Dict[str, Any]:
        """``PUT /v1/preferences/{key}``."""
        body = {"value": value}
        body.update(_body(category=category, user_id=user_id))
        return self.transport.request("PUT", f"/v1/preferences/{segment(key)}", body=body)

    def delete_preference(self, key: str, user_id: Optional[str] = None) -> None:
        """``DELETE /v1/preferences/{key}``."""
        self.transport.request("DELETE", f"/v1/preferences/{segment(key)}", query={"user_id": user_id})

    # -- conversations ----------------------------------------------------------------------------------------------

    def create_conversation(self, **fields: Any) -> Dict[str, Any]:
        """``POST /v1/conversations``; optional ``id``, ``user_id``, ``session_id``, ``title``, ``metadata``."""
        return self.transport.request("POST", "/v1/conversations", body=_body(**fields))

    def list_conversations(
        self, user_id: Optional[str] = None, session_id: Optional[str] = None, limit: int = 100
    ) -> List[Dict[str, Any]]:
        """``GET /v1/conversations``."""
        query = {"user_id": user_id, "session_id": session_id, "limit": limit}
        return self.transport.request("GET", "/v1/conversations", query=query)["conversations"]

    def get_conversation(self, conversation_id: str) -> Dict[str, Any]:
        """``GET /v1/conversations/{id}``."""
        return self.transport.request("GET", f"/v1/conversations/{segment(conversation_id)}")

    def delete_conversation(self, conversation_id: str) -> None:
        """``DELETE /v1/conversations/{id}``: the conversation and its messages."""
        self.transport.request("DELETE", f"/v1/conversations/{segment(conversation_id)}")

    def add_message(self, conversation_id: str, role: str, content: str, **fields: Any) -> Dict[str, Any]:
        """``POST /v1/conversations/{id}/messages``: role user|assistant|system|tool; optional ``id``, ``language``,
        ``intent``, ``metadata``."""
        body = _body(role=role, content=content, **fields)
        return self.transport.request("POST", f"/v1/conversations/{segment(conversation_id)}/messages", body=body)

    def list_messages(self, conversation_id: str, limit: int = 1000) -> List[Dict[str, Any]]:
        """``GET /v1/conversations/{id}/messages``: oldest first."""
        path = f"/v1/conversations/{segment(conversation_id)}/messages"
        return self.transport.request("GET", path, query={"limit": limit})["messages"]

    # -- feedback ---------------------------------------------------------------------------------------------------

    def v1_record_feedback(self, **fields: Any) -> Dict[str, Any]:
        """``POST /v1/feedback``: ``message_id`` + ``rating`` (up|down) or ``interaction_id`` + ``score`` (1–5), and
        optionally ``edited_text``, ``comment``, ``question_text``, ``answer_text``, ``metadata``."""
        return self.transport.request("POST", "/v1/feedback", body=_body(**fields))

    def list_feedback(
        self,
        message_id: Optional[str] = None,
        rating: Optional[str] = None,
        since: Optional[str] = None,
        limit: int = 1000,
    ) -> List[Dict[str, Any]]:
        """``GET /v1/feedback``: newest first."""
        query = {"message_id": message_id, "rating": rating, "since": since, "limit": limit}
        return self.transport.request("GET", "/v1/feedback", query=query)["feedback"]

    def feedback_stats(self) -> Dict[str, Any]:
        """``GET /v1/feedback/stats``: ``{"total", "up", "down", "average_score", "score_counts"}``."""
        return self.transport.request("GET", "/v1/feedback/stats")

    def down_rated_topics(self, max_topics: int = 5, max_questions: int = 5000) -> List[Dict[str, Any]]:
        """``GET /v1/feedback/topics``: ``[{"representative_question", "count", "examples"}]``."""
        query = {"max_topics": max_topics, "max_questions": max_questions}
        return self.transport.request("GET", "/v1/feedback/topics", query=query)["topics"]

    # -- training ---------------------------------------------------------------------------------------------------

    def add_training_example(self, input: str, output: str, **fields: Any) -> Dict[str, Any]:  # noqa: A002
        """``POST /v1/training/examples``; optional ``feedback_score``, ``interaction_type``, ``language``, ``metadata``."""
        return self.transport.request("POST", "/v1/training/examples", body=_body(input=input, output=output, **fields))

    def list_training_examples(
        self,
        since: Optional[str] = None,
        min_score: Optional[int] = None,
        only_unexported: bool = False,
        limit: int = 1000,
    ) -> List[Dict[str, Any]]:
        """``GET /v1/training/examples``: oldest first."""
        query = {"since": since, "min_score": min_score, "only_unexported": only_unexported or None, "limit": limit}
        return self.transport.request("GET", "/v1/training/examples", query=query)["examples"]

    def v1_export_training(
        self,
        since: Optional[str] = None,
        min_score: Optional[int] = None,
        only_unexported: bool = False,
        mark_exported: bool = False,
    ) -> Iterator[Dict[str, Any]]:
        """``GET /v1/training/export``: yields each example as the JSONL stream delivers it."""
        query = {
            "since": since,
            "min_score": min_score,
            "only_unexported": only_unexported or None,
            "mark_exported": mark_exported or None,
        }
        return self.transport.stream_lines("GET", "/v1/training/export", query=query)

    def mark_training_exported(self, ids: Iterable[str]) -> int:
        """``POST /v1/training/exported``: answers how many of the ids were the caller's examples."""
        return self.transport.request("POST", "/v1/training/exported", body={"ids": list(ids)})["marked"]

    # -- cache ------------------------------------------------------------------------------------------------------

    def cache_put(self, query: str, response: str, **fields: Any) -> Dict[str, Any]:
        """``POST /v1/cache``; optional ``model_id``, ``ttl_seconds``, ``never_expires``, ``metadata``, ``vector``."""
        return self.transport.request("POST", "/v1/cache", body=_body(query=query, response=response, **fields))

    def cache_get(
        self,
        query: str,
        model_id: Optional[str] = None,
        semantic: bool = True,
        vector: Optional[Sequence[float]] = None,
    ) -> Dict[str, Any]:
        """Exact then semantic lookup: ``{"hit", "match", "similarity", "entry"}`` (a miss has ``hit`` False).

        Uses ``GET /v1/cache``, or ``POST /v1/cache/lookup`` when a raw ``vector`` is given.
        """
        if vector is not None:
            body = _body(query=query, model_id=model_id, semantic=semantic, vector=list(vector))
            return self.transport.request("POST", "/v1/cache/lookup", body=body)
        params = {"query": query, "model_id": model_id, "semantic": None if semantic else False}
        return self.transport.request("GET", "/v1/cache", query=params)

    def v1_cache_stats(self) -> Dict[str, Any]:
        """``GET /v1/cache/stats``."""
        return self.transport.request("GET", "/v1/cache/stats")

    def v1_clear_cache(self, all: bool = False) -> int:  # noqa: A002 - the route's own parameter name
        """``DELETE /v1/cache``: expired entries, or all with ``all``; answers how many were removed."""
        return self.transport.request("DELETE", "/v1/cache", query={"all": all or None})["removed"]
