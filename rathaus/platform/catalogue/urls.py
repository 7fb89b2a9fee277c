from django.urls import path

from . import views

app_name = "catalogue"
urlpatterns = [
    path("suche/", views.search, name="search"),
    path("leistungen/", views.service_list, name="list"),
    path("leistungen/<slug:slug>/", views.service_page, name="service"),
    path("lebenslagen/<slug:key>/", views.life_situation_page, name="life-situation"),
]
