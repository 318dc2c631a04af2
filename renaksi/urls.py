from django.urls import path

from renaksi import views

urlpatterns = [
    path("", views.home, name="home"),
    path("rencana-aksi/<int:tahun>/", views.rencana_aksi, name="rencana_aksi"),
]
