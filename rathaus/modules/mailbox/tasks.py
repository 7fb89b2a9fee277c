"""Celery tasks of the mailbox; each runs in the schema of the town that sent it."""

from celery import shared_task

from rathaus.tenants.current import current_town


@shared_task(name="mailbox.fall_back", ignore_result=True)
def fall_back() -> dict[str, list[str]]:
    """Beat, nightly in every town where the mailbox is on: notices not retrieved in time
    fall back to a letter (``services.messages_fall_back``); idempotent."""
    from .services import messages_fall_back

    return {"fell_back": messages_fall_back(town=current_town())}


@shared_task(name="mailbox.expire", ignore_result=True)
def expire() -> dict[str, list[str]]:
    """Beat, nightly in every town where the mailbox is on: deletes the messages kept past
    their retention and not on hold (``retention.messages_expire``); idempotent."""
    from .retention import messages_expire

    return {"expired": messages_expire(town=current_town())}
