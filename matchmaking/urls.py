from django.urls import path

from matchmaking import views, views_deals, views_learning, views_pools

app_name = "matchmaking"
urlpatterns = [
    path("", views.inbox, name="inbox"),
    path("<int:pk>/", views.detail, name="detail"),
    path("deals/", views_deals.deal_list, name="deals"),
    path("learning/<int:pk>/", views_learning.organization_learning, name="learning"),
    path("deals/<int:pk>/", views_deals.deal_detail, name="deal"),
    path("pools/", views_pools.pool_list, name="pools"),
    path("pools/<int:pk>/", views_pools.pool_detail, name="pool"),
    path("pools/<int:pk>/accept/", views_pools.pool_accept, name="pool-accept"),
    path("pools/<int:pk>/decline/", views_pools.pool_decline, name="pool-decline"),
    path("<int:pk>/accept/", views.accept, name="accept"),
    path("<int:pk>/decline/", views.decline, name="decline"),
    path("listing/<int:pk>/", views.listing_matches, name="listing"),
    path("notifications/", views.notification_list, name="notifications"),
    path("notifications/read/", views.notifications_mark_read, name="notifications-read"),
    path("notifications/<int:pk>/", views.notification_open, name="notification-open"),
    path("notifications/settings/", views.notification_settings, name="notification-settings"),
]
