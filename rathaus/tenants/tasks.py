"""Background work of a town's lifecycle. Tasks take ids and call services."""

from celery import shared_task
from django.conf import settings

from rathaus.tenants.db import current_schema_name
from rathaus.tenants.models import Municipality
from rathaus.tenants.onboarding import admin_invite_send_now
from rathaus.tenants.provisioning import pool_fill


@shared_task(name="tenants.admin_invite_send", autoretry_for=(OSError,), max_retries=5)
def admin_invite_send(user_id: int) -> bool:
    """Sends the first town admin's invitation; runs in the town's schema, sends once."""
    town = Municipality.objects.filter(schema_name=current_schema_name()).first()
    if town is None:
        return False
    return admin_invite_send_now(town=town, user_id=user_id)


@shared_task(name="tenants.schema_pool_refill", ignore_result=True)
def schema_pool_refill() -> int:
    """Tops the warm pool of ready town schemas up (after an onboarding took one)."""
    return pool_fill(size=settings.SCHEMA_POOL_SIZE)
