from django.urls import path

from . import api_views

urlpatterns = [
    path("messages/", api_views.MessageList.as_view(), name="messages"),
    path("messages/<uuid:public_id>/", api_views.MessageDetail.as_view(), name="message"),
    path("messages/<uuid:public_id>/replies/", api_views.MessageReply.as_view(), name="reply"),
    path("consent/", api_views.Consent.as_view(), name="consent"),
]
