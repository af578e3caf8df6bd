from django.urls import path

from listings import views

app_name = "listings"
urlpatterns = [
    path("", views.browse, name="browse"),
    path("mine/", views.mine, name="mine"),
    path("new/", views.create, name="create"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/edit/", views.edit, name="edit"),
    path("<int:pk>/status/", views.set_status, name="status"),
    path("organizations/<int:pk>/", views.organization_profile, name="organization"),
    path("lookup/products/", views.lookup_products, name="lookup-products"),
]
