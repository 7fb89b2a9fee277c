"""Who is acting in a staff request, for the audit log."""

from django.http import HttpRequest

from rathaus.platform.audit.services import Actor

# Set in the session when vendor staff entered the town through audited support access.
SUPPORT_SESSION_KEY = "rathaus_support_by"


def request_actor(request: HttpRequest) -> Actor:
    """The town's staff member, or the vendor's person behind a support session."""
    support_by = request.session.get(SUPPORT_SESSION_KEY)
    if support_by:
        return Actor.vendor_support(str(support_by))
    return Actor.staff(request.user)
