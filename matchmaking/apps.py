from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MatchmakingConfig(AppConfig):
    name = "matchmaking"
    verbose_name = _("Matchmaking")

    def ready(self) -> None:
        # Receivers connect to the listing signal; the tasks register with Celery, so the
        # services can enqueue them by name (core.tasks) in any process, web or worker.
        from matchmaking import receivers, tasks  # noqa: F401
        from matchmaking.services import certificates  # noqa: F401 - the certificate receiver
