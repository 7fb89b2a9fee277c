"""django-oauth-toolkit's request validator, stricter where the town's server wants it."""

from typing import Any

from oauth2_provider.oauth2_validators import OAuth2Validator
from oauthlib.oauth2.rfc6749 import errors


class TownOAuth2Validator(OAuth2Validator):
    """PKCE with S256 for every authorization request; "plain" or none is refused."""

    def is_pkce_required(self, client_id: str, request: Any) -> bool:
        # Asked once the client and its redirect_uri are known, so the error goes
        # back to the app's redirect_uri, as RFC 6749 4.1.2.1 wants.
        if request.code_challenge is not None and request.code_challenge_method != "S256":
            raise errors.UnsupportedCodeChallengeMethodError(
                description='Only the code_challenge_method "S256" is supported.',
                request=request,
            )
        return True
