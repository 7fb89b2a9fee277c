from django.urls import path

from . import api_views, staff_api

urlpatterns = [
    path("services/", api_views.ServiceList.as_view(), name="services"),
    path("locations/", api_views.LocationList.as_view(), name="locations"),
    path("slots/", api_views.SlotList.as_view(), name="slots"),
    path("bookings/", api_views.BookingList.as_view(), name="bookings"),
    path("bookings/<str:token>/", api_views.BookingDetail.as_view(), name="booking"),
    path("bookings/<str:token>/cancel/", api_views.BookingCancel.as_view(), name="cancel"),
    path("bookings/<str:token>/move/", api_views.BookingMove.as_view(), name="move"),
    path(
        "staff/locations/<int:location_id>/bookings/",
        staff_api.LocationBookings.as_view(),
        name="staff-bookings",
    ),
    path(
        "staff/locations/<int:location_id>/statistics/",
        staff_api.LocationStatistics.as_view(),
        name="staff-statistics",
    ),
    path(
        "staff/bookings/<uuid:booking_uuid>/no-show/",
        staff_api.BookingNoShow.as_view(),
        name="staff-no-show",
    ),
    path(
        "staff/bookings/<uuid:booking_uuid>/cancel/",
        staff_api.BookingCancel.as_view(),
        name="staff-cancel",
    ),
]
