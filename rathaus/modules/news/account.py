"""The news part of "Mein Rathaus"."""

from django.utils.translation import gettext as _

from rathaus.modules.registry import AccountSection
from rathaus.platform.identity.models import User

from .selectors import subscriber_for_user


def news_account_sections(*, user: User) -> list[AccountSection]:
    """ "Meine Themen": the person's choice of topics, with the topics they receive now."""
    subscriber = subscriber_for_user(user=user)
    topics = (
        sorted(topic.name for topic in subscriber.topics.all())
        if subscriber is not None and subscriber.is_receiving
        else []
    )
    summary = ", ".join(topics) if topics else _("Noch keine Themen gewählt")
    return [AccountSection(title=_("Meine Themen"), url_name="account", summary=summary)]
