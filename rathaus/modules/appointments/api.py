from django.urls import path

from . import api_views

urlpatterns = [
    path("services/", api_views.ServiceList.as_view(), name="services"),
    path("locations/", api_views.LocationList.as_view(), name="locations"),
    path("slots/", api_views.SlotList.as_view(), name="slots"),
    path("bookings/", api_views.BookingList.as_view(), name="bookings"),
    path("bookings/<str:token>/", api_views.BookingDetail.as_view(), name="booking"),
    path("bookings/<str:token>/cancel/", api_views.BookingCancel.as_view(), name="cancel"),
    path("bookings/<str:token>/move/", api_views.BookingMove.as_view(), name="move"),
]
