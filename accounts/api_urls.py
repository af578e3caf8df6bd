from django.urls import path
from rest_framework.routers import SimpleRouter

from accounts import api
from accounts.certificates import api as certificates

router = SimpleRouter()
router.register("organizations", api.OrganizationViewSet, basename="organization")

urlpatterns = [
    path("auth/register/", api.RegisterView.as_view(), name="auth-register"),
    path("auth/token/", api.TokenView.as_view(), name="auth-token"),
    path("me/", api.MeView.as_view(), name="me"),
    path(
        "organizations/<str:organization_pk>/certificates/",
        certificates.OrganizationCertificatesView.as_view(),
        name="organization-certificates",
    ),
    path(
        "certificates/<str:pk>/",
        certificates.CertificateDetailView.as_view(),
        name="certificate-detail",
    ),
    path(
        "certificates/<str:pk>/verify/",
        certificates.CertificateVerifyView.as_view(),
        name="certificate-verify",
    ),
    path(
        "certificates/<str:pk>/reject/",
        certificates.CertificateRejectView.as_view(),
        name="certificate-reject",
    ),
    path(
        "certificates/<str:pk>/document/",
        certificates.CertificateDocumentView.as_view(),
        name="certificate-document",
    ),
    *router.urls,
]
