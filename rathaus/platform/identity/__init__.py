"""Accounts: vendor staff in the public schema, citizens and town staff in each town's schema."""
