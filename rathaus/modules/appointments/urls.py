from django.urls import path

from . import views

urlpatterns = [
    path("", views.index, name="index"),
    path("meine/", views.mine, name="mine"),
    path("<int:service_id>/", views.service_detail, name="service"),
    path("<int:service_id>/<int:location_id>/", views.slots, name="slots"),
    path("<int:service_id>/<int:location_id>/buchen/", views.book, name="book"),
    path("bestaetigen/<str:token>/", views.confirm, name="confirm"),
    path("termin/<str:token>/", views.manage, name="manage"),
    path("termin/<str:token>/termin.ics", views.calendar, name="calendar"),
    path("termin/<str:token>/absagen/", views.cancel, name="cancel"),
    path("termin/<str:token>/verschieben/", views.move, name="move"),
]
