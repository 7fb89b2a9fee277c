"""Per-town capabilities every module may use: identity, federation, audit, branding,
staff, storage, messaging, the portal shell, health and observability."""
