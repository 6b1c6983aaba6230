// The in-process learning-engine store: knowledge base, memories, preferences, feedback, cache, jobs.
