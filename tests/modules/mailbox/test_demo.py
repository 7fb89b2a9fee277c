"""The demo: the demo citizen's mailbox holds a notice with its PDF and a message to answer."""

from django_tenants.utils import tenant_context

from rathaus.modules.mailbox.demo import demo_load
from rathaus.modules.mailbox.models import Message
from rathaus.modules.mailbox.selectors import consent_given
from rathaus.platform.audit.services import Actor
from rathaus.tenants.models import Municipality
from tests.factories import UserFactory


def test_the_demo_citizen_finds_a_notice_and_a_message_once_however_often_it_loads(
    mailbox_a: Municipality,
) -> None:
    with tenant_context(mailbox_a):
        citizen = UserFactory.create(email="buerger@tangerhuette.localhost")

        for _ in range(2):
            demo_load(town=mailbox_a, actor=Actor.system("load_demo"))

        assert consent_given(account=citizen)
        information, notice = Message.objects.filter(owner=citizen).order_by("kind")
        assert notice.kind == Message.Kind.NOTICE
        [document] = notice.documents.all()
        assert document.filename == "hundesteuerbescheid-2026.pdf"
        assert information.allows_reply
