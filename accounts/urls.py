from django.contrib.auth import views as auth_views
from django.urls import path

from accounts import views
from accounts.certificates import views as certificates
from catalog import views as catalog_views

app_name = "accounts"
urlpatterns = [
    path("signup/", views.signup, name="signup"),
    path("login/", views.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("organizations/", views.organization_list, name="organizations"),
    path("organizations/new/", views.organization_create, name="organization-create"),
    path("organizations/<int:pk>/edit/", views.organization_edit, name="organization-edit"),
    path(
        "organizations/<int:pk>/certificates/",
        certificates.certificate_list,
        name="certificates",
    ),
    path(
        "organizations/<int:pk>/certificates/new/",
        certificates.certificate_create,
        name="certificate-create",
    ),
    path("certificates/<int:pk>/edit/", certificates.certificate_edit, name="certificate-edit"),
    path(
        "certificates/<int:pk>/document/",
        certificates.certificate_document,
        name="certificate-document",
    ),
    # htmx look-up shared by every province box (organizations, listings, browse filters).
    path("lookup/provinces/", catalog_views.province_suggestions, name="lookup-provinces"),
]
