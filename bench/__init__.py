"""Benchmarks of the reminder dispatcher against the fake Bot API server (see bench/README.md)."""
