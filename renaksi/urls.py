from django.urls import path

from renaksi import views

urlpatterns = [
    path("", views.home, name="home"),
    path("rencana-aksi/<int:tahun>/", views.rencana_aksi, name="rencana_aksi"),
    path("rencana-aksi/<int:tahun>/pdf/", views.rencana_aksi_pdf, name="rencana_aksi_pdf"),
    path("rencana-aksi/<int:tahun>/xlsx/", views.rencana_aksi_xlsx, name="rencana_aksi_xlsx"),
]
