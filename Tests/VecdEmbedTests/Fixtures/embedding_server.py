#!/usr/bin/env python3
"""A small embedding server for VecdEmbedTests: speaks OpenAI's POST /v1/embeddings and Ollama's POST /api/embed.

Binds 127.0.0.1 on port 0 and prints the port on the first line of stdout. The requested model name picks the
behaviour, as "<behaviour>-<dimension>":
  ok-8           8-dimensional vectors; component 0 is the text's length in characters, so order can be checked
  shuffled-8     like ok, but OpenAI `data` items come in reverse order (with their `index`)
  fail500x2-8    the first 2 requests for this model answer 500, then like ok
  rate429x1-8    the first request answers 429 with `Retry-After: 0`, then like ok
  slow-8         waits 3 s before answering (for client timeouts)
  malformed-8    answers 200 with a body that is not JSON
  wrongshape-8   answers 200 with JSON lacking the vectors
  badrequest-8   answers 400
  auth-8         answers 401 unless `Authorization: Bearer test-key`
GET /stats returns {"requests": {model: count}, "batches": {model: [batch sizes]}, "auth": {model: header}}.
"""
import json
import sys
import threading
import time
import zlib
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

lock = threading.Lock()
requests = {}
batches = {}
auth = {}


def vector(text, dimension):
    seed = zlib.crc32(text.encode("utf-8"))
    return [float(len(text))] + [((seed >> (j % 24)) & 0xFF) / 255.0 - 0.5 + j for j in range(1, dimension)]


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def reply(self, status, body, headers=()):
        data = body if isinstance(body, bytes) else json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        for name, value in headers:
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(data)

    def do_GET(self):
        if self.path == "/stats":
            with lock:
                self.reply(200, {"requests": requests, "batches": batches, "auth": auth})
        else:
            self.reply(404, {"error": "not found"})

    def do_POST(self):
        length = int(self.headers.get("Content-Length", "0"))
        payload = json.loads(self.rfile.read(length))
        model, texts = payload["model"], payload["input"]
        behaviour, _, dimension = model.rpartition("-")
        dimension = int(dimension)
        with lock:
            count = requests.get(model, 0) + 1
            requests[model] = count
            batches.setdefault(model, []).append(len(texts))
            auth[model] = self.headers.get("Authorization")
        if behaviour.startswith("fail500x") and count <= int(behaviour[len("fail500x"):]):
            return self.reply(500, {"error": "overloaded"})
        if behaviour.startswith("rate429x") and count <= int(behaviour[len("rate429x"):]):
            return self.reply(429, {"error": "slow down"}, [("Retry-After", "0")])
        if behaviour == "slow":
            time.sleep(3)
        if behaviour == "malformed":
            return self.reply(200, b"<html>this is not json")
        if behaviour == "wrongshape":
            return self.reply(200, {"object": "list", "vectors": []})
        if behaviour == "badrequest":
            return self.reply(400, {"error": "unknown model"})
        if behaviour == "auth" and self.headers.get("Authorization") != "Bearer test-key":
            return self.reply(401, {"error": "invalid key"})
        vectors = [vector(text, dimension) for text in texts]
        if self.path == "/api/embed":
            return self.reply(200, {"model": model, "embeddings": vectors})
        if self.path == "/v1/embeddings":
            data = [{"object": "embedding", "index": i, "embedding": v} for i, v in enumerate(vectors)]
            if behaviour == "shuffled":
                data.reverse()
            return self.reply(200, {"object": "list", "model": model, "data": data})
        self.reply(404, {"error": "not found"})


server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
server.daemon_threads = True
print(server.server_address[1], flush=True)
# Stop when the test process closes our stdin (or dies), so no server outlives its test.
threading.Thread(target=lambda: (sys.stdin.read(), server.shutdown()), daemon=True).start()
server.serve_forever()
