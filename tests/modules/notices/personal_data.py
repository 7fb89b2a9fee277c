"""Personal data of bulk notices for the conformance test: the user as a run's recipient."""

from rathaus.modules.notices.models import Recipient, Run, Template
from rathaus.platform.identity.models import User


def create_personal_data(user: User) -> None:
    template = Template.objects.create(
        name=f"Vorlage {user.pk}", subject="Bescheid", body="Guten Tag {name}", sender_line="Stadt"
    )
    run = Run.objects.create(template=template, filename="umlage.csv")
    Recipient.objects.create(
        run=run,
        line=2,
        recipient_key=user.email,
        name=user.get_full_name(),
        street="Markt 1",
        postcode="39517",
        city="Tangerhütte",
        values={"betrag": "12,50"},
        route=Recipient.Route.MAILBOX,
        account=user,
        idempotency_key=f"notices:conformance-{user.pk}",
    )
