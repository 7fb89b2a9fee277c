from django.urls import path

from rathaus.platform.oauth import staff_views

app_name = "staff-apps"

urlpatterns = [path("", staff_views.apps, name="index")]
