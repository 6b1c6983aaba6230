"""Seeds a fresh `vecd serve --ephemeral` through its API and prints a schemathesis.toml that points the fuzzer at it.

Without seeding, every generated collection name, document id, job id and knowledge id is one the server has never
seen, so the routes behind them only ever answer 404 and their parsing, validation and store logic goes unfuzzed.
The printed configuration binds those path parameters to dictionaries of the seeded names and ids with a
probability below one, so generated requests reach existing rows most of the time and random ones the rest.

Usage: seed.py BASE_URL > schemathesis.toml
"""

import json
import sys
import urllib.request

# How often a bound parameter takes a seeded value instead of the generated one.
SEEDED_SHARE = 0.8


def call(base, method, path, body=None):
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(base + path, data=data, method=method,
                                     headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=30) as response:
        return json.loads(response.read() or b"null")


def ingest(base, collection, documents):
    answer = call(base, "POST", f"/v1/collections/{collection}/documents", {"documents": documents, "wait": True})
    if answer["job"]["status"] != "completed":
        sys.exit(f"seed.py: seeding {collection} did not complete: {answer['job']}")
    return answer["job"]["id"], answer["document_ids"]


def main():
    base = sys.argv[1].rstrip("/")
    # Two collections: one of the embedder's dimension, one small raw-vector one whose dimension the spec's
    # examples can actually meet.
    call(base, "POST", "/v1/collections", {"name": "fuzz-docs"})
    call(base, "POST", "/v1/collections", {"name": "fuzz-vectors", "dimension": 3, "metric": "cosine"})
    call(base, "POST", "/v1/collections", {"name": "fuzz-deletable"})
    texts = ["Beta measures a portfolio's sensitivity to market moves.",
             "Restart the gateway after changing its environment.",
             "# Volatility\nAnnualized standard deviation of daily returns.",
             "Lights at half brightness in the evening."]
    kept = [{"title": f"kept {i}", "content": text, "scope": "global"} for i, text in enumerate(texts)]
    doomed = [{"title": f"deletable {i}", "content": text, "scope": "page:fuzz"} for i, text in enumerate(texts)]
    job, kept_ids = ingest(base, "fuzz-docs", kept)
    _, doomed_ids = ingest(base, "fuzz-docs", doomed)
    vector_job, vector_ids = ingest(base, "fuzz-vectors", [
        {"id": "fuzz-vector-doc", "content": "three numbers", "vector": [0.1, 0.2, 0.3]}])
    knowledge = [call(base, "POST", "/v1/knowledge", {
        "type": kind, "category": "fuzz", "title": f"seeded {kind}", "content": f"A {kind} item to relate.",
        "retrieval_triggers": ["fuzz"]})["id"] for kind in ("procedural", "factual", "technical_discovery", "relational")]
    preferences = ["fuzz-pref-kept"] + [f"fuzz-pref-deletable-{i}" for i in range(20)]
    # Each key is set tenant-wide and for one user, so a delete finds it with or without `user_id`.
    for key in preferences:
        for owner in ({}, {"user_id": "fuzz-user"}):
            call(base, "POST", "/preferences/set", {"key": key, "value": {"seeded": True}, "category": "fuzz", **owner})
    # Texts share no words, so none merges into another.
    words = ["amber", "basalt", "cobalt", "dune", "ember", "fjord", "granite", "harbor", "iris", "juniper", "kelp",
             "lagoon", "meadow", "nectar", "obsidian", "prairie"]
    memories = [call(base, "POST", "/v1/memories", {"content": f"{words[i]} {words[-1 - i]} {i}"})["id"]
                for i in range(len(words) // 2)]
    # A missing name or id keeps the deleting routes' 404 answer in the run.
    absent = "00000000-0000-4000-8000-000000000000"

    dictionaries = {
        "collections": ["fuzz-docs", "fuzz-vectors"],
        "documents": kept_ids + vector_ids,
        "deletable_documents": doomed_ids + [absent],
        "deletable_collections": ["fuzz-deletable", "fuzz-absent"],
        "deletable_knowledge": [knowledge.pop(), absent],
        "jobs": [job, vector_job],
        "preferences": preferences[:1],
        "deletable_preferences": preferences[1:] + ["fuzz-pref-absent"],
        "users": ["fuzz-user"],
        "memories": memories[:2],
        "deletable_memories": memories[2:] + [absent],
        "knowledge": knowledge,
    }
    # The delete routes always take a deletable value: schemathesis also reuses names and ids it saw in earlier
    # answers, and a random delete of a seeded row would turn the routes after it back into 404s.
    bindings = [
        # (operation ids, parameter, dictionary, probability)
        (["ingestDocuments", "searchChunks", "listDocuments", "getCollection"], "path.name", "collections",
         SEEDED_SHARE),
        (["deleteCollection"], "path.name", "deletable_collections", 1.0),
        (["getDocument", "listChunks"], "path.id", "documents", SEEDED_SHARE),
        (["deleteDocument"], "path.id", "deletable_documents", 1.0),
        (["deleteKnowledgeItem"], "path.id", "deletable_knowledge", 1.0),
        (["getJob"], "path.id", "jobs", SEEDED_SHARE),
        (["getV1Preference"], "path.key", "preferences", SEEDED_SHARE),
        (["deleteV1Preference"], "path.key", "deletable_preferences", 1.0),
        (["getMemory", "updateMemory"], "path.id", "memories", SEEDED_SHARE),
        (["deleteMemory"], "path.id", "deletable_memories", 1.0),
        (["deleteV1Preference", "getV1Preference"], "query.user_id", "users", 0.5),
        (["relateKnowledge", "listKnowledgeRelationships", "getKnowledgeItem", "validateKnowledgeItem",
          "recordKnowledgeAccess"], "path.id", "knowledge", SEEDED_SHARE),
        (["relateKnowledge"], "body.target_id", "knowledge", SEEDED_SHARE),
    ]
    lines = []
    for name, values in dictionaries.items():
        lines.append(f"[dictionaries.{name}]")
        lines.append("values = " + json.dumps(values))
        lines.append("")
    by_operation = {}
    for operations, parameter, dictionary, probability in bindings:
        for operation in operations:
            by_operation.setdefault(operation, []).append((parameter, dictionary, probability))
    for operation, parameters in by_operation.items():
        lines.append("[[operations]]")
        lines.append(f'include-operation-id = "{operation}"')
        for parameter, dictionary, probability in parameters:
            lines.append(f'parameters."{parameter}" = {{ dictionary = "{dictionary}", probability = {probability} }}')
        lines.append("")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
