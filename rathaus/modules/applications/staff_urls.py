from django.urls import path

from . import staff_views as views

urlpatterns = [
    path("", views.index, name="index"),
    path("cases/<int:pk>/", views.case, name="case"),
    path("cases/<int:pk>/status/", views.case_status, name="case-status"),
    path("forms/", views.forms, name="forms"),
    path("forms/schema.json", views.schema, name="schema"),
    path("forms/<int:pk>/", views.form_detail, name="form"),
    path(
        "forms/<int:pk>/versions/<int:number>/publish/",
        views.version_publish,
        name="version-publish",
    ),
    path(
        "forms/<int:pk>/versions/<int:number>/export/", views.version_export, name="version-export"
    ),
]
