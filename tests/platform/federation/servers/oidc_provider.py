"""A real OpenID Connect provider for the tests, built on Authlib's server components.

Run as its own process: ``python -m tests.platform.federation.servers.oidc_provider``.
It prints its base URL on the first line of stdout and serves over HTTP on
127.0.0.1. Users log in with a form (username + password ``geheim``). Test-only
endpoints under ``/_test/`` register clients and make the next answers
misbehave (wrong nonce, wrong audience, forged signature), rotate the key,
or tell how often each path was requested.
"""

import secrets
import time
from collections import Counter
from typing import Any

from authlib.integrations.flask_oauth2 import AuthorizationServer
from authlib.oauth2.rfc6749 import ClientMixin, grants
from authlib.oauth2.rfc7636 import CodeChallenge
from authlib.oidc.core import UserInfo
from authlib.oidc.core.grants import OpenIDCode
from flask import Flask, jsonify, request
from joserfc.jwk import RSAKey
from werkzeug.serving import make_server

app = Flask(__name__)
app.secret_key = secrets.token_hex(16)
ISSUER = ""
CLIENTS: dict[str, "Client"] = {}
CODES: dict[str, "AuthCode"] = {}
TOKENS: dict[str, dict[str, Any]] = {}
TAMPER: dict[str, str] = {}
KEYS: list[RSAKey] = []
HITS: Counter[str] = Counter()
PASSWORD = "geheim"
USERS: dict[str, dict[str, Any]] = {
    "erika": {
        "sub": "bund-erika-0001",
        "given_name": "Erika",
        "family_name": "Musterfrau",
        "email": "erika.musterfrau@example.org",
        "birthdate": "1964-08-12",
        "address": {
            "street_address": "Lindenstraße 1",
            "postal_code": "39517",
            "locality": "Tangerhütte",
        },
    },
    "max": {
        "sub": "bund-max-0002",
        "given_name": "Max",
        "family_name": "Mustermann",
        "email": "max@example.org",
        "birthdate": "1970-01-01",
        "address": {},
    },
}


def new_key() -> RSAKey:
    return RSAKey.generate_key(
        2048, parameters={"kid": secrets.token_hex(8), "use": "sig", "alg": "RS256"}
    )


class Client(ClientMixin):
    def __init__(self, client_id: str, secret: str, redirect_uris: list[str]) -> None:
        self.client_id, self.secret, self.redirect_uris = client_id, secret, redirect_uris

    def get_client_id(self) -> str:
        return self.client_id

    def get_default_redirect_uri(self) -> str:
        return self.redirect_uris[0]

    def get_allowed_scope(self, scope: str) -> str:
        return " ".join(s for s in scope.split() if s in {"openid", "email", "profile", "address"})

    def check_redirect_uri(self, redirect_uri: str) -> bool:
        return redirect_uri in self.redirect_uris

    def check_client_secret(self, client_secret: str) -> bool:
        return secrets.compare_digest(client_secret, self.secret)

    def check_endpoint_auth_method(self, method: str, endpoint: str) -> bool:
        return method in {"client_secret_basic", "client_secret_post"}

    def check_response_type(self, response_type: str) -> bool:
        return response_type == "code"

    def check_grant_type(self, grant_type: str) -> bool:
        return grant_type == "authorization_code"


class AuthCode:
    def __init__(self, **kw: Any) -> None:
        self.code: str = kw["code"]
        self.client_id: str = kw["client_id"]
        self.redirect_uri: str = kw["redirect_uri"]
        self.scope: str = kw["scope"]
        self.user: dict[str, Any] = kw["user"]
        self.nonce: str = kw["nonce"]
        self.acr: str = kw["acr"]
        self.code_challenge: str | None = kw["code_challenge"]
        self.code_challenge_method: str | None = kw["code_challenge_method"]
        self.auth_time = int(time.time())

    def get_redirect_uri(self) -> str:
        return self.redirect_uri

    def get_scope(self) -> str:
        return self.scope

    def get_nonce(self) -> str:
        return self.nonce

    def get_auth_time(self) -> int:
        return self.auth_time

    def get_acr(self) -> str:
        return self.acr

    def get_amr(self) -> list[str]:
        return ["pwd"]

    def is_expired(self) -> bool:
        return time.time() > self.auth_time + 60


class CodeGrant(grants.AuthorizationCodeGrant):
    TOKEN_ENDPOINT_AUTH_METHODS = ["client_secret_basic", "client_secret_post"]

    def save_authorization_code(self, code: str, req: Any) -> None:
        data = req.payload.data
        CODES[code] = AuthCode(
            code=code,
            client_id=req.client.client_id,
            redirect_uri=req.payload.redirect_uri,
            scope=req.payload.scope,
            user=req.user,
            nonce=data.get("nonce"),
            acr=data.get("acr_values", "").split(" ")[0]
            or "http://eidas.europa.eu/LoA/substantial",
            code_challenge=data.get("code_challenge"),
            code_challenge_method=data.get("code_challenge_method"),
        )

    def query_authorization_code(self, code: str, client: Client) -> AuthCode | None:
        item = CODES.get(code)
        if item and item.client_id == client.client_id and not item.is_expired():
            return item
        return None

    def delete_authorization_code(self, authorization_code: AuthCode) -> None:
        CODES.pop(authorization_code.code, None)

    def authenticate_user(self, authorization_code: AuthCode) -> dict[str, Any]:
        return authorization_code.user


