from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RenaksiConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "renaksi"
    verbose_name = _("Rencana Aksi")

    def ready(self):
        # Connects the login receiver that stamps a new session (see the module).
        from renaksi import session_idle  # noqa: F401
