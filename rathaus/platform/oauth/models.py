"""What the toolkit does not keep: when an app last acted for a person."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from oauth2_provider.settings import oauth2_settings


class AppUse(models.Model):
    """The last time ``application`` used a token of ``user`` (at most once a minute)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE)
    application = models.ForeignKey(oauth2_settings.APPLICATION_MODEL, on_delete=models.CASCADE)
    last_used_at = models.DateTimeField(_("zuletzt benutzt"))

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "application"], name="oauth_appuse_once")
        ]

    def __str__(self) -> str:
        return f"{self.application_id} for {self.user_id} at {self.last_used_at:%Y-%m-%d %H:%M}"
