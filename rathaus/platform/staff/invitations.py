"""E-mail invitations for new staff, the first town admin included: a link to set a password."""

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _
from django_tenants.utils import schema_context

from rathaus.platform.audit.models import AuditEntry
from rathaus.platform.audit.services import Actor, audit_record
from rathaus.platform.identity.models import User
from rathaus.platform.identity.tokens import password_token_generator
from rathaus.tenants.models import Municipality
from rathaus.tenants.selectors import town_url

INVITE_ACTION = "staff.invited"


def staff_invitation_send(*, town: Municipality, user_id: int) -> bool:
    """E-mails a staff member of ``town`` the link to set a password.

    Sends at most once per account: the town's audit log remembers it, so a
    retried task sends no second e-mail. Returns whether it sent one.
    """
    with schema_context(town.schema_name):
        user = User.objects.filter(pk=user_id, is_active=True).first()
        if user is None or user.has_usable_password():
            return False
        if AuditEntry.objects.filter(action=INVITE_ACTION, target=user.email).exists():
            return False
        uid = urlsafe_base64_encode(force_bytes(user.pk))
        token = password_token_generator.make_token(user)
        path = reverse("accounts:password-set", args=[uid, token], urlconf=settings.ROOT_URLCONF)
        body = _(
            "Guten Tag,\n\n"
            "Sie sind in die Online-Verwaltung von %(town)s eingeladen. "
            "Bitte legen Sie hier Ihr Passwort fest:\n%(link)s\n\n"
            "Ihr Benutzername ist Ihre E-Mail-Adresse: %(email)s\n"
            "Der Link gilt drei Tage.\n"
        ) % {"town": town.name, "link": town_url(town=town, path=path), "email": user.email}
        # Recorded first: a crash after sending leaves no second e-mail; an error
        # while sending rolls the record back, so a retry sends it.
        with transaction.atomic():
            audit_record(
                town=town, actor=Actor.system("invitation"), action=INVITE_ACTION, target=user.email
            )
            send_mail(
                _("Ihr Zugang zum digitalen Rathaus %(town)s") % {"town": town.name},
                body,
                None,
                [user.email],
            )
    return True
