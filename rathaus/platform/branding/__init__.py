"""A town's look on every citizen page: name, colour, logos, contact and legal links."""
