from django.urls import path

from matchmaking import views_stats

app_name = "programmes"
urlpatterns = [
    path("", views_stats.programme_list, name="list"),
    path("<slug:slug>/", views_stats.programme_detail, name="detail"),
]
