"""E-mail invitations for new staff, the first town admin included: a link to set a password.

The invitation goes through the outbox (``rathaus.platform.messaging``), once per
account (its key names the account); the link is made when it goes out, so
nothing secret is stored. The audit log records that the person was invited.
"""

from django.conf import settings
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from rathaus.platform.audit.services import Actor, audit_record
from rathaus.platform.identity.models import User
from rathaus.platform.identity.tokens import password_token_generator
from rathaus.platform.messaging.models import OutboxMessage
from rathaus.platform.messaging.registry import MessageKind, Rendered, kinds
from rathaus.platform.messaging.services import message_enqueue
from rathaus.tenants.current import current_town
from rathaus.tenants.models import Municipality
from rathaus.tenants.selectors import town_url

INVITE_ACTION = "staff.invited"
INVITATION = "staff.invitation"


def staff_invitation_queue(*, town: Municipality, user: User) -> OutboxMessage:
    """Queues the invitation of ``user`` (staff of ``town``, in its schema); sent once per account.

    Runs in the caller's transaction: the e-mail leaves once it commits. Queuing
    again returns the same message and sends nothing more.
    """
    key = f"{INVITATION}:{user.pk}"
    existing = OutboxMessage.objects.filter(key=key).first()
    if existing is not None:
        return existing
    audit_record(
        town=town, actor=Actor.system("invitation"), action=INVITE_ACTION, target=user.email
    )
    return message_enqueue(
        key=key, kind=INVITATION, address=user.email, recipient=user, context={"user": user.pk}
    )


@kinds.register(INVITATION)
class StaffInvitationMessage(MessageKind):
    """A new staff member's link to set a password; nothing once one is set."""

    channel = "email"
    label = gettext_lazy("Einladung in die Online-Verwaltung")

    def render(self, message: OutboxMessage) -> Rendered | None:
        user = User.objects.filter(pk=message.context.get("user"), is_active=True).first()
        if user is None or user.has_usable_password() or user.email != message.address:
            return None
        town = current_town()
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
        return Rendered(
            subject=_("Ihr Zugang zum digitalen Rathaus %(town)s") % {"town": town.name},
            body=body,
        )
