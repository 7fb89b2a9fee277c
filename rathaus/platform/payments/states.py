"""How a payment's state may move: only forward, never back.

started → processing → paid / failed / cancelled (started may skip processing);
paid → partly refunded → refunded (a partial refund may follow another). Failed,
cancelled and refunded are final. A late or repeated outcome that would move a
payment back (a "processing" after "paid") changes nothing.
"""

from .models import Payment

State = Payment.State

FORWARD: dict[str, frozenset[str]] = {
    State.STARTED: frozenset({State.PROCESSING, State.PAID, State.FAILED, State.CANCELLED}),
    State.PROCESSING: frozenset({State.PAID, State.FAILED, State.CANCELLED}),
    State.PAID: frozenset({State.PARTLY_REFUNDED, State.REFUNDED}),
    State.PARTLY_REFUNDED: frozenset({State.PARTLY_REFUNDED, State.REFUNDED}),
    State.FAILED: frozenset(),
    State.CANCELLED: frozenset(),
    State.REFUNDED: frozenset(),
}
OPEN = (State.STARTED, State.PROCESSING)
REFUNDABLE = (State.PAID, State.PARTLY_REFUNDED)


def may_move(source: str, target: str) -> bool:
    """Whether a payment in ``source`` may go to ``target``."""
    return target in FORWARD.get(source, frozenset())


def sources_of(target: str) -> list[str]:
    """The states from which a payment may go to ``target``."""
    return [source for source, targets in FORWARD.items() if target in targets]
