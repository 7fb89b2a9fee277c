"""Reads about accounts."""

from typing import Any

from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from rathaus.platform.identity.models import Membership, User
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
    }
    # What other parts keep on the person (state-account links, messages, each module).
    for section in personal_data_sections():
        data[section.name] = section.export(user)
    return data


def account_has_totp(*, user: User) -> bool:
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def account_members(*, organisation: User) -> list[Membership]:
    return list(Membership.objects.filter(organisation=organisation).select_related("member"))
