"""Writes about accounts. Views, forms and tasks call these; nothing else writes."""

import uuid
from datetime import timedelta

from django.contrib.auth.hashers import check_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_otp.plugins.otp_totp.models import TOTPDevice

from rathaus.platform.identity.messages import (
    EMAIL_CONFIRMATION,
    EMAIL_CONFIRMATION_SALT,
    PASSWORD_RESET,
    PHONE_CODE,
    PHONE_CODE_VALIDITY,
)
from rathaus.platform.identity.models import (
    AccountKind,
    MemberRole,
    Membership,
    PhoneChallenge,
    User,
    is_reserved_email,
)
from rathaus.platform.identity.personal_data import personal_data_sections
from rathaus.platform.messaging.keys import address_digest
from rathaus.platform.messaging.models import OutboxMessage
from rathaus.platform.messaging.services import message_enqueue
from rathaus.tenants.signing import BadToken, town_loads

EMAIL_CONFIRMATION_MAX_AGE = timedelta(days=3)
PHONE_CODE_MAX_ATTEMPTS = 5


def account_register(
    *,
    email: str,
    password: str,
    phone: str = "",
    kind: str = AccountKind.PERSON,
    first_name: str = "",
    last_name: str = "",
    organisation_name: str = "",
) -> User:
    """Creates an account in the current town and starts its confirmations.

    The mobile number is optional (what sends SMS asks for it when it is needed);
    given, it is confirmed by code like the address by link.
    The e-mail with the confirmation link and the SMS with a one-time code go
    through the outbox once the account is committed, so neither a slow mail
    server nor an SMS outage (nor the broker's) holds up or breaks the
    registration: the outbox tries again later, and the confirmation page
    offers to send a new code.
    Raises ``ValidationError`` for an e-mail address that already has an account.
    """
    email = User.objects.normalize_email(email).lower()
    if is_reserved_email(email):
        raise ValidationError({"email": _("Diese E-Mail-Adresse kann nicht verwendet werden.")})
    if User.objects.filter(email__iexact=email).exists():
        raise ValidationError({"email": _("Für diese E-Mail-Adresse gibt es schon ein Konto.")})
    if kind != AccountKind.PERSON and not organisation_name:
        raise ValidationError(
            {"organisation_name": _("Bitte geben Sie den Namen der Organisation an.")}
        )
    with transaction.atomic():
        user = User.objects.create_user(
            email,
            password,
            phone=phone,
            kind=kind,
            first_name=first_name,
            last_name=last_name,
            organisation_name=organisation_name,
        )
        email_confirmation_start(user=user)
        if user.phone:
            phone_challenge_start(user=user)
    return user


def account_phone_change(*, user: User, phone: str) -> User:
    """Sets the account's mobile number (unconfirmed) and sends a code to it.

    The same number again keeps its confirmation and sends nothing; an empty
    ``phone`` removes the number.
    """
    if str(user.phone or "") == phone:
        return user
    with transaction.atomic():
        user.phone = phone
        user.phone_verified_at = None
        user.save(update_fields=["phone", "phone_verified_at"])
        if phone:
            phone_challenge_start(user=user)
        else:
            PhoneChallenge.objects.filter(user=user, used_at__isnull=True).update(
                used_at=timezone.now()
            )
    return user


def email_confirmation_start(*, user: User) -> OutboxMessage:
    """Queues the e-mail that confirms the account's address (once per account and address)."""
    return message_enqueue(
        key=f"{EMAIL_CONFIRMATION}:{user.pk}:{address_digest(user.email)}",
        kind=EMAIL_CONFIRMATION,
        address=user.email,
        recipient=user,
        context={"user": user.pk},
    )


def account_confirm_email(*, token: str) -> User:
    """Marks the address in ``token`` confirmed. Raises ``ValidationError`` if the
    link is forged, expired, or the account's address changed since it was sent."""
    try:
        data = town_loads(
            token,
            salt=EMAIL_CONFIRMATION_SALT,
            max_age=int(EMAIL_CONFIRMATION_MAX_AGE.total_seconds()),
            # Links sent before December 2026 (valid three days): remove in 2027.
            legacy_key="t",
        )
        user = User.objects.filter(pk=data.get("u"), email=data.get("e")).first()
    except (BadToken, AttributeError, ValueError, TypeError) as exc:
        raise ValidationError(_("Der Bestätigungslink ist ungültig oder abgelaufen.")) from exc
    if user is None:
        raise ValidationError(_("Der Bestätigungslink ist ungültig oder abgelaufen."))
    if user.email_verified_at is None:
        user.email_verified_at = timezone.now()
        user.save(update_fields=["email_verified_at"])
    return user


def phone_challenge_start(*, user: User) -> PhoneChallenge:
    """Starts a new code for the account's mobile number; the outbox makes and sends it.

    Earlier open codes stop working, so only the newest SMS counts. The code is
    made when the SMS goes out and only its hash is kept (``messages.PhoneCodeMessage``).
    """
    if not user.phone:
        raise ValidationError(_("Für dieses Konto ist keine Mobilnummer hinterlegt."))
    with transaction.atomic():
        PhoneChallenge.objects.filter(user=user, used_at__isnull=True).update(
            used_at=timezone.now()
        )
        challenge = PhoneChallenge.objects.create(user=user, phone=user.phone)
        message_enqueue(
            key=f"{PHONE_CODE}:{challenge.pk}",
            kind=PHONE_CODE,
            address=str(user.phone),
            recipient=user,
            context={"challenge": challenge.pk},
        )
    return challenge


