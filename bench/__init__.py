"""Benchmarks of the assistant's understanding: intents, out-of-scope detection, sentiment."""
