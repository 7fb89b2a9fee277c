from django.urls import path

from . import staff_views as views

urlpatterns = [
    path("", views.index, name="index"),
    path("templates/new/", views.template_edit, name="template-new"),
    path("templates/<int:pk>/", views.template_edit, name="template-edit"),
    path("templates/<int:pk>/preview.pdf", views.template_preview, name="template-preview"),
    path("upload/", views.upload, name="upload"),
    path("runs/<uuid:public_id>/", views.run, name="run"),
    path("runs/<uuid:public_id>/preview.pdf", views.run_preview, name="run-preview"),
    path("runs/<uuid:public_id>/release/", views.release, name="release"),
    path("runs/<uuid:public_id>/pause/", views.pause, name="pause"),
    path("runs/<uuid:public_id>/resume/", views.resume, name="resume"),
    path("runs/<uuid:public_id>/progress.json", views.progress, name="progress"),
    path("runs/<uuid:public_id>/report.csv", views.report_csv, name="report-csv"),
]
