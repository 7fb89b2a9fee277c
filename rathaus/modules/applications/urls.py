from django.urls import path

from . import case_views, views

urlpatterns = [
    path("", views.index, name="index"),
    # Before the forms' addresses: "account", "pay" and "case" are no form's slug
    # (RESERVED_SLUGS).
    path("account/", views.account, name="account"),
    path("account/<str:reference>/", case_views.case, name="case"),
    path("account/<str:reference>/receipt.pdf", case_views.receipt, name="receipt"),
    path("pay/<str:token>/", views.pay, name="pay"),
    path("case/<str:token>/", case_views.guest_case, name="guest-case"),
    path("case/<str:token>/receipt.pdf", case_views.guest_receipt, name="guest-receipt"),
    path("<slug:slug>/", views.start, name="start"),
    path("<slug:slug>/step/<int:number>/", views.step, name="step"),
    path("<slug:slug>/check/", views.check, name="check"),
    path("<slug:slug>/done/", views.done, name="done"),
    path("<slug:slug>/saved/", views.saved, name="saved"),
    path("<slug:slug>/resume/<str:token>/", views.resume, name="resume"),
]
