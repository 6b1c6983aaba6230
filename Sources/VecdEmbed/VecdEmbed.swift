// Embedders: the built-in offline embedder and HTTP providers (OpenAI-compatible, Ollama).
