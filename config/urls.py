from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from config import health
from listings import views as listing_views

api_v1 = [
    path("", include("catalog.api_urls")),
    path("", include("accounts.api_urls")),
    path("", include("listings.api_urls")),
    path("", include("matchmaking.api_urls")),
]

urlpatterns = [
    path("healthz", health.healthz, name="healthz"),
    path("readyz", health.readyz, name="readyz"),
    path("api/v1/", include(api_v1)),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="schema"), name="api-docs"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("", listing_views.home, name="home"),
    path("accounts/", include("accounts.urls")),
    path("listings/", include("listings.urls")),
    path("matches/", include("matchmaking.urls")),
    path("events/", include("matchmaking.urls_events")),
    path("outcomes/", include("matchmaking.urls_outcomes")),
    path("programmes/", include("matchmaking.urls_programmes")),
]

admin.site.site_header = "Kết nối cung cầu — quản trị"
admin.site.site_title = "Kết nối cung cầu"
admin.site.index_title = "Trade-promotion officers / Cán bộ xúc tiến thương mại"

handler400 = "core.views.bad_request"
handler403 = "core.views.permission_denied"
handler404 = "core.views.page_not_found"
handler500 = "core.views.server_error"
