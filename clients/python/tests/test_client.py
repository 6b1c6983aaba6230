"""The Python client against a real `vecd serve --ephemeral` (the binary named by VECD_BIN).

Run: VECD_BIN=.build/debug/vecd python3 clients/python/tests/test_client.py
"""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import unittest
import uuid

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "src"))

from vecd import VecdClient, VecdError  # noqa: E402
from vecd.transport import _error_from_response  # noqa: E402

SERVER: subprocess.Popen | None = None
BASE_URL = ""


def setUpModule() -> None:
    """Starts one server for the module and reads the address from its first stdout line."""
    global SERVER, BASE_URL
    binary = os.environ.get("VECD_BIN")
    if not binary or not os.access(binary, os.X_OK):
        raise RuntimeError("set VECD_BIN to the vecd binary (for example .build/debug/vecd)")
    SERVER = subprocess.Popen(
        [binary, "serve", "--ephemeral", "--log-level", "warning"],
        stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    line: list[str] = []
    reader = threading.Thread(target=lambda: line.append(SERVER.stdout.readline()), daemon=True)
    reader.start()
    reader.join(timeout=30)
    prefix = "vecd listening on "
    if not line or not line[0].startswith(prefix):
        SERVER.kill()
        raise RuntimeError(f"vecd serve did not print its address: {line!r}")
    BASE_URL = line[0][len(prefix):].strip()


def tearDownModule() -> None:
    if SERVER is not None:
        SERVER.terminate()
        SERVER.wait(timeout=30)


def unique(prefix: str) -> str:
    return f"{prefix}-{uuid.uuid4().hex[:8]}"


class ClientTestCase(unittest.TestCase):
    def setUp(self) -> None:
        self.client = VecdClient(BASE_URL, timeout=30)

    def assertVecdError(self, status: int, code: str, call, *args, **kwargs) -> VecdError:
        with self.assertRaises(VecdError) as caught:
            call(*args, **kwargs)
        self.assertEqual((caught.exception.status, caught.exception.code), (status, code), caught.exception.message)
        return caught.exception


class HealthAndErrorTests(ClientTestCase):
    def test_health_and_ready(self) -> None:
        self.assertTrue(self.client.health())
        self.assertTrue(self.client.ready())

    def test_unreachable_server_is_status_zero(self) -> None:
        dead = VecdClient("http://127.0.0.1:9", timeout=2)
        error = self.assertVecdError(0, "unreachable", dead.health)
        self.assertFalse(error.is_client_error)

    def test_non_json_error_body_keeps_the_status(self) -> None:
        error = _error_from_response(502, b"<html>Bad Gateway</html>")
        self.assertEqual((error.status, error.code), (502, "http_502"))
        self.assertIn("Bad Gateway", error.message)

    def test_nan_is_refused_before_sending(self) -> None:
        with self.assertRaises(ValueError):
            self.client.add_memory("nan vector", vector=[float("nan")] * 3)


class SeedMemoryRouteTests(ClientTestCase):
    """Seed 002's router, as its Python gateway would call it."""

    def test_add_then_search_memory(self) -> None:
        added = self.client.add_memory(
            "The user prefers lights at 50% brightness in the evening", tags=["preference", "lighting"],
            source="user_feedback")
        self.assertFalse(added["merged"])
        results = self.client.search_memories("lighting preferences", limit=5)
        hit = next(result for result in results if result["id"] == added["id"])
        self.assertEqual(hit["tags"], ["preference", "lighting"])
        self.assertEqual(hit["source"], "user_feedback")
        self.assertGreater(hit["score"], 0)

    def test_wrong_dimension_is_refused_and_stores_nothing(self) -> None:
        before = len(self.client.list_memories(limit=1000))
        self.assertVecdError(400, "dimension_mismatch", self.client.add_memory, "short vector", vector=[0.1, 0.2])
        self.assertEqual(len(self.client.list_memories(limit=1000)), before)

    def test_limit_over_the_maximum_names_the_limit(self) -> None:
        error = self.assertVecdError(400, "invalid_argument", self.client.search_memories, "x", limit=1001)
        self.assertIn("1000", error.message)

    def test_preferences(self) -> None:
        key = unique("entity_alias.my_office")
        self.client.set_preference(key, {"entity_id": "light.office_main"}, category="aliases")
        got = self.client.get_preference(key)
        self.assertEqual(got["value"], {"entity_id": "light.office_main"})
        self.assertEqual(got["category"], "aliases")
        self.assertVecdError(404, "not_found", self.client.get_preference, unique("nothing.here"))

    def test_feedback_score_range(self) -> None:
        self.assertTrue(self.client.record_feedback("conv_123", 5, comment="Correctly turned on all lights"))
        error = self.assertVecdError(400, "invalid_argument", self.client.record_feedback, "conv_123", 9)
        self.assertTrue(error.is_client_error)

    def test_training_export_streams_and_marks(self) -> None:
        marker = unique("lamp")
        for index in range(3):
            self.client.add_training_example(f"turn on {marker} {index}", f"ok {index}", feedback_score=5)
        exported = [line for line in self.client.export_training(mark_exported=True) if marker in line["input"]]
        self.assertEqual(len(exported), 3)
        remaining = [line for line in self.client.export_training(only_unexported=True) if marker in line["input"]]
        self.assertEqual(remaining, [])

    def test_cache_stats_and_clear(self) -> None:
        self.client.cache_put(unique("what time is it"), "noon", never_expires=True)
        stats = self.client.cache_stats()
        self.assertGreaterEqual(stats["entries"], 1)
        self.assertEqual(set(stats), {"hits", "misses", "hit_rate", "entries", "bytes"})
        self.assertGreaterEqual(self.client.clear_cache(all=True), 1)
        self.assertEqual(self.client.cache_stats()["entries"], 0)


class SeedAgentRouteTests(ClientTestCase):
    """Seed 001's knowledge-base and feedback routes."""

    def test_index_and_search_by_scope(self) -> None:
        scope = unique("page:portfolio-overview")
        ids = self.client.kb_index([
            {"title": "Volatility", "content": "Annualized standard deviation of daily returns.", "scope": scope},
            {"title": "Beta", "content": "Sensitivity of the portfolio to market moves.", "scope": "global"},
        ])
        self.assertEqual(len(ids), 2)
        scoped = self.client.kb_search("standard deviation of returns", scope=scope, k=5)
        self.assertEqual([result["id"] for result in scoped], [ids[0]])
        with_global = self.client.kb_search("portfolio market sensitivity", scope=scope, k=10, include_global=True)
        self.assertIn(ids[1], [result["id"] for result in with_global])

    def test_empty_batch_is_refused(self) -> None:
        self.assertVecdError(400, "invalid_argument", self.client.kb_index, [])

    def test_message_feedback_keeps_opaque_ids(self) -> None:
        message_id = unique("msg with spaces/and slash")
        answer = self.client.message_feedback(message_id, "down", edited_text="Beta measures market sensitivity.")
        self.assertEqual(answer["message_id"], message_id)
        self.assertEqual(answer["rating"], "down")
        self.assertVecdError(400, "invalid_json", self.client.message_feedback, message_id, "sideways")


class V1KnowledgeBaseTests(ClientTestCase):
    def test_collection_ingest_search_and_delete(self) -> None:
        name = unique("docs")
        created = self.client.create_collection(name)
        self.assertEqual(created["metric"], "cosine")
        self.assertIn(name, [collection["name"] for collection in self.client.list_collections()])
        self.assertEqual(self.client.get_collection(name)["dimension"], created["dimension"])
        answer = self.client.ingest(name, [
            {"title": "Beta", "content": "Beta is the sensitivity of a portfolio to market moves.", "scope": "global"},
            {"title": "Volatility", "content": "Volatility is the annualized deviation of returns."},
        ], wait=True)
        self.assertEqual(answer["job"]["status"], "completed")
        document_id = answer["document_ids"][0]
        self.assertEqual(self.client.wait_for_job(answer["job"]["id"])["processed_documents"], 2)
        self.assertIn("sensitivity", self.client.get_document(document_id)["content"])
        self.assertGreaterEqual(len(self.client.document_chunks(document_id)), 1)
        self.assertEqual(len(self.client.list_documents(name)), 2)
        for mode in ("vector", "text", "hybrid"):
            found = self.client.search(name, query="portfolio market sensitivity", mode=mode, k=2)
            self.assertEqual(found["mode"], mode)
            self.assertEqual(found["results"][0]["document_id"], document_id, mode)
        self.client.delete_document(document_id)
        self.assertVecdError(404, "not_found", self.client.get_document, document_id)

    def test_queued_job_finishes(self) -> None:
        name = unique("queued")
        self.client.create_collection(name)
        answer = self.client.ingest(name, [{"content": "A queued document about tax lots."}])
        job = self.client.wait_for_job(answer["job"]["id"])
        self.assertEqual(job["status"], "completed")
        self.assertEqual(job["progress_percent"], 100)

    def test_knowledge_items(self) -> None:
        first = self.client.add_knowledge(
            "procedural", "deployment", "Restart the gateway",
            "Run systemctl restart ai-gateway after changing its environment.",
            retrieval_triggers=["restart", "gateway"], context_data={"project": "ai-gateway"})
        second = self.client.add_knowledge("factual", "deployment", "Gateway port", "The gateway listens on 8080.")
        similar = self.client.find_similar_knowledge("restart the ai-gateway service", threshold=0.0, limit=5)
        self.assertEqual(similar[0]["id"], first["id"])
        self.assertIn("similarity", similar[0])
        contextual = self.client.contextual_knowledge("the gateway needs a restart", project_context="ai-gateway")
        self.assertIn(first["id"], [item["id"] for item in contextual])
        self.assertEqual(self.client.validate_knowledge(first["id"], "validated")["validation_status"], "validated")
        self.assertEqual(self.client.record_knowledge_access(first["id"])["access_count"], 1)
        edge = self.client.relate_knowledge(first["id"], second["id"], "depends_on", strength=0.8)
        self.assertEqual(edge["target_id"], second["id"])
        self.assertVecdError(409, "conflict", self.client.relate_knowledge, first["id"], second["id"], "depends_on")
        self.assertEqual(len(self.client.knowledge_relationships(first["id"])), 1)
        self.client.delete_knowledge(second["id"])
        self.assertVecdError(404, "not_found", self.client.get_knowledge, second["id"])


class V1LearningTests(ClientTestCase):
    def test_memories(self) -> None:
        user = unique("user")
        added = self.client.v1_add_memory("Prefers brief answers without emoji", user_id=user, tags=["style"])
        self.assertEqual(added["memory"]["scope"], "user")
        memory_id = added["id"]
        self.assertEqual(self.client.get_memory(memory_id, user_id=user)["content"],
                         "Prefers brief answers without emoji")
        self.assertIn(memory_id, [m["id"] for m in self.client.list_memories(user_id=user, scopes=["user"])])
        hits = self.client.v1_search_memories("how long should answers be", user_id=user, k=3)
        self.assertEqual(hits[0]["memory"]["id"], memory_id)
        text_hits = self.client.v1_search_memories("brief answers", user_id=user, full_text=True)
        self.assertEqual(text_hits[0]["memory"]["id"], memory_id)
        updated = self.client.update_memory(memory_id, tags=["style", "length"], user_id=user)
        self.assertEqual(updated["tags"], ["style", "length"])
        self.client.delete_memory(memory_id, user_id=user)
        self.assertVecdError(404, "not_found", self.client.get_memory, memory_id, user_id=user)

    def test_user_memory_upsert(self) -> None:
        user = unique("user")
        self.assertVecdError(404, "not_found", self.client.user_memory, user)
        self.client.set_user_memory(user, "Prefers metric units.")
        appended = self.client.append_user_memory(user, "Works night shifts.")
        self.assertEqual(appended["memory"], "Prefers metric units.\nWorks night shifts.")
        self.assertEqual(self.client.user_memory(user)["memory"], appended["memory"])
        self.client.delete_user_memory(user)
        self.assertVecdError(404, "not_found", self.client.user_memory, user)

    def test_preferences_per_user(self) -> None:
        key, user = unique("user.preferred_language"), unique("user")
        self.client.v1_set_preference(key, {"language": "en"}, category="user")
        self.client.v1_set_preference(key, {"language": "pl"}, user_id=user)
        self.assertEqual(self.client.v1_get_preference(key, user_id=user)["value"], {"language": "pl"})
        self.assertEqual(self.client.v1_get_preference(key)["value"], {"language": "en"})
        self.assertIn(key, [p["key"] for p in self.client.list_preferences(category="user")])
        self.client.delete_preference(key, user_id=user)
        self.assertEqual(self.client.v1_get_preference(key, user_id=user)["value"], {"language": "en"})

    def test_conversations_and_messages(self) -> None:
        conversation = self.client.create_conversation(user_id=unique("user"), title="Portfolio questions")
        message = self.client.add_message(conversation["id"], "user", "What is my beta?", id=unique("msg"))
        self.client.add_message(conversation["id"], "assistant", "About 1.1.")
        messages = self.client.list_messages(conversation["id"])
        self.assertEqual([m["role"] for m in messages], ["user", "assistant"])
        self.assertEqual(messages[0]["id"], message["id"])
        self.assertEqual(self.client.get_conversation(conversation["id"])["title"], "Portfolio questions")
        self.assertVecdError(400, "invalid_argument", self.client.add_message, conversation["id"], "robot", "hi")
        self.client.delete_conversation(conversation["id"])
        self.assertVecdError(404, "not_found", self.client.get_conversation, conversation["id"])

    def test_feedback(self) -> None:
        message_id = unique("msg")
        recorded = self.client.v1_record_feedback(
            message_id=message_id, rating="down", question_text="What is beta?")
        self.assertEqual(recorded["rating"], "down")
        self.assertEqual([f["id"] for f in self.client.list_feedback(message_id=message_id)], [recorded["id"]])
        stats = self.client.feedback_stats()
        self.assertGreaterEqual(stats["down"], 1)
        self.assertEqual(len(stats["score_counts"]), 5)
        topics = self.client.down_rated_topics()
        self.assertTrue(any("beta" in topic["representative_question"].lower() for topic in topics))

    def test_training_examples(self) -> None:
        marker = unique("thermostat")
        example = self.client.add_training_example(f"set the {marker} to 21", "climate.set(21)", feedback_score=4)
        listed = [e for e in self.client.list_training_examples(min_score=4) if marker in e["input"]]
        self.assertEqual([e["id"] for e in listed], [example["id"]])
        self.assertEqual(self.client.mark_training_exported([example["id"]]), 1)
        streamed = [e for e in self.client.v1_export_training(only_unexported=True) if marker in e["input"]]
        self.assertEqual(streamed, [])

    def test_cache_exact_and_miss(self) -> None:
        query = unique("what time is it in Warsaw")
        entry = self.client.cache_put(query, "It is 14:05.", ttl_seconds=600)
        self.assertEqual(entry["response"], "It is 14:05.")
        hit = self.client.cache_get(query)
        self.assertEqual((hit["hit"], hit["match"], hit["similarity"]), (True, "exact", 1))
        miss = self.client.cache_get(unique("completely unrelated question about tax lots"), semantic=False)
        self.assertEqual((miss["hit"], miss["entry"]), (False, None))
        self.assertGreaterEqual(self.client.v1_cache_stats()["hits"], 1)
        self.assertGreaterEqual(self.client.v1_clear_cache(all=True), 1)


if __name__ == "__main__":
    result = unittest.main(verbosity=1, exit=False).result
    failed = len(result.failures) + len(result.errors) + len(result.unexpectedSuccesses)
    # The plain closing line CI reads, after unittest's own summary.
    print(f"client: {result.testsRun - failed - len(result.skipped)} passed, {failed} failed")
    sys.exit(1 if failed or not result.testsRun else 0)
