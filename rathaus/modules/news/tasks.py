"""Celery tasks of the news module; each runs in the schema of the town that sent it.

The e-mails themselves (posts, the double opt-in) are the platform outbox's work.
"""

from celery import shared_task

from rathaus.tenants.current import current_town


@shared_task(name="news.publish_due", ignore_result=True)
def publish_due() -> dict[str, list[int]]:
    """Beat, every minute in every active town: publishes due posts (with their e-mails)."""
    from .services import posts_publish_due

    return {"published": posts_publish_due(town=current_town())}
