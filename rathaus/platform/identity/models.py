"""The account model. Its table exists in every schema: each town has its own accounts."""

from typing import Any

from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.contrib.auth.models import PermissionsMixin
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_otp.models import Device, TimestampMixin
from phonenumber_field.modelfields import PhoneNumberField

# Addresses under this domain are the platform's own (the vendor's support account of a
# town); nobody can register one.
RESERVED_EMAIL_DOMAIN = "rathaus.invalid"


def is_reserved_email(email: str) -> bool:
    """Whether ``email`` lies in the platform's own reserved domain."""
    return email.strip().lower().endswith("@" + RESERVED_EMAIL_DOMAIN)


def email_key(value: str) -> str:
    """An e-mail address as accounts store it and logins look it up: trimmed, lower case
    (people type "Erika.Muster@Web.de" one day and "erika.muster@web.de" the next)."""
    return value.strip().lower()


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def get_by_natural_key(self, username: str | None) -> "User":
        """The account for a login's e-mail address, whatever its letter case."""
        return self.get(**{self.model.USERNAME_FIELD: email_key(username or "")})

    def create_user(self, email: str, password: str | None = None, **fields: Any) -> "User":
        if not email:
            raise ValueError("An account needs an e-mail address.")
        user = self.model(email=email_key(self.normalize_email(email)), **fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, email: str, password: str | None = None, **fields: Any) -> "User":
        fields.setdefault("is_staff", True)
        fields.setdefault("is_superuser", True)
        return self.create_user(email, password, **fields)


class AccountKind(models.TextChoices):
    PERSON = "person", _("Person")
    ASSOCIATION = "association", _("Verein")
    COMPANY = "company", _("Unternehmen")


# Passkey derives from django-otp's untyped Device: the stubs cannot see its reverse manager.
class User(AbstractBaseUser, PermissionsMixin):  # type: ignore[django-manager-missing]
    """A person, association or company that logs in with an e-mail address.

    In the public schema: vendor staff. In a town's schema: that town's
    citizens and staff; ``is_staff`` marks the town's own staff.

    ``verified_fields`` names the fields whose current value came from the
    state account (Landeskonto/BundID); a change by hand drops the mark.
    """

    email = models.EmailField(_("E-Mail-Adresse"), unique=True)
    first_name = models.CharField(_("Vorname"), max_length=150, blank=True)
    last_name = models.CharField(_("Nachname"), max_length=150, blank=True)
    is_staff = models.BooleanField(_("Mitarbeiter"), default=False)
    is_active = models.BooleanField(_("aktiv"), default=True)
    date_joined = models.DateTimeField(_("registriert am"), default=timezone.now)
    # The vendor's support account of this town: entered only through a support
    # token, never with a password, and never matched by its e-mail address.
    is_support_account = models.BooleanField(default=False, editable=False)

    kind = models.CharField(
        _("Kontoart"), max_length=16, choices=AccountKind.choices, default=AccountKind.PERSON
    )
    organisation_name = models.CharField(_("Name der Organisation"), max_length=200, blank=True)
    phone = PhoneNumberField(_("Mobilnummer"), blank=True)
    email_verified_at = models.DateTimeField(_("E-Mail bestätigt am"), null=True, blank=True)
    phone_verified_at = models.DateTimeField(_("Mobilnummer bestätigt am"), null=True, blank=True)
    birth_date = models.DateField(_("Geburtsdatum"), null=True, blank=True)
    street = models.CharField(_("Straße und Hausnummer"), max_length=200, blank=True)
    postal_code = models.CharField(_("Postleitzahl"), max_length=10, blank=True)
    city = models.CharField(_("Ort"), max_length=100, blank=True)
    verified_fields = models.JSONField(_("vom Landeskonto bestätigt"), default=list, blank=True)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = []

    class Meta:
        verbose_name = _("Konto")
        verbose_name_plural = _("Konten")

    def __str__(self) -> str:
        return self.email

    def get_full_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip() or self.email

    def get_short_name(self) -> str:
        return self.first_name or self.email


class MemberRole(models.TextChoices):
    ADMIN = "admin", _("Verwaltung des Kontos")
    MEMBER = "member", _("Mitglied")


class Membership(models.Model):
    """A person acting for an association or company account, with a role."""

    organisation = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("Organisation")
    )
    member = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="organisations", verbose_name=_("Person")
    )
    role = models.CharField(
        _("Rolle"), max_length=16, choices=MemberRole.choices, default=MemberRole.MEMBER
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("Mitgliedschaft")
        verbose_name_plural = _("Mitgliedschaften")
        constraints = [
            models.UniqueConstraint(fields=["organisation", "member"], name="membership_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.member} @ {self.organisation} ({self.role})"


class PhoneChallenge(models.Model):
    """A one-time code sent by SMS to confirm a mobile number. Only its hash is kept.

    The request creates the challenge and its SMS in the outbox; the outbox makes
    the code when the SMS goes out and keeps its hash here (``messages.PhoneCodeMessage``).
    """

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="phone_challenges")
    phone = PhoneNumberField()
    code_hash = models.CharField(max_length=128, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    created_at = models.DateTimeField(default=timezone.now)
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.phone} ({self.created_at:%Y-%m-%d %H:%M})"


class Passkey(TimestampMixin, Device):
    """A WebAuthn credential (passkey) of an account, made for this town's primary host.

    A django-otp device, so a login with it counts as the second factor
    (``request.user.is_verified()``) just as a TOTP code does. ``name`` is
    the person's own label ("Telefon", "Laptop"); ``last_used_at`` comes
    from the mixin.
    """

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="passkeys")
    credential_id = models.BinaryField(unique=True)
    public_key = models.BinaryField()
    sign_count = models.PositiveBigIntegerField(default=0)
    # The RP ID the credential was made for: the town's primary host at the time.
    rp_id = models.CharField(max_length=253)
    transports = models.JSONField(default=list, blank=True)

    class Meta:
        verbose_name = _("Passkey")
        verbose_name_plural = _("Passkeys")
        ordering = ["created_at"]
