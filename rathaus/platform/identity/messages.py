"""The messages of accounts, rendered by the outbox at send time (``rathaus.platform.messaging``).

Links with tokens and the SMS code are made here, when the message goes out, so the
outbox row holds nothing secret: only the account's id (and the challenge's).
"""

import secrets
from datetime import timedelta

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from rathaus.platform.identity.models import PhoneChallenge, User
from rathaus.platform.identity.tokens import password_token_generator
from rathaus.platform.messaging.models import OutboxMessage
from rathaus.platform.messaging.registry import MessageKind, Rendered, kinds
from rathaus.tenants.current import current_town
from rathaus.tenants.selectors import town_url
from rathaus.tenants.signing import town_dumps

EMAIL_CONFIRMATION = "identity.email_confirmation"
PHONE_CODE = "identity.phone_code"
PASSWORD_RESET = "identity.password_reset"  # noqa: S105 (a message kind, no secret)

EMAIL_CONFIRMATION_SALT = "rathaus.identity.email-confirmation"
PHONE_CODE_VALIDITY = timedelta(minutes=10)


def email_confirmation_token(*, user: User) -> str:
    """A token signed for the town that names the account and the address to confirm."""
    return town_dumps({"u": user.pk, "e": user.email}, salt=EMAIL_CONFIRMATION_SALT)


def _town_link(path: str) -> str:
    return town_url(town=current_town(), path=path)


def _account(message: OutboxMessage) -> User | None:
    """The account the message is for, if it still has the address it was written to."""
    user = User.objects.filter(pk=message.context.get("user"), is_active=True).first()
    if user is None or user.email.lower() != message.address.lower():
        return None
    return user


@kinds.register(EMAIL_CONFIRMATION)
class EmailConfirmationMessage(MessageKind):
    """The link that confirms an account's e-mail address (sent after registering)."""

    channel = "email"
    label = gettext_lazy("Bestätigung der E-Mail-Adresse")

    def render(self, message: OutboxMessage) -> Rendered | None:
        user = _account(message)
        if user is None or user.email_verified_at is not None:
            return None  # confirmed meanwhile, or the account has another address now
        # The town's own URLs, whichever URLconf the caller has.
        path = reverse("accounts:confirm-email", urlconf=settings.ROOT_URLCONF)
        link = _town_link(f"{path}?token={email_confirmation_token(user=user)}")
        return Rendered(
            subject=_("Bitte bestätigen Sie Ihre E-Mail-Adresse"),
            body=_(
                "Guten Tag,\n\nbitte bestätigen Sie Ihre E-Mail-Adresse mit diesem Link:\n"
                "%(link)s\n\nDer Link gilt drei Tage."
            )
            % {"link": link},
        )


@kinds.register(PHONE_CODE)
class PhoneCodeMessage(MessageKind):
    """The six-digit code that confirms a mobile number; made now, only its hash is kept."""

    channel = "sms"
    label = gettext_lazy("Bestätigungscode per SMS")

    def render(self, message: OutboxMessage) -> Rendered | None:
        code = f"{secrets.randbelow(10**6):06d}"
        # Each attempt makes a new code: only the one last handed over can match.
        made = PhoneChallenge.objects.filter(
            pk=message.context.get("challenge"),
            used_at__isnull=True,
            created_at__gte=timezone.now() - PHONE_CODE_VALIDITY,
        ).update(code_hash=make_password(code))
        if not made:
            return None  # replaced by a newer code, used up, or run out
        return Rendered(
            body=_("Ihr Bestätigungscode für das digitale Rathaus: %(code)s") % {"code": code}
        )


@kinds.register(PASSWORD_RESET)
class PasswordResetMessage(MessageKind):
    """The link to set a new password, asked for on "Passwort vergessen"."""

    channel = "email"
    label = gettext_lazy("Link für ein neues Passwort")

    def render(self, message: OutboxMessage) -> Rendered | None:
        user = _account(message)
        if user is None or not user.has_usable_password():
            return None
        uid = urlsafe_base64_encode(force_bytes(user.pk))
        token = password_token_generator.make_token(user)
        path = reverse(
            "accounts:password-reset-confirm",
            kwargs={"uidb64": uid, "token": token},
            urlconf=settings.ROOT_URLCONF,
        )
        context = {"user": user, "reset_url": _town_link(path)}
        subject = render_to_string("identity/password_reset_subject.txt", context)
        return Rendered(
            subject="".join(subject.splitlines()),
            body=render_to_string("identity/password_reset_email.txt", context),
        )
