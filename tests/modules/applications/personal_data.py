"""A person's applications, for the module contract's conformance test (and these tests)."""

from rathaus.modules.applications.models import Form
from rathaus.modules.applications.services import draft_save, submission_create
from rathaus.platform.identity.models import User
from rathaus.tenants.current import current_town
from tests.modules.applications.conftest import DOG, OWNER, publish


def create_personal_data(user: User) -> None:
    """In the current town: an application sent from the account, one sent as a guest
    with the account's address, and one saved to finish later."""
    form = Form.objects.filter(slug="hund-anmelden").first()
    version = form.live_version if form else publish(current_town())
    assert version is not None
    answers = {**OWNER, **DOG, "owner_name": user.get_full_name() or "Name", "email": user.email}
    submission_create(version=version, answers=answers, user=user)
    submission_create(version=version, answers={**answers, "email": user.email.upper()}, user=None)
    draft_save(version=version, answers={"owner_name": "Name"}, done=[], user=user)
