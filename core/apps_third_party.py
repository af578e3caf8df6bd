"""App configs that give third-party apps a translatable name in the admin."""

from axes.apps import AppConfig as AxesAppConfig
from django.utils.translation import gettext_lazy as _


class AxesConfig(AxesAppConfig):
    """django-axes names its app "Axes" (not translatable): officers read "Login lockouts"."""

    verbose_name = _("Login lockouts")
