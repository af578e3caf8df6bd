from django.urls import path

from matchmaking import views_events as views

app_name = "events"
urlpatterns = [
    path("", views.event_list, name="list"),
    path("<int:pk>/", views.event_detail, name="detail"),
    path("<int:pk>/register/", views.event_register, name="register"),
    path("<int:pk>/meetings/", views.event_meetings, name="meetings"),
    path("<int:pk>/availability/", views.event_availability, name="availability"),
    path("<int:pk>/meetings/request/", views.meeting_request, name="request"),
    path("<int:pk>/agenda/<int:org_pk>/", views.agenda, name="agenda"),
    path("<int:pk>/agenda/<int:org_pk>/agenda.ics", views.agenda_ics, name="agenda-ics"),
    path("meetings/<int:pk>/outcome/", views.meeting_outcome, name="outcome"),
    path("meetings/<int:pk>/<slug:action>/", views.meeting_action, name="meeting-action"),
]
