"""Celery tasks of the news module; each runs in the schema of the town that sent it."""

from typing import Any

from celery import shared_task

from rathaus.tenants.current import current_town

from .delivery import (
    DeliveryInterrupted,
    deliveries_create,
    deliveries_to_send,
    delivery_batch_send,
    posts_stalled,
)
from .models import Post
from .opt_in import opt_in_mail_send, opt_in_mails_tidy


@shared_task(name="news.fan_out", ignore_result=True)
def fan_out(post_id: int) -> int:
    """Creates the post's delivery rows and sends the unsent ones out in batches.

    Running it again (a retry, a resume after a crash) only sends what was not sent.
    """
    post = Post.objects.filter(pk=post_id, status=Post.Status.PUBLISHED).first()
    if post is None:
        return 0
    deliveries_create(post=post)
    batches = deliveries_to_send(post=post)
    for ids in batches:
        send_batch.delay(post_id, ids)
    return len(batches)


@shared_task(name="news.send_batch", bind=True, max_retries=8, ignore_result=True)
def send_batch(self: Any, post_id: int, delivery_ids: list[int]) -> dict[str, int]:
    """Sends one batch over one SMTP connection; a redelivery resumes its own claim."""
    try:
        result = delivery_batch_send(
            town=current_town(),
            post_id=post_id,
            delivery_ids=delivery_ids,
            claim=str(self.request.id or "local"),
        )
    except DeliveryInterrupted as exc:
        raise self.retry(exc=exc, countdown=min(600, 15 * 2**self.request.retries)) from exc
    return {"sent": result.sent, "bounced": result.bounced, "skipped": result.skipped}


@shared_task(name="news.publish_due", ignore_result=True)
def publish_due() -> dict[str, list[int]]:
    """Beat, every minute in every active town: publishes due posts, resumes stalled fan-outs."""
    from .services import posts_publish_due

    published = posts_publish_due(town=current_town())
    stalled = [pk for pk in posts_stalled() if pk not in published]
    for pk in stalled:
        fan_out.delay(pk)
    return {"published": published, "resumed": stalled}


@shared_task(name="news.send_opt_in", bind=True, max_retries=8, ignore_result=True)
def send_opt_in(self: Any, mail_id: int) -> bool:
    """Sends one double opt-in e-mail; run again (a retry, a redelivery), it sends nothing."""
    try:
        return opt_in_mail_send(town=current_town(), mail_id=mail_id)
    except DeliveryInterrupted as exc:
        raise self.retry(exc=exc, countdown=min(600, 15 * 2**self.request.retries)) from exc


@shared_task(name="news.tidy_opt_in", ignore_result=True)
def tidy_opt_in() -> dict[str, int]:
    """Beat, in every town with news: queues lost opt-in e-mails again, drops stale ones."""
    result = opt_in_mails_tidy()
    for pk in result.requeued:
        send_opt_in.delay(pk)
    return {"requeued": len(result.requeued), "dropped": result.dropped}
