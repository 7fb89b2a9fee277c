from django.urls import path

from rathaus.platform.payments import views

app_name = "payments"

urlpatterns = [
    path("webhook/<str:provider>/", views.webhook, name="webhook"),
    path("<str:token>/", views.payment, name="payment"),
    path("<str:token>/pay/", views.pay, name="pay"),
    path("<str:token>/return/", views.payment_return, name="return"),
]
