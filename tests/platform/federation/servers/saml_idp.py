"""A real SAML 2.0 identity provider for the tests, on pysaml2's server side.

Run as its own process: ``python -m tests.platform.federation.servers.saml_idp``.
It prints its base URL on the first line of stdout. Its metadata is at
``/metadata``; service providers are registered by posting their metadata to
``/_test/sp``. A login takes the HTTP-Redirect AuthnRequest, shows a form, and
answers with a signed assertion via HTTP-POST, as a real IdP does. Form
fields ``audience`` and ``loa`` let a test make one answer wrong on purpose.
"""

import base64
import html
import re
import secrets
import tempfile
from pathlib import Path
from typing import Any

from flask import Flask, request
from saml2 import BINDING_HTTP_POST, BINDING_HTTP_REDIRECT
from saml2.config import IdPConfig
from saml2.metadata import entity_descriptor
from saml2.saml import NAME_FORMAT_URI, NAMEID_FORMAT_PERSISTENT, NameID
from saml2.server import Server
from werkzeug.serving import make_server

from rathaus.platform.federation.keys import sp_keypair_generate

app = Flask(__name__)
STATE: dict[str, Any] = {"sps": {}, "pending": {}}
PASSWORD = "geheim"
USERS = {
    "erika": {
        "subject": "sachsen-anhalt-erika-0001",
        "attributes": {
            "givenName": ["Erika"],
            "sn": ["Musterfrau"],
            "mail": ["erika.musterfrau@example.org"],
            "schacDateOfBirth": ["1964-08-12"],
            "postalCode": ["39517"],
            "l": ["Tangerhütte"],
        },
    },
}


def build_server() -> Server:
    conf = {
        "entityid": f"{STATE['base']}/metadata",
        "xmlsec_binary": "/usr/bin/xmlsec1",
        "key_file": STATE["key"],
        "cert_file": STATE["cert"],
        "accepted_time_diff": 60,
        "service": {
            "idp": {
                "endpoints": {
                    "single_sign_on_service": [(f"{STATE['base']}/sso", BINDING_HTTP_REDIRECT)]
                },
                "name_id_format": [NAMEID_FORMAT_PERSISTENT],
                "want_authn_requests_signed": True,
                "policy": {
                    "default": {
                        "lifetime": {"minutes": 5},
                        "attribute_restrictions": None,
                        "name_form": NAME_FORMAT_URI,
                    }
                },
            }
        },
        "metadata": {"inline": list(STATE["sps"].values())} if STATE["sps"] else {},
    }
    config = IdPConfig()
    config.load(conf)
    return Server(config=config)


@app.get("/metadata")
def metadata() -> Any:
    return str(entity_descriptor(build_server().config)), 200, {"Content-Type": "text/xml"}


@app.post("/_test/sp")
def register_sp() -> Any:
    xml = request.get_data(as_text=True)
    match = re.search(r'entityID="([^"]+)"', xml)
    if match is None:
        return "no entityID", 400
    STATE["sps"][match.group(1)] = xml  # a re-registered SP replaces its old metadata
    return "ok"


@app.get("/sso")
def sso() -> Any:
    server = build_server()
    # Checks the SP's signature on the redirect request against its metadata.
    # want_authn_requests_signed: pysaml2 refuses a request without the SP's valid signature.
    parsed = server.parse_authn_request(
        request.args["SAMLRequest"],
        BINDING_HTTP_REDIRECT,
        relay_state=request.args.get("RelayState"),
        sigalg=request.args.get("SigAlg"),
        signature=request.args.get("Signature"),
    )
    req = parsed.message
    sp_entity = req.issuer.text
    ticket = secrets.token_urlsafe(16)
    STATE["pending"][ticket] = {
        "id": req.id,
        "sp": sp_entity,
        "acs": req.assertion_consumer_service_url,
        "relay": request.args.get("RelayState", ""),
    }
    return (
        '<form method="post" action="/sso/login">'
        f'<input type="hidden" name="ticket" value="{ticket}">'
        '<input name="username"><input name="password" type="password">'
        "<button>Anmelden</button></form>"
    )


@app.post("/sso/login")
def sso_login() -> Any:
    pending = STATE["pending"].pop(request.form["ticket"], None)
    user = USERS.get(request.form.get("username", ""))
    if pending is None or user is None or request.form.get("password") != PASSWORD:
        return "wrong credentials", 401
    server = build_server()
    acs = (
        pending["acs"]
        or server.metadata.assertion_consumer_service(pending["sp"], BINDING_HTTP_POST)[0][
            "location"
        ]
    )
    response = server.create_authn_response(
        identity=user["attributes"],
        in_response_to=pending["id"],
        destination=acs,
        sp_entity_id=request.form.get("audience") or pending["sp"],
        name_id=NameID(format=NAMEID_FORMAT_PERSISTENT, text=user["subject"]),
        authn={
            "class_ref": request.form.get("loa") or "http://eidas.europa.eu/LoA/substantial",
            "authn_auth": STATE["base"],
        },
        sign_assertion=True,
        sign_response=False,
    )
    encoded = base64.b64encode(str(response).encode()).decode()
    return (
        f'<form method="post" action="{html.escape(acs)}">'
        f'<input type="hidden" name="SAMLResponse" value="{encoded}">'
        f'<input type="hidden" name="RelayState" value="{html.escape(pending["relay"])}">'
        "<noscript><button>Weiter</button></noscript></form>"
    )


def main() -> None:
    folder = Path(tempfile.mkdtemp(prefix="test-idp-"))
    key_pem, cert_pem = sp_keypair_generate(common_name="test-idp")
    (folder / "idp.key").write_text(key_pem)
    (folder / "idp.crt").write_text(cert_pem)
    STATE.update(key=str(folder / "idp.key"), cert=str(folder / "idp.crt"))
    httpd = make_server("127.0.0.1", 0, app, threaded=True)
    STATE["base"] = f"http://127.0.0.1:{httpd.server_port}"
    print(STATE["base"], flush=True)
    httpd.serve_forever()


if __name__ == "__main__":
    main()
