"""The town's back office: staff roles, permissions and the town admin's pages."""
