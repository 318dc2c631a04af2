"""Signed documents: render once, store through Django's storage, supersede, verify.

Approving a quarter (``services.review.triwulan_setujui``) and signing the plan
(``rencana_tandatangani``) each render the document's PDF once, with its verification code and
QR code printed on it, and store the bytes with their SHA-256 and the signatory as printed.
Downloads of a signed document serve that file; reopening a quarter or signing the plan again
marks the stored record superseded, never deletes it.
"""

import hashlib
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from renaksi import documents, permissions
from renaksi.exports.pdf import render_pdf_fresh
from renaksi.layout import Table
from renaksi.models import (
    DokumenTertanda,
    JenisDokumen,
    RencanaAksi,
    SebagaiPenandatangan,
    StatusTriwulan,
)
from renaksi.nip import validate_nip
from renaksi.services.locks import plan_lock

# 32 letters and digits without 0/O and 1/I, which are misread when typed from paper; twelve of
# them are 60 bits, far beyond what the throttled verification page lets anyone try.
KODE_ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"
KODE_LENGTH = 12


def kode_new() -> str:
    return "".join(secrets.choice(KODE_ALPHABET) for _ in range(KODE_LENGTH))


def kode_normalize(kode: str) -> str:
    """A code as typed or scanned: case and dashes do not matter."""
    return kode.strip().upper().replace("-", "")


def verifikasi_path(kode: str) -> str:
    return reverse("verifikasi", kwargs={"kode": kode})


@dataclass(frozen=True)
class Penandatangan:
    """Who signs a document, as printed under it."""

    tempat_tanggal: str
    jabatan: str
    nama: str
    nip: str
    pangkat: str = ""
    sebagai: str = ""  # "", "Plt." or "Plh."


def tanggal_display(tempat: str, tanggal: date) -> str:
    """ "Ambon, 5 April 2023": the place and the date of a signature."""
    return f"{tempat}, {formats.date_format(tanggal, 'j F Y')}"


def penandatangan_validate(
    *, tempat: str, tanggal: date, jabatan: str, nama: str, pangkat: str, nip: str, sebagai: str
) -> Penandatangan:
    """The signature the kepala chose, checked: every part named, a valid NIP, Plt./Plh."""
    errors = {}
    for name, value in (("tempat", tempat), ("jabatan", jabatan), ("nama", nama)):
        if not value.strip():
            errors[name] = _("Wajib diisi.")
    try:
        validate_nip(nip)
    except ValidationError as error:
        errors["nip"] = error.messages
    if sebagai not in SebagaiPenandatangan.values:
        errors["sebagai"] = _("Pilih pejabat definitif, Plt. atau Plh.")
    if errors:
        raise ValidationError(errors)
    return Penandatangan(
        tempat_tanggal=tanggal_display(tempat.strip(), tanggal),
        jabatan=jabatan.strip(),
        nama=nama.strip(),
        nip=nip,
        pangkat=pangkat.strip(),
        sebagai=sebagai,
    )


def _store(
    *,
    rencana: RencanaAksi,
    jenis: str,
    triwulan: int | None,
    penandatangan: Penandatangan,
    user,
    base_url: str,
    build: Callable[[DokumenTertanda], Table],
) -> DokumenTertanda:
    """Supersede the record in force, render the new one once, store file and record.

    Runs inside the caller's transaction (which holds the plan's lock); a failed render or
    save leaves nothing behind: the record rolls back and the file is removed.
    """
    now = timezone.now()
    kode = kode_new()
    dokumen = DokumenTertanda(
        rencana=rencana,
        jenis=jenis,
        triwulan=triwulan,
        kode=kode,
        tautan=base_url.rstrip("/") + verifikasi_path(kode),
        tempat_tanggal=penandatangan.tempat_tanggal,
        sebagai=penandatangan.sebagai,
        jabatan=penandatangan.jabatan,
        nama=penandatangan.nama,
        pangkat=penandatangan.pangkat,
        nip=penandatangan.nip,
        ditandatangani_oleh=user,
        ditandatangani_pada=now,
    )
    content = render_pdf_fresh(build(dokumen))
    dokumen.sha256 = hashlib.sha256(content).hexdigest()
    dokumen.ukuran = len(content)
    with transaction.atomic():
        dokumen_supersede(rencana=rencana, jenis=jenis, triwulan=triwulan, now=now)
        dokumen.berkas.save(f"{kode}.pdf", ContentFile(content), save=False)
        try:
            dokumen.save(force_insert=True)
        except Exception:
            dokumen.berkas.storage.delete(dokumen.berkas.name)
            raise
    # Should the caller's transaction roll back after this, the file stays without a record:
    # harmless (nothing points at it, its name is an unguessable code). Django has no
    # on-rollback hook to remove it.
    return dokumen


def dokumen_supersede(*, rencana: RencanaAksi, jenis: str, triwulan: int | None, now=None) -> int:
    """Mark the record in force of a document superseded (kept, still verifiable)."""
    return DokumenTertanda.objects.filter(
        rencana=rencana, jenis=jenis, triwulan=triwulan, diganti_pada__isnull=True
    ).update(diganti_pada=now or timezone.now())


def laporan_sign(
    *,
    rencana: RencanaAksi,
    status: StatusTriwulan,
    penandatangan: Penandatangan,
    user,
    base_url: str = "",
) -> DokumenTertanda:
    """Store the report of an approved quarter (every row) as signed by ``penandatangan``."""
    return _store(
        rencana=rencana,
        jenis=JenisDokumen.LAPORAN,
        triwulan=status.triwulan,
        penandatangan=penandatangan,
        user=user,
        base_url=base_url,
        build=lambda dokumen: documents.laporan_table(
            rencana=rencana, triwulan=status.triwulan, status=status, dokumen=dokumen
        ),
    )


def rencana_tandatangani(*, user, rencana: RencanaAksi, base_url: str = "") -> DokumenTertanda:
    """The kepala signs the plan's table: stored once with the plan's own signatory.

    Signing again (the plan was corrected) supersedes the record in force. PermissionDenied
    for anyone but the kepala of the plan's agency.
    """
    permissions.rencana_sign_check(user=user, rencana=rencana)
    with transaction.atomic():
        plan_lock(rencana_id=rencana.pk)
        penandatangan = Penandatangan(
            tempat_tanggal=rencana.tempat_tanggal_ttd,
            jabatan=rencana.jabatan_penandatangan,
            nama=rencana.nama_penandatangan,
            pangkat=rencana.pangkat_penandatangan,
            nip=rencana.nip_penandatangan,
        )
        return _store(
            rencana=rencana,
            jenis=JenisDokumen.RENCANA_AKSI,
            triwulan=None,
            penandatangan=penandatangan,
            user=user,
            base_url=base_url,
            build=lambda dokumen: documents.rencana_aksi_table(rencana=rencana, dokumen=dokumen),
        )
