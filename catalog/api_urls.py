from rest_framework.routers import SimpleRouter

from catalog import api

router = SimpleRouter()
router.register("provinces", api.ProvinceViewSet, basename="province")
router.register("categories", api.CategoryViewSet, basename="category")
router.register("units", api.UnitViewSet, basename="unit")
router.register("certifications", api.CertificationViewSet, basename="certification")

urlpatterns = router.urls
