"""The mailbox part of "Mein Rathaus"."""

from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from rathaus.modules.registry import AccountItem, AccountSection
from rathaus.platform.identity.models import User

from .selectors import messages_of, messages_unread_count

SHOWN = 3


def mailbox_account_sections(*, user: User) -> list[AccountSection]:
    """ "Mein Postfach": how many unread, and the newest few messages."""
    unread = messages_unread_count(owner=user)
    summary = (
        ngettext("%(count)s ungelesene Nachricht", "%(count)s ungelesene Nachrichten", unread)
        % {"count": unread}
        if unread
        else _("Keine ungelesenen Nachrichten")
    )
    items = tuple(
        AccountItem(
            title=message.subject,
            url=reverse("mailbox:message", kwargs={"public_id": message.public_id}),
            detail=_("%(sender)s, %(when)s")
            % {
                "sender": message.sender_office,
                "when": formats.date_format(timezone.localtime(message.provided_at), "d.m.Y"),
            },
        )
        for message in messages_of(owner=user)[:SHOWN]
    )
    return [
        AccountSection(title=_("Mein Postfach"), url_name="index", summary=summary, items=items)
    ]
