"""The applications part of "Mein Rathaus"."""

from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from rathaus.modules.registry import AccountItem, AccountSection
from rathaus.platform.identity.models import User

from .definition import text_in
from .selectors import citizen_status, submissions_of_user

SHOWN = 3


def applications_account_sections(*, user: User) -> list[AccountSection]:
    """ "Meine Anträge": how many, and the newest few with their status."""
    mine = list(submissions_of_user(user=user)[:SHOWN])
    count = submissions_of_user(user=user).count() if len(mine) == SHOWN else len(mine)
    summary = (
        ngettext("%(count)s Antrag", "%(count)s Anträge", count) % {"count": count}
        if count
        else _("Noch keine Online-Anträge")
    )
    items = tuple(
        AccountItem(
            title=text_in(submission.version.definition["title"]),
            detail=_("%(reference)s vom %(when)s: %(status)s")
            % {
                "reference": submission.reference,
                "when": formats.date_format(timezone.localtime(submission.submitted_at), "d.m.Y"),
                "status": citizen_status(submission=submission),
            },
        )
        for submission in mine
    )
    return [
        AccountSection(title=_("Meine Anträge"), url_name="account", summary=summary, items=items)
    ]
