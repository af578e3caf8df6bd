from django.apps import AppConfig


class CoreConfig(AppConfig):
    """The ground floor: what every app uses (errors, API conventions, formatting, forms)."""

    name = "core"
    verbose_name = "Core"

    def ready(self) -> None:
        from django.contrib.auth.signals import user_login_failed
        from django.db.models.signals import post_migrate

        from core.protection import count_login_failure
        from core.readcache import installed_on_migrate

        user_login_failed.connect(count_login_failure, dispatch_uid="core-login-failures")
        # Every table marked for the read cache, those of later migrations too.
        post_migrate.connect(installed_on_migrate, dispatch_uid="core-table-marks")