def password_reset_request(*, email: str) -> int:
    """Queues the e-mail with a link to set a new password for each active account with
    ``email`` and a password (none for an unknown address, which nobody learns);
    returns how many. The link is made when the e-mail goes out."""
    users = User.objects.filter(email__iexact=email.strip(), is_active=True)
    queued = 0
    for user in users:
        if not user.has_usable_password():
            continue
        message_enqueue(
            # Every request its own e-mail (the page limits how often one may ask).
            key=f"{PASSWORD_RESET}:{user.pk}:{uuid.uuid4().hex}",
            kind=PASSWORD_RESET,
            address=user.email,
            recipient=user,
            context={"user": user.pk},
        )
        queued += 1
    return queued


@transaction.atomic  # the challenge is locked while its attempts are counted
def account_confirm_phone(*, user: User, code: str) -> bool:
    """Checks ``code`` against the newest open challenge; True marks the number confirmed.

    A challenge dies after ``PHONE_CODE_MAX_ATTEMPTS`` wrong codes or
    ``PHONE_CODE_VALIDITY``, so the six digits cannot be guessed.
    """
    challenge = (
        PhoneChallenge.objects.select_for_update()
        .filter(
            user=user,
            used_at__isnull=True,
            phone=user.phone,
            created_at__gte=timezone.now() - PHONE_CODE_VALIDITY,
        )
        .first()
    )
    if challenge is None:
        return False
    if not check_password(code.strip(), challenge.code_hash):
        challenge.attempts += 1
        if challenge.attempts >= PHONE_CODE_MAX_ATTEMPTS:
            challenge.used_at = timezone.now()
        challenge.save(update_fields=["attempts", "used_at"])
        return False
    challenge.used_at = timezone.now()
    challenge.save(update_fields=["used_at"])
    user.phone_verified_at = timezone.now()
    user.save(update_fields=["phone_verified_at"])
    return True


def account_update_profile(*, user: User, **fields: object) -> User:
    """Changes profile fields by hand; a changed field loses its "verified" mark."""
    changed = [name for name, value in fields.items() if getattr(user, name) != value]
    for name in changed:
        setattr(user, name, fields[name])
    user.verified_fields = [f for f in user.verified_fields if f not in changed]
    user.full_clean(exclude=["password"])
    user.save()
    return user


def membership_add(*, organisation: User, member_email: str, role: str) -> Membership:
    """Lets an existing account of this town act for an association or company."""
    if organisation.kind == AccountKind.PERSON:
        raise ValidationError(_("Nur Vereine und Unternehmen haben Mitglieder."))
    member = User.objects.filter(email__iexact=member_email.strip()).first()
    if member is None:
        raise ValidationError(_("In dieser Kommune gibt es kein Konto mit dieser E-Mail-Adresse."))
    if member.pk == organisation.pk:
        raise ValidationError(_("Ein Konto kann nicht sein eigenes Mitglied sein."))
    if role not in MemberRole.values:
        raise ValidationError(_("Unbekannte Rolle."))
    membership, _created = Membership.objects.update_or_create(
        organisation=organisation, member=member, defaults={"role": role}
    )
    return membership


def membership_remove(*, organisation: User, membership_id: int) -> None:
    Membership.objects.filter(organisation=organisation, pk=membership_id).delete()


def totp_device_start(*, user: User) -> TOTPDevice:
    """A new, not yet confirmed TOTP device; replaces an earlier unconfirmed one."""
    TOTPDevice.objects.filter(user=user, confirmed=False).delete()
    return TOTPDevice.objects.create(user=user, name="App", confirmed=False)


def totp_device_confirm(*, user: User, token: str) -> TOTPDevice | None:
    """Confirms the pending device if ``token`` is right (from then on login asks for
    codes) and returns it; ``None`` if the code is wrong or nothing is pending."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    if device is None or not device.verify_token(token.strip()):
        return None
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    return device


def totp_disable(*, user: User) -> None:
    TOTPDevice.objects.filter(user=user).delete()


@transaction.atomic
def account_delete(*, user: User) -> None:
    """Deletes the account and everything this town keeps on the person.

    Every registered personal-data section erases its part first (each module's
    bookings, subscriptions, the messages sent to the person …); memberships, SMS
    challenges, TOTP devices and state-account links go with the account row
    (cascades). All or nothing.
    """
    for section in personal_data_sections():
        if section.erase is not None:
            section.erase(user)
    TOTPDevice.objects.filter(user=user).delete()
    user.delete()


def new_phone_code_allowed(*, user: User) -> bool:
    """At most one SMS a minute per account, so a bot cannot run up SMS costs."""
    last = PhoneChallenge.objects.filter(user=user).first()
    return last is None or last.created_at < timezone.now() - timedelta(minutes=1)
