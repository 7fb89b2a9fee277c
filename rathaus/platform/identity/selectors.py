"""Reads about accounts."""

from typing import Any

from django.db.models import QuerySet
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from rathaus.platform.identity.models import Membership, Passkey, User
from rathaus.platform.identity.personal_data import personal_data_sections


def _iso(value: object) -> object:
    return value.isoformat() if hasattr(value, "isoformat") else value


def account_data_export(*, user: User) -> dict[str, Any]:
    """Everything this town holds on ``user``, as JSON-able data (GDPR Art. 15 and 20)."""
    account = {
        field: _iso(getattr(user, field))
        for field in [
            "email",
            "kind",
            "organisation_name",
            "first_name",
            "last_name",
            "birth_date",
            "street",
            "postal_code",
            "city",
            "email_verified_at",
            "phone_verified_at",
            "date_joined",
            "last_login",
            "verified_fields",
        ]
    }
    account["phone"] = str(user.phone) if user.phone else ""
    data: dict[str, Any] = {
        "exported_at": timezone.now().isoformat(),
        "account": account,
        "members": [
            {"email": m.member.email, "role": m.role, "since": m.created_at.isoformat()}
            for m in Membership.objects.filter(organisation=user).select_related("member")
        ],
        "member_of": [
            {
                "organisation": m.organisation.organisation_name or m.organisation.email,
                "role": m.role,
            }
            for m in Membership.objects.filter(member=user).select_related("organisation")
        ],
        "second_factor": TOTPDevice.objects.filter(user=user, confirmed=True).exists(),
        "passkeys": [
            {
                "name": key.name,
                "created_at": _iso(key.created_at),
                "last_used_at": _iso(key.last_used_at),
            }
            for key in account_passkeys(user=user)
        ],
    }
    # What other parts keep on the person (state-account links, messages, each module).
    for section in personal_data_sections():
        data[section.name] = section.export(user)
    return data


def account_has_totp(*, user: User) -> bool:
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def account_passkeys(*, user: User) -> "QuerySet[Passkey]":
    """The account's passkeys, oldest first."""
    return Passkey.objects.filter(user=user).order_by("created_at")


def account_members(*, organisation: User) -> list[Membership]:
    return list(Membership.objects.filter(organisation=organisation).select_related("member"))


def account_organisations(*, member: User) -> list[Membership]:
    """The associations and companies ``member`` acts for, with the role."""
    return list(
        Membership.objects.filter(member=member)
        .select_related("organisation")
        .order_by("organisation__organisation_name")
    )


def account_proven_email(*, user: User) -> str | None:
    """The account's e-mail address if its owner has proven it (confirmed by link or by the
    state account), else ``None``.

    Data kept under an address rather than an account (a guest's booking, an address-only
    subscription) belongs to a person only through a proven address: anyone can register
    with someone else's address, and must not see or delete their data by doing so.
    """
    if user.email_verified_at is None or not user.email:
        return None
    return user.email.strip().lower()


def account_proven_phone(*, user: User) -> str | None:
    """The account's mobile number (E.164) if its owner has proven it by code, else ``None``."""
    if user.phone_verified_at is None or not user.phone:
        return None
    return str(user.phone)
