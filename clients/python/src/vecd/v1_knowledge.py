"""The /v1 knowledge-base routes: collections, documents and ingestion jobs, chunk search, knowledge items."""

from __future__ import annotations

import time
from typing import Any, Dict, Iterable, List, Mapping, Optional, Sequence

from .errors import VecdError
from .transport import Transport, segment


def _body(**fields: Any) -> Dict[str, Any]:
    return {name: value for name, value in fields.items() if value is not None}


class KnowledgeBaseAPI:
    """Mixed into :class:`vecd.VecdClient`; every method sends one request."""

    transport: Transport

    # -- collections ----------------------------------------------------------------------------------------------

    def list_collections(self) -> List[Dict[str, Any]]:
        """``GET /v1/collections``: ``[{"name", "dimension", "metric", "storage", "model_id"}]``."""
        return self.transport.request("GET", "/v1/collections")["collections"]

    def create_collection(
        self, name: str, dimension: Optional[int] = None, metric: Optional[str] = None, storage: Optional[str] = None
    ) -> Dict[str, Any]:
        """``POST /v1/collections``: idempotent for the same settings; ``metric`` cosine|dot|l2, ``storage`` f32|f16|int8."""
        body = _body(name=name, dimension=dimension, metric=metric, storage=storage)
        return self.transport.request("POST", "/v1/collections", body=body)

    def get_collection(self, name: str) -> Dict[str, Any]:
        """``GET /v1/collections/{name}``."""
        return self.transport.request("GET", f"/v1/collections/{segment(name)}")

    def delete_collection(self, name: str) -> None:
        """``DELETE /v1/collections/{name}`` (admin): drops every tenant's documents in it."""
        self.transport.request("DELETE", f"/v1/collections/{segment(name)}")

    # -- documents --------------------------------------------------------------------------------------------------

    def ingest(
        self,
        collection: str,
        documents: Iterable[Mapping[str, Any]],
        chunk_size: Optional[int] = None,
        chunk_overlap: Optional[int] = None,
        wait: bool = False,
    ) -> Dict[str, Any]:
        """``POST /v1/collections/{name}/documents``: answers ``{"job", "document_ids"}``.

        Each document has ``content`` (or ``content_base64`` for a pdf) and optionally ``title``, ``document_type``,
        ``scope``, ``metadata``, ``user_id``, ``is_global``, ``id`` and ``vector``/``vectors``. Without ``wait`` the
        job is queued; poll :meth:`job` or call :meth:`wait_for_job`.
        """
        chunking = _body(size=chunk_size, overlap=chunk_overlap) or None
        body = _body(documents=[dict(d) for d in documents], chunking=chunking, wait=wait or None)
        return self.transport.request("POST", f"/v1/collections/{segment(collection)}/documents", body=body)

    def job(self, job_id: str) -> Dict[str, Any]:
        """``GET /v1/jobs/{id}``: status (queued|processing|completed|failed|partial), counts, ``progress_percent``."""
        return self.transport.request("GET", f"/v1/jobs/{segment(job_id)}")

    def wait_for_job(self, job_id: str, timeout: float = 60.0, interval: float = 0.05) -> Dict[str, Any]:
        """Polls :meth:`job` until it is no longer queued or processing; VecdError ``timeout`` after ``timeout`` s."""
        deadline = time.monotonic() + timeout
        while True:
            job = self.job(job_id)
            if job["status"] not in ("queued", "processing"):
                return job
            if time.monotonic() > deadline:
                raise VecdError("timeout", f"job {job_id} still {job['status']} after {timeout} s", 0)
            time.sleep(interval)

    def list_documents(self, collection: str, limit: int = 100, offset: int = 0) -> List[Dict[str, Any]]:
        """``GET /v1/collections/{name}/documents``: newest first, without content."""
        path = f"/v1/collections/{segment(collection)}/documents"
        return self.transport.request("GET", path, query={"limit": limit, "offset": offset})["documents"]

    def get_document(self, document_id: str) -> Dict[str, Any]:
        """``GET /v1/documents/{id}``: the document with its content."""
        return self.transport.request("GET", f"/v1/documents/{segment(document_id)}")

    def delete_document(self, document_id: str) -> None:
        """``DELETE /v1/documents/{id}``."""
        self.transport.request("DELETE", f"/v1/documents/{segment(document_id)}")

    def document_chunks(self, document_id: str) -> List[Dict[str, Any]]:
        """``GET /v1/documents/{id}/chunks``: the chunks in order, with their offsets."""
        return self.transport.request("GET", f"/v1/documents/{segment(document_id)}/chunks")["chunks"]

    # -- search -----------------------------------------------------------------------------------------------------

    def search(
        self,
        collection: str,
        query: Optional[str] = None,
        vector: Optional[Sequence[float]] = None,
        mode: str = "vector",
        k: int = 10,
        filter: Optional[Mapping[str, Any]] = None,  # noqa: A002 - the route's own field name
        min_score: Optional[float] = None,
        weights: Optional[Mapping[str, float]] = None,
    ) -> Dict[str, Any]:
        """``POST /v1/collections/{name}/search``: ``mode`` vector|text|hybrid; answers ``{"mode", "results", "report"}``.

        ``filter`` takes ``scopes``, ``include_global``, ``user_id``, ``document_types``, ``document_ids``,
        ``metadata``, ``created_after`` and ``created_before``; ``weights`` (hybrid) ``vector``, ``text``, ``rrf_k``.
        """
        body = _body(
            mode=mode, query=query, vector=list(vector) if vector is not None else None, k=k,
            filter=dict(filter) if filter is not None else None, min_score=min_score,
            weights=dict(weights) if weights is not None else None)
        return self.transport.request("POST", f"/v1/collections/{segment(collection)}/search", body=body)

    # -- knowledge items (seed 003) ---------------------------------------------------------------------------------

    def add_knowledge(
        self, type: str, category: str, title: str, content: str, **fields: Any  # noqa: A002 - the field's name
    ) -> Dict[str, Any]:
        """``POST /v1/knowledge``; optional fields: ``subcategory``, ``context_data``, ``importance``,
        ``retrieval_triggers``, ``validation_status``, ``created_by``, ``vector``."""
        body = _body(type=type, category=category, title=title, content=content, **fields)
        return self.transport.request("POST", "/v1/knowledge", body=body)

    def find_similar_knowledge(
        self,
        query: Optional[str] = None,
        vector: Optional[Sequence[float]] = None,
        type: Optional[str] = None,  # noqa: A002 - the field's name
        limit: int = 10,
        threshold: float = 0.7,
    ) -> List[Dict[str, Any]]:
        """``POST /v1/knowledge/similar`` (seed 003's ``find_similar_knowledge``): items with their ``similarity``."""
        body = _body(
            query=query, vector=list(vector) if vector is not None else None, type=type, limit=limit,
            threshold=threshold)
        return self.transport.request("POST", "/v1/knowledge/similar", body=body)["results"]

    def contextual_knowledge(
        self, situation: str, project_context: Optional[str] = None, limit: int = 20
    ) -> List[Dict[str, Any]]:
        """``POST /v1/knowledge/contextual`` (seed 003's ``get_contextual_knowledge``)."""
        body = _body(situation=situation, project_context=project_context, limit=limit)
        return self.transport.request("POST", "/v1/knowledge/contextual", body=body)["results"]

    def get_knowledge(self, item_id: str) -> Dict[str, Any]:
        """``GET /v1/knowledge/{id}``."""
        return self.transport.request("GET", f"/v1/knowledge/{segment(item_id)}")

    def delete_knowledge(self, item_id: str) -> None:
        """``DELETE /v1/knowledge/{id}``."""
        self.transport.request("DELETE", f"/v1/knowledge/{segment(item_id)}")

    def validate_knowledge(self, item_id: str, status: str) -> Dict[str, Any]:
        """``POST /v1/knowledge/{id}/validate``: pending|validated|deprecated|needs_update."""
        return self.transport.request("POST", f"/v1/knowledge/{segment(item_id)}/validate", body={"status": status})

    def record_knowledge_access(self, item_id: str, **fields: Any) -> Dict[str, Any]:
        """``POST /v1/knowledge/{id}/access``; optional ``session_id``, ``interaction``, ``effectiveness_rating``, ``notes``."""
        return self.transport.request("POST", f"/v1/knowledge/{segment(item_id)}/access", body=_body(**fields))

    def relate_knowledge(
        self, item_id: str, target_id: str, type: str, strength: Optional[float] = None, **fields: Any  # noqa: A002
    ) -> Dict[str, Any]:
        """``POST /v1/knowledge/{id}/relationships``: an edge to ``target_id``; a repeated edge is VecdError 409."""
        body = _body(target_id=target_id, type=type, strength=strength, **fields)
        return self.transport.request("POST", f"/v1/knowledge/{segment(item_id)}/relationships", body=body)

    def knowledge_relationships(self, item_id: str) -> List[Dict[str, Any]]:
        """``GET /v1/knowledge/{id}/relationships``: edges from or to the item, strongest first."""
        path = f"/v1/knowledge/{segment(item_id)}/relationships"
        return self.transport.request("GET", path)["relationships"]
