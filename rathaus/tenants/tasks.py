"""Background work of a town's lifecycle. Tasks take ids and call services."""

from celery import shared_task
from django.conf import settings

from rathaus.tenants.provisioning import pool_fill


@shared_task(name="tenants.schema_pool_refill", ignore_result=True)
def schema_pool_refill() -> int:
    """Tops the warm pool of ready town schemas up (after an onboarding took one)."""
    return pool_fill(size=settings.SCHEMA_POOL_SIZE)
