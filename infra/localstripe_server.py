"""Runs localstripe (a fake, stateful Stripe API) on 127.0.0.1 only.

localstripe's own command listens on every interface and keeps its state in
/tmp/localstripe.pickle, shared by every instance on the machine. This keeps
the state in memory (tests) or in the file given with ``--state`` (``make run``),
and adds the billing routes and Checkout that localstripe lacks
(``infra/stripe_billing_standin.py``, ``infra/stripe_checkout_standin.py``).

    python infra/localstripe_server.py --port PORT [--state var/localstripe.pickle]

``make run`` gives it ``RATHAUS_STRIPE_PORT`` (infra/Procfile.dev).
"""

import argparse
import pickle
from pathlib import Path

from aiohttp import web
from localstripe import resources
from localstripe.server import app
from stripe_billing_standin import billing_middleware
from stripe_checkout_standin import checkout_middleware


def _persist_in(path: Path | None) -> None:
    def load(store: resources.Store) -> None:
        if path is not None and path.exists():
            with path.open("rb") as handle:
                store.clear()
                # Written by this same development server; never from elsewhere.
                store.update(pickle.load(handle))  # noqa: S301

    def dump(store: resources.Store) -> None:
        if path is not None:
            path.parent.mkdir(parents=True, exist_ok=True)
            with path.open("wb") as handle:
                pickle.dump(dict(store), handle, protocol=pickle.HIGHEST_PROTOCOL)

    resources.Store.try_load_from_disk = load
    resources.Store.dump_to_disk = dump


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--state", type=Path, default=None, help="file to keep the data in")
    args = parser.parse_args()
    _persist_in(args.state)
    resources.store.try_load_from_disk()
    # Before localstripe's authentication (the stand-in checks the key itself, and
    # serves invoice PDFs to a browser without one), after its error handling.
    app.middlewares.insert(1, billing_middleware)
    # Checkout (citizens' payments) likewise, before the billing routes.
    app.middlewares.insert(1, checkout_middleware)
    web.run_app(app, host="127.0.0.1", port=args.port, print=None, access_log=None)


if __name__ == "__main__":
    main()
