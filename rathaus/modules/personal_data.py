"""Each module's personal data joins the person's export and erasure (identity's port)."""

from rathaus.modules.registry import Module, modules
from rathaus.platform.identity.models import User
from rathaus.platform.identity.personal_data import personal_data_section


def _section_for(module: type[Module]) -> None:
    def export(user: User) -> object:
        return module.personal_data_export(user=user)

    def erase(user: User) -> None:
        module.personal_data_erase(user=user)

    personal_data_section(f"module:{module.key}", export=export, erase=erase)


def module_personal_data_register() -> None:
    """One section per module that keeps personal data (``Module.personal_models``)."""
    for module in modules:
        if module.personal_models:
            _section_for(module)
