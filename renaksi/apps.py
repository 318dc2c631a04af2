from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RenaksiConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "renaksi"
    verbose_name = _("Rencana Aksi")
