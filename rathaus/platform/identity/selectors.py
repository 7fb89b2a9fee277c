"""Reads about accounts."""

from collections.abc import Callable
from typing import Any

from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from rathaus.platform.identity.models import Membership, User

ExportSection = Callable[[User], Any]

# Other apps (federation, later every module) add what they keep on a person,
# so the export stays complete without this module knowing them: see
# ``export_section_register``.
_export_sections: dict[str, ExportSection] = {}


def export_section_register(name: str, section: ExportSection) -> None:
    """Adds a section to every data export; ``section(user)`` returns JSON-able data."""
    _export_sections[name] = section


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
    for name, section in _export_sections.items():
        data[name] = section(user)
    return data


def account_has_totp(*, user: User) -> bool:
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def account_members(*, organisation: User) -> list[Membership]:
    return list(Membership.objects.filter(organisation=organisation).select_related("member"))
