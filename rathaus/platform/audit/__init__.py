"""The town's audit log: who changed what, when, before and after. Append-only."""
