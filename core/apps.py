from django.apps import AppConfig


class CoreConfig(AppConfig):
    """The ground floor: what every app uses (errors, API conventions, formatting, forms)."""

    name = "core"
    verbose_name = "Core"
