"""The vendor's periodic work. Tasks stay thin and call services."""

from celery import shared_task

from rathaus.vendor.audit_anchors import all_tenants_audit_anchor


@shared_task(name="vendor.audit_anchor", ignore_result=True)
def audit_anchor() -> int:
    """Anchors the head of every town's audit chain outside the town's schema."""
    return all_tenants_audit_anchor()
