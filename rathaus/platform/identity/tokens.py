"""Password links (reset, a new staff member's first password) that belong to one town.

Django's tokens hash the account's id and password; ids repeat across towns'
schemas, so the town's schema is part of the key as well: a link from one
town's e-mail never sets a password on another town's host.
"""

from typing import Any

from django.contrib.auth.tokens import PasswordResetTokenGenerator, default_token_generator

from rathaus.tenants.db import current_schema_name


class TownPasswordTokenGenerator(PasswordResetTokenGenerator):
    @property
    def key_salt(self) -> str:
        return f"rathaus.identity.password@{current_schema_name()}"

    @key_salt.setter
    def key_salt(self, value: str) -> None:
        raise AttributeError("the key salt follows the current town")

    def check_token(self, user: Any, token: str | None) -> bool:
        # Links sent before December 2026 were Django's plain tokens (still safe: they
        # hash the account's own password); they expire with PASSWORD_RESET_TIMEOUT,
        # so this fallback can go in 2027.
        return super().check_token(user, token) or default_token_generator.check_token(user, token)


password_token_generator = TownPasswordTokenGenerator()
