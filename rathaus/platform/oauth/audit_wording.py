"""How the audit log words the registering and removing of apps."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from rathaus.platform.audit.models import AuditEntry
from rathaus.platform.audit.wording import AuditWords, audit_wording


@audit_wording("oauth.", label=gettext_lazy("Apps (OAuth 2.0)"))
def oauth_words(entry: AuditEntry, actor: str) -> AuditWords | None:
    if entry.action == "oauth.app_register":
        return AuditWords(
            _("%(actor)s hat die App „%(app)s“ eingetragen.")
            % {"actor": actor, "app": entry.target}
        )
    if entry.action == "oauth.app_delete":
        return AuditWords(
            _("%(actor)s hat die App „%(app)s“ entfernt.") % {"actor": actor, "app": entry.target}
        )
    return None
