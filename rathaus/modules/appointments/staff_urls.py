from django.urls import path

from . import staff_views as views

urlpatterns = [
    path("", views.index, name="index"),
    path("regeln/", views.rules_edit, name="rules"),
    path("suche/", views.find, name="find"),
    path("standorte/neu/", views.location_edit, name="location-new"),
    path("standorte/<int:location_id>/", views.location_edit, name="location"),
    path("standorte/<int:location_id>/tag/", views.day, name="day"),
    path("standorte/<int:location_id>/woche/", views.week, name="week"),
    path("standorte/<int:location_id>/export.csv", views.export_csv, name="export"),
    path("standorte/<int:location_id>/statistik/", views.statistics, name="statistics"),
    path("dienstleistungen/neu/", views.service_edit, name="service-new"),
    path("dienstleistungen/<int:service_id>/", views.service_edit, name="service"),
    path("termine/<uuid:booking_uuid>/nicht-erschienen/", views.no_show, name="no-show"),
    path("termine/<uuid:booking_uuid>/absagen/", views.staff_cancel, name="cancel"),
]
