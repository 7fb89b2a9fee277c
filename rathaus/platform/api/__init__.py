"""What every REST API of Rathaus shares: one error body and the error answers in the schema."""
