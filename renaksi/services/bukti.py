"""Writes of evidence files: storing checked uploads on a quarter's rows, and removing one.

Files are added with the quarter's values by ``services.realisasi`` (one transaction for both);
this module writes the files themselves and takes them out of storage again when that
transaction does not commit.
"""

import logging
from dataclasses import dataclass

from django.db import transaction
from django.http import Http404
from django.utils.translation import gettext as _

from renaksi import permissions, selectors
from renaksi.evidence import CheckedUpload, nama_asli_clean
from renaksi.models import Bukti, Realisasi
from renaksi.services.locks import triwulan_check_open

# Named for what it records, as operators filter it: the evidence files of the agency.
logger = logging.getLogger("renaksi.evidence")


def bukti_store(
    *, realisasi: Realisasi, files: list[CheckedUpload], user, now, stored: list[Bukti]
) -> None:
    """Write ``files`` to storage and their rows to the database, under ``realisasi``.

    Call inside the save's transaction. Each file is added to ``stored`` as soon as it is in
    storage, so that when anything fails, even halfway, the caller can pass every file written
    to ``bukti_discard``.
    """
    for item in files:
        bukti = Bukti(
            realisasi=realisasi,
            nama_asli=nama_asli_clean(item.upload.name or ""),
            jenis=item.jenis.content_type,
            ukuran=item.upload.size,
            diunggah_oleh=user,
            diunggah_pada=now,
        )
        # The stored name takes the canonical extension of what the content is.
        bukti.berkas.save(f"bukti{item.jenis.extensions[0]}", item.upload, save=False)
        stored.append(bukti)
        bukti.save()


def bukti_discard(stored: list[Bukti]) -> None:
    """Remove the files of evidence rows whose transaction did not commit."""
    for bukti in stored:
        bukti.berkas.delete(save=False)


@dataclass(frozen=True)
class BuktiRemoved:
    """What is left to say about a deleted evidence file, and where its quarter's page is."""

    nama_asli: str
    tahun: int
    triwulan: int


def bukti_remove(*, user, pk: int) -> BuktiRemoved:
    """Delete an evidence file of a row the user may edit: the row now, the stored file on commit.

    A file the user may not see is a 404, as in ``permissions.bukti_for_user``; one they may see
    but not change (kepala, pemeriksa, or staff on a sasaran row they can read) is a
    PermissionDenied. The file leaves storage only once the deletion is committed, so a
    rolled-back deletion never leaves a row pointing at nothing. ``RealisasiRiwayat`` keeps
    values, not files: the deletion is logged instead. A quarter under the kepala's review or
    approved refuses the deletion (``TriwulanTerkunci``).
    """
    profile = permissions.profile_of(user)
    with transaction.atomic():
        bukti = selectors.bukti_of_agency(instansi_id=profile.instansi_id).filter(pk=pk).first()
        if bukti is None:
            raise Http404(_("Berkas bukti tidak ditemukan."))
        permissions.bukti_check_removable(user=user, bukti=bukti)
        triwulan_check_open(rencana_id=bukti.rencana_id, triwulan=bukti.realisasi.triwulan)
        # A concurrent request may have deleted it since it was read.
        deleted, _by_model = Bukti.objects.filter(pk=bukti.pk).delete()
        if not deleted:
            raise Http404(_("Berkas bukti tidak ditemukan."))
        storage, name = bukti.berkas.storage, bukti.berkas.name

        def after_commit() -> None:
            logger.info(
                "Evidence file removed: user=%s realisasi=%s file=%r stored as %s",
                user.get_username(),
                bukti.realisasi_id,
                bukti.nama_asli,
                name,
            )
            storage.delete(name)

        # robust: the deletion is committed whatever happens to the file; a failure to remove
        # it is logged by Django and leaves an orphan file, not an error page.
        transaction.on_commit(after_commit, robust=True)
    return BuktiRemoved(
        nama_asli=bukti.nama_asli, tahun=bukti.tahun, triwulan=bukti.realisasi.triwulan
    )
