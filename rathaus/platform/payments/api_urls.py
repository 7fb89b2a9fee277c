from django.urls import path

from rathaus.platform.payments import api_views

app_name = "api-payments"

urlpatterns = [path("", api_views.MyPayments.as_view(), name="list")]
