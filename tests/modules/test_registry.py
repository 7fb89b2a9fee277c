"""The registry: every module is found from its own registration."""

import pytest

from rathaus.modules.registry import Module, ModuleRegistry, modules


def test_modules_register_themselves() -> None:
    assert "contact" in modules
    assert modules["contact"].api_urls == "rathaus.modules.contact.api"


def test_a_key_cannot_be_registered_twice() -> None:
    registry = ModuleRegistry()

    class First(Module):
        key = "library"
        title = "Bibliothek"
        price = "module_library"

    class Second(Module):
        key = "library"
        title = "Bücherei"
        price = "module_library"

    registry.register(First)
    with pytest.raises(ValueError, match="registered twice"):
        registry.register(Second)


def test_a_key_must_be_a_lowercase_identifier() -> None:
    class Bad(Module):
        key = "Dog-Tax"
        title = "Hundesteuer"
        price = "module_dog_tax"

    with pytest.raises(ValueError, match="lowercase identifier"):
        ModuleRegistry().register(Bad)
