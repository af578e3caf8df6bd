from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MatchmakingConfig(AppConfig):
    name = "matchmaking"
    verbose_name = _("Matchmaking")

    def ready(self) -> None:
        from matchmaking import receivers  # noqa: F401 - connects the signal receivers
        from matchmaking.services import certificates  # noqa: F401 - and the certificates one
