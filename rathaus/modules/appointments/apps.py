from django.apps import AppConfig


class AppointmentsConfig(AppConfig):
    name = "rathaus.modules.appointments"
    label = "appointments"
    verbose_name = "Termine"
