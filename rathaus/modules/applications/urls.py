from django.urls import path

from . import views

urlpatterns = [
    path("", views.index, name="index"),
    # Before the forms' addresses: "account" and "pay" are no form's slug (RESERVED_SLUGS).
    path("account/", views.account, name="account"),
    path("pay/<str:token>/", views.pay, name="pay"),
    path("<slug:slug>/", views.start, name="start"),
    path("<slug:slug>/step/<int:number>/", views.step, name="step"),
    path("<slug:slug>/check/", views.check, name="check"),
    path("<slug:slug>/done/", views.done, name="done"),
    path("<slug:slug>/saved/", views.saved, name="saved"),
    path("<slug:slug>/resume/<str:token>/", views.resume, name="resume"),
]
