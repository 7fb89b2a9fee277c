"""Staff roles, in each town's own schema."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

TOWN_ADMIN = "town_admin"


class StaffRole(models.Model):
    """One role of one staff member: ``town_admin``, or ``<module>.<role>`` for a module's role."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="staff_roles"
    )
    role = models.CharField(_("Rolle"), max_length=100)
    granted_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("Rolle")
        verbose_name_plural = _("Rollen")
        constraints = [models.UniqueConstraint(fields=["user", "role"], name="one_row_per_role")]

    def __str__(self) -> str:
        return f"{self.user_id}: {self.role}"


class StaffPolicy(models.Model):
    """The town admin's rules for the whole back office: one row (pk 1) per town."""

    # On: every staff member must have proven a second factor (an authenticator
    # app's code or a passkey) in this session before any back-office page or API.
    second_factor_required = models.BooleanField(
        _("Zweiten Faktor für das Team verlangen"), default=False
    )
    changed_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("Regeln für das Team")
        verbose_name_plural = _("Regeln für das Team")

    def __str__(self) -> str:
        return f"second factor required: {self.second_factor_required}"
