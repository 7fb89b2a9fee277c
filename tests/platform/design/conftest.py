# The back office's fixtures, for the staff forms' error pages.
from tests.platform.staff.conftest import admin_a, admin_client_a  # noqa: F401