class IdTokens(OpenIDCode):
    def exists_nonce(self, nonce: str, req: Any) -> bool:
        return any(c.nonce == nonce for c in CODES.values())

    def resolve_client_private_key(self, client: Client) -> RSAKey:
        if TAMPER.pop("forge", None):
            # Signed with a key nobody published, under the published key's ID.
            return RSAKey.generate_key(2048, parameters={"kid": str(KEYS[-1].kid)})
        return KEYS[-1]

    def get_encode_header(self, client: Client) -> dict[str, str]:
        return {"alg": "RS256", "kid": str(KEYS[-1].kid)}

    def get_client_claims(self, client: Client) -> dict[str, Any]:
        audience = TAMPER.pop("aud", None) or client.client_id
        return {"iss": ISSUER, "aud": [audience]}

    def get_authorization_code_claims(self, authorization_code: Any) -> dict[str, Any]:
        claims = super().get_authorization_code_claims(authorization_code)
        if "nonce" in TAMPER:
            claims["nonce"] = TAMPER.pop("nonce")
        return claims

    def generate_user_info(self, user: dict[str, Any], scope: str) -> UserInfo:
        info = UserInfo(sub=user["sub"])
        if "profile" in scope:
            info.update(
                given_name=user["given_name"],
                family_name=user["family_name"],
                birthdate=user["birthdate"],
            )
        if "email" in scope:
            info.update(email=user["email"], email_verified=True)
        if "address" in scope and user["address"]:
            info["address"] = user["address"]
        return info


def save_token(token: dict[str, Any], req: Any) -> None:
    TOKENS[token["access_token"]] = {"user": req.user, "scope": token.get("scope", "")}


server = AuthorizationServer(app, query_client=CLIENTS.get, save_token=save_token)
server.register_grant(CodeGrant, [IdTokens(require_nonce=True), CodeChallenge(required=True)])


@app.get("/.well-known/openid-configuration")
def discovery() -> Any:
    return jsonify(
        issuer=ISSUER,
        authorization_endpoint=f"{ISSUER}/authorize",
        token_endpoint=f"{ISSUER}/token",
        userinfo_endpoint=f"{ISSUER}/userinfo",
        jwks_uri=f"{ISSUER}/jwks",
        response_types_supported=["code"],
        subject_types_supported=["public"],
        id_token_signing_alg_values_supported=["RS256"],
        code_challenge_methods_supported=["S256"],
        scopes_supported=["openid", "email", "profile", "address"],
        token_endpoint_auth_methods_supported=["client_secret_basic", "client_secret_post"],
        acr_values_supported=[
            "http://eidas.europa.eu/LoA/low",
            "http://eidas.europa.eu/LoA/substantial",
            "http://eidas.europa.eu/LoA/high",
        ],
    )


@app.get("/jwks")
def jwks() -> Any:
    return jsonify(keys=[key.as_dict(private=False) for key in KEYS])


@app.route("/authorize", methods=["GET", "POST"])
def authorize() -> Any:
    if request.method == "GET":
        server.get_consent_grant(end_user=None)  # validates client, redirect URI, PKCE
        return (
            '<form method="post"><input name="username"><input name="password" type="password">'
            "<button>Anmelden</button></form>"
        )
    user = USERS.get(request.form.get("username", ""))
    if user is None or request.form.get("password") != PASSWORD:
        return "wrong credentials", 401
    return server.create_authorization_response(grant_user=user)


@app.post("/token")
def token() -> Any:
    return server.create_token_response()


@app.get("/userinfo")
def userinfo() -> Any:
    auth = request.headers.get("Authorization", "")
    entry = TOKENS.get(auth.removeprefix("Bearer "))
    if entry is None:
        return jsonify(error="invalid_token"), 401
    return jsonify(dict(IdTokens().generate_user_info(entry["user"], entry["scope"])))


@app.before_request
def count_hits() -> None:
    if not request.path.startswith("/_test/"):
        HITS[request.path] += 1


@app.get("/_test/hits")
def hits() -> Any:
    return jsonify(HITS)


@app.post("/_test/clients")
def register_client() -> Any:
    data = request.get_json()
    CLIENTS[data["client_id"]] = Client(
        data["client_id"], data["client_secret"], data["redirect_uris"]
    )
    return jsonify(ok=True)


@app.post("/_test/tamper")
def tamper() -> Any:
    TAMPER.update(request.get_json())
    return jsonify(ok=True)


@app.post("/_test/rotate")
def rotate() -> Any:
    KEYS.append(new_key())
    del KEYS[:-1]  # the old key is withdrawn at once
    return jsonify(kid=KEYS[-1].kid)


def main() -> None:
    global ISSUER
    KEYS.append(new_key())
    httpd = make_server("127.0.0.1", 0, app, threaded=True)
    ISSUER = f"http://127.0.0.1:{httpd.server_port}"
    print(ISSUER, flush=True)
    httpd.serve_forever()


if __name__ == "__main__":
    main()
