from django.urls import path

from rathaus.platform.payments import staff_views

app_name = "staff-payments"

urlpatterns = [
    path("", staff_views.index, name="index"),
    path("export.csv", staff_views.export, name="export"),
    path("settings/", staff_views.payment_rules, name="settings"),
    path("statement/", staff_views.statement, name="statement"),
    path("providers/", staff_views.providers_overview, name="providers"),
    path("providers/<str:key>/", staff_views.provider_edit, name="provider"),
    path("<str:kassenzeichen>/", staff_views.detail, name="detail"),
    path("<str:kassenzeichen>/paid/", staff_views.mark_paid, name="mark-paid"),
    path("<str:kassenzeichen>/refund/", staff_views.refund, name="refund"),
    path(
        "<str:kassenzeichen>/refunds/<int:pk>/approve/",
        staff_views.refund_approve,
        name="refund-approve",
    ),
]
