from django.urls import path

from matchmaking import views_stats

app_name = "outcomes"
urlpatterns = [
    path("", views_stats.outcomes, name="dashboard"),
    path("<slug:key>.csv", views_stats.outcomes_csv, name="csv"),
]
