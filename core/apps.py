from django.apps import AppConfig


class CoreConfig(AppConfig):
    """The ground floor: what every app uses (errors, API conventions, formatting, forms)."""

    name = "core"
    verbose_name = "Core"

    def ready(self) -> None:
        from django.contrib.auth.signals import user_login_failed

        from core.protection import count_login_failure

        user_login_failed.connect(count_login_failure, dispatch_uid="core-login-failures")
