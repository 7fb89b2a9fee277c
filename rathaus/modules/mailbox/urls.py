from django.urls import path

from . import views

urlpatterns = [
    path("", views.index, name="index"),
    path("consent/", views.consent, name="consent"),
    path("notifications/", views.notifications, name="notifications"),
    path("<uuid:public_id>/", views.message, name="message"),
    path("<uuid:public_id>/reply/", views.reply, name="reply"),
]
