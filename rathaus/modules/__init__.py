"""Service modules: one Django app each, plus the registry (later issue)."""
