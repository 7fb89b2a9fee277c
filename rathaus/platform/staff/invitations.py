"""E-mail invitations for new staff, the first town admin included: a link to set a password.

The invitation goes through the outbox (``rathaus.platform.messaging``), once per
account (its key names the account); the link is made when it goes out, so
nothing secret is stored. The audit log records that the person was invited.
The town admin may send a new one ("Einladung erneut senden"): a message of its
own, with a new link, audited as ``staff.invitation_resent``.

Before the outbox, an invitation was a task (``staff.send_invitation``) that sent
the mail and wrote ``staff.invited`` to the audit log, the ledger of what was
sent. Migration ``0002`` queues, once, the invitations that ledger never
recorded; the task name stays for what was still in the broker at the deploy.
"""

import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from rathaus.platform.audit.models import AuditEntry
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
RESEND_ACTION = "staff.invitation_resent"
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


def staff_invitation_resend(*, town: Municipality, user: User, actor: Actor) -> OutboxMessage:
    """Queues a new invitation of ``user`` (a message of its own, with a new link; the
    earlier links stop working), audited.

    For a member who has not set a password yet (the link ran out, the mail got
    lost). Raises ``ValidationError`` once the member has a password or no access.
    Runs in the caller's transaction: the e-mail leaves once it commits.
    """
    if not user.is_active or user.has_usable_password():
        raise ValidationError(
            _("%(email)s hat bereits ein Passwort und braucht keine Einladung.")
            % {"email": user.email}
        )
    # A new (still unusable) password hash: the earlier links stop working, the new
    # one differs from them (a password link hashes it).
    user.set_unusable_password()
    user.save(update_fields=["password"])
    audit_record(town=town, actor=actor, action=RESEND_ACTION, target=user.email)
    return message_enqueue(
        key=f"{INVITATION}:{user.pk}:{uuid.uuid4().hex}",
        kind=INVITATION,
        address=user.email,
        recipient=user,
        context={"user": user.pk},
    )


def staff_invitation_last(*, user: User) -> OutboxMessage | None:
    """The member's latest invitation in the outbox (state and dates for the team page)."""
    return (
        OutboxMessage.objects.filter(kind=INVITATION, recipient=user)
        .order_by("-created_at", "-pk")
        .first()
    )


def staff_invitation_legacy(*, town: Municipality, user_id: int) -> OutboxMessage | None:
    """What an invitation task queued before the outbox does now: queues the invitation,
    unless the old ledger (the audit log) says it was sent, or the account needs none."""
    user = User.objects.filter(pk=user_id, is_active=True).first()
    if user is None or user.has_usable_password():
        return None
    if AuditEntry.objects.filter(action=INVITE_ACTION, target=user.email).exists():
        return None
    return staff_invitation_queue(town=town, user=user)


@kinds.register(INVITATION)
class StaffInvitationMessage(MessageKind):
    """A new staff member's link to set a password; nothing once one is set."""

    channel = "email"
    label = gettext_lazy("Einladung in die Online-Verwaltung")

    def render(self, message: OutboxMessage) -> Rendered | None:
        user = User.objects.filter(pk=message.context.get("user"), is_active=True).first()
        if user is None or user.has_usable_password() or user.email != message.address:
            return None
        ledger_entry = message.context.get("ledger_entry")
        if ledger_entry is not None and (
            AuditEntry.objects.filter(action=INVITE_ACTION, target=user.email)
            .exclude(pk=ledger_entry)
            .exists()
        ):
            # Queued by the migration, but a worker of the old release sent it meanwhile.
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
