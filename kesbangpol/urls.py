from django.contrib import admin
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

from renaksi import health, lockout

admin.site.site_header = _("Administrasi Renaksi")
admin.site.site_title = _("Renaksi")

# A database outage answers 503 with its own page instead of the generic 500 (renaksi/health.py).
handler500 = "renaksi.health.server_error"

urlpatterns = [
    path("healthz", health.healthz, name="healthz"),
    path("admin/", admin.site.urls),
    path("accounts/", include("django.contrib.auth.urls")),
    path("akun/terkunci/", lockout.lockout_list, name="lockout_list"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("", include("renaksi.urls")),
]
