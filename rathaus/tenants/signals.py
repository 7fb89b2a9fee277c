"""Keeps the host -> town cache true: any change to a domain or a town drops its entries.

Entries are dropped at once and again after the transaction commits, so a
request that re-read the old row before the commit cannot leave it cached.
"""

from typing import Any

from django.db import transaction
from django.db.models.signals import post_delete, post_init, post_save
from django.dispatch import receiver

from rathaus.tenants.models import Domain, Municipality, hostname_normalize
from rathaus.tenants.selectors import forget_hosts


def _forget_now_and_on_commit(hostnames: set[str]) -> None:
    names = {name for name in hostnames if name}
    forget_hosts(*names)
    transaction.on_commit(lambda: forget_hosts(*names))


@receiver(post_init, sender=Domain)
def remember_loaded_domain(sender: type[Domain], instance: Domain, **kwargs: Any) -> None:
    # A renamed domain must drop the entry of its old host name too.
    instance._loaded_domain = instance.domain


@receiver([post_save, post_delete], sender=Domain)
def domain_changed(sender: type[Domain], instance: Domain, **kwargs: Any) -> None:
    names = {instance.domain, getattr(instance, "_loaded_domain", "")}
    _forget_now_and_on_commit({hostname_normalize(name or "") for name in names})
    instance._loaded_domain = instance.domain


@receiver([post_save, post_delete], sender=Municipality)
def municipality_changed(sender: type[Municipality], instance: Municipality, **kwargs: Any) -> None:
    hosts = set(Domain.objects.filter(tenant_id=instance.pk).values_list("domain", flat=True))
    _forget_now_and_on_commit(hosts)
