"""Municipalities (the tenants), their domains, and their lifecycle."""
