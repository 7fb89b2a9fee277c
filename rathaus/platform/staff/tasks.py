"""Invitation e-mails to new staff members (sent by the worker, in the town's schema)."""

import hashlib

from celery import shared_task
from django.contrib.auth.tokens import default_token_generator
from django.core.cache import cache
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from rathaus.platform.identity.models import User
from rathaus.tenants.db import tenant_connection

SENT_MARK_SECONDS = 7 * 24 * 60 * 60


@shared_task(name="staff.send_invitation")
def send_staff_invitation(user_id: int, base_url: str) -> bool:
    """E-mails ``user`` a link to set a password; sends once per invitation.

    The mark is keyed by the account's current password hash, so a retried
    task sends nothing twice, while a new invitation (new unusable password)
    is sent again. Returns whether an e-mail went out.
    """
    user = User.objects.filter(pk=user_id, is_active=True).first()
    if user is None or user.has_usable_password():
        return False
    mark = "staff-invitation:" + hashlib.sha256(f"{user.pk}:{user.password}".encode()).hexdigest()
    if not cache.add(mark, 1, SENT_MARK_SECONDS):
        return False
    link = base_url.rstrip("/") + reverse(
        "staff:invitation-accept",
        kwargs={
            "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
            "token": default_token_generator.make_token(user),
        },
    )
    town = tenant_connection.tenant
    context = {"user": user, "town": town, "link": link}
    send_mail(
        subject=render_to_string("staff/invitation_subject.txt", context).strip(),
        message=render_to_string("staff/invitation_email.txt", context),
        from_email=None,
        recipient_list=[user.email],
    )
    return True
