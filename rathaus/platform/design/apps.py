from django.apps import AppConfig


class DesignConfig(AppConfig):
    """The design system: KERN UX, template components and the one form renderer."""

    name = "rathaus.platform.design"
    label = "design"
