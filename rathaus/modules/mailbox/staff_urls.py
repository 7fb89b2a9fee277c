from django.urls import path

from . import staff_views as views

urlpatterns = [
    path("", views.index, name="index"),
    path("send/", views.send, name="send"),
    path("messages/<uuid:public_id>/", views.message, name="message"),
    path("messages/<uuid:public_id>/evidence.json", views.evidence, name="evidence"),
    path("messages/<uuid:public_id>/hold/", views.hold, name="hold"),
    path("messages/<uuid:public_id>/evidence.pdf", views.evidence_document, name="evidence-pdf"),
]
