from django.urls import path

from . import case_staff_views as cases
from . import staff_views as views

urlpatterns = [
    path("", cases.index, name="index"),
    path("export.csv", cases.export_csv, name="export"),
    path("cases/<int:pk>/", cases.case, name="case"),
    path("cases/<int:pk>/status/", cases.case_status, name="case-status"),
    path("cases/<int:pk>/query/", cases.case_query, name="case-query"),
    path("cases/<int:pk>/note/", cases.case_note, name="case-note"),
    path("cases/<int:pk>/assign/", cases.case_assign, name="case-assign"),
    path("cases/<int:pk>/decide/", cases.case_decide, name="case-decide"),
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
