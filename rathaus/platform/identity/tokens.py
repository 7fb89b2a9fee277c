"""Password links (reset, a new staff member's first password) that belong to one town.

Django's tokens hash the account's id and password; ids repeat across towns'
schemas, so the town's schema is part of the key as well: a link from one
town's e-mail never sets a password on another town's host.
"""

from django.contrib.auth.tokens import PasswordResetTokenGenerator

from rathaus.tenants.db import current_schema_name


class TownPasswordTokenGenerator(PasswordResetTokenGenerator):
    @property
    def key_salt(self) -> str:
        return f"rathaus.identity.password@{current_schema_name()}"

    @key_salt.setter
    def key_salt(self, value: str) -> None:
        raise AttributeError("the key salt follows the current town")


password_token_generator = TownPasswordTokenGenerator()
