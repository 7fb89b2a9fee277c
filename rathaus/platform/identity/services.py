"""Writes about accounts. Views, forms and tasks call these; nothing else writes."""

import secrets
from datetime import timedelta

from django.conf import settings
from django.contrib.auth.hashers import check_password, make_password
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django_otp.plugins.otp_totp.models import TOTPDevice

from rathaus.platform.identity.models import (
    AccountKind,
    EmailConfirmation,
    MemberRole,
    Membership,
    PhoneChallenge,
    User,
)
from rathaus.platform.identity.personal_data import personal_data_sections
from rathaus.platform.identity.sms import sms_send
from rathaus.platform.staff.support import is_reserved_email
from rathaus.tenants.models import Municipality
from rathaus.tenants.selectors import town_url
from rathaus.tenants.signing import BadToken, town_dumps, town_loads
from rathaus.tenants.town_tasks import queue_on_commit

EMAIL_CONFIRMATION_SALT = "rathaus.identity.email-confirmation"
EMAIL_CONFIRMATION_MAX_AGE = timedelta(days=3)
PHONE_CODE_VALIDITY = timedelta(minutes=10)
PHONE_CODE_MAX_ATTEMPTS = 5


def account_register(
    *,
    email: str,
    password: str,
    phone: str,
    kind: str = AccountKind.PERSON,
    first_name: str = "",
    last_name: str = "",
    organisation_name: str = "",
) -> User:
    """Creates an account in the current town and starts both confirmations.

    The e-mail with the confirmation link and the SMS with a one-time code
    are sent by tasks once the account is committed, so neither a slow mail
    server nor an SMS outage holds up or breaks the registration; the
    confirmation page offers to send the code again.
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
        phone_challenge_start(user=user)
    return user


def email_confirmation_token(*, user: User) -> str:
    """A token signed for the town that names the account and the address to confirm."""
    return town_dumps({"u": user.pk, "e": user.email}, salt=EMAIL_CONFIRMATION_SALT)


def email_confirmation_start(*, user: User) -> EmailConfirmation:
    """Queues the e-mail that confirms the account's address; a task sends it after the commit."""
    from rathaus.platform.identity.tasks import send_email_confirmation

    confirmation = EmailConfirmation.objects.create(
        user=user, email=user.email, language=translation.get_language() or ""
    )
    queue_on_commit(send_email_confirmation, confirmation.pk)
    return confirmation


def email_confirmation_deliver(*, town: Municipality, confirmation_id: int) -> bool:
    """Sends a queued confirmation e-mail unless it was sent already; True if it went out now.

    Nothing is sent once the address is confirmed or the account has another
    address. The row stays locked while sending, so two workers never both send it.
    """
    with transaction.atomic():
        confirmation = (
            EmailConfirmation.objects.select_for_update(skip_locked=True, of=("self",))
            .select_related("user")
            .filter(pk=confirmation_id, sent_at__isnull=True)
            .first()
        )
        if confirmation is None:
            return False
        user = confirmation.user
        if user.email != confirmation.email or user.email_verified_at is not None:
            return False
        # The town's own URLs, whichever URLconf the caller has.
        path = reverse("accounts:confirm-email", urlconf=settings.ROOT_URLCONF)
        link = town_url(town=town, path=f"{path}?token={email_confirmation_token(user=user)}")
        confirmation.sent_at = timezone.now()
        confirmation.save(update_fields=["sent_at"])
        # An error while sending rolls ``sent_at`` back, so a retry sends it.
        with translation.override(confirmation.language or settings.LANGUAGE_CODE):
            send_mail(
                subject=_("Bitte bestätigen Sie Ihre E-Mail-Adresse"),
                message=_(
                    "Guten Tag,\n\nbitte bestätigen Sie Ihre E-Mail-Adresse mit diesem Link:\n"
                    "%(link)s\n\nDer Link gilt drei Tage."
                )
                % {"link": link},
                from_email=None,
                recipient_list=[user.email],
            )
    return True


def account_confirm_email(*, token: str) -> User:
    """Marks the address in ``token`` confirmed. Raises ``ValidationError`` if the
    link is forged, expired, or the account's address changed since it was sent."""
    try:
        data = town_loads(
            token,
            salt=EMAIL_CONFIRMATION_SALT,
            max_age=int(EMAIL_CONFIRMATION_MAX_AGE.total_seconds()),
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
    """Starts a new code for the account's mobile number; a task sends it after the commit.

    Earlier open codes stop working, so only the newest SMS counts.
    """
    from rathaus.platform.identity.tasks import send_phone_code

    if not user.phone:
        raise ValidationError(_("Für dieses Konto ist keine Mobilnummer hinterlegt."))
    with transaction.atomic():
        PhoneChallenge.objects.filter(user=user, used_at__isnull=True).update(
            used_at=timezone.now()
        )
        challenge = PhoneChallenge.objects.create(
            user=user, phone=user.phone, language=translation.get_language() or ""
        )
        queue_on_commit(send_phone_code, challenge.pk)
    return challenge


def phone_code_deliver(*, challenge_id: int) -> bool:
    """Makes the six-digit code of a started challenge and sends it by SMS, once.

    Returns True if it went out now. The code is never stored, only its hash;
    a challenge that was replaced, used up or has run out sends nothing.
    Raises ``SmsError`` when the provider cannot take the message (nothing is
    kept then, so a retry sends a code).
    """
    with transaction.atomic():
        challenge = (
            PhoneChallenge.objects.select_for_update(skip_locked=True)
            .filter(
                pk=challenge_id,
                sent_at__isnull=True,
                used_at__isnull=True,
                created_at__gte=timezone.now() - PHONE_CODE_VALIDITY,
            )
            .first()
        )
        if challenge is None:
            return False
        code = f"{secrets.randbelow(10**6):06d}"
        challenge.code_hash = make_password(code)
        challenge.sent_at = timezone.now()
        challenge.save(update_fields=["code_hash", "sent_at"])
        with translation.override(challenge.language or settings.LANGUAGE_CODE):
            body = _("Ihr Bestätigungscode für das digitale Rathaus: %(code)s") % {"code": code}
        sms_send(to=str(challenge.phone), body=body)
    return True


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


def totp_device_confirm(*, user: User, token: str) -> bool:
    """Confirms the pending device if ``token`` is right: from then on login asks for codes."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    if device is None or not device.verify_token(token.strip()):
        return False
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    return True


def totp_disable(*, user: User) -> None:
    TOTPDevice.objects.filter(user=user).delete()


@transaction.atomic
def account_delete(*, user: User) -> None:
    """Deletes the account and everything this town keeps on the person.

    Every registered personal-data section erases its part first (each module's
    bookings, subscriptions …); memberships, SMS challenges, TOTP devices and
    state-account links go with the account row (cascades). All or nothing.
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
