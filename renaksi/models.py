"""The yearly performance plan (Rencana Aksi) and who works on it.

Hierarchy: Instansi → RencanaAksi (one per year) → Sasaran → IndikatorSasaran; Program (of the
plan) → Kegiatan (serves one IndikatorSasaran) → SubKegiatan (reported on by one Bidang).
Model methods only compute cheap values of the row itself; reads across relations live in
``selectors.py`` and writes in ``services.py``.
"""

import uuid
from dataclasses import dataclass
from decimal import Decimal
from operator import attrgetter
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from renaksi.nip import validate_nip


class NaturalKeyManager(models.Manager):
    """Finds a row by its natural key, the values of the model's ``natural_key_fields``.

    Natural keys let the plan fixture be loaded again and again (``load_demo``) without fixed
    primary keys, so it never collides with plans created in the same database by other means.
    """

    def get_by_natural_key(self, *key):
        return self.get(**dict(zip(self.model.natural_key_fields, key, strict=True)))


class NaturalKeyModel(models.Model):
    """A model whose natural key is ``natural_key_fields``: lookups, read back as values."""

    natural_key_fields: tuple[str, ...] = ()

    objects = NaturalKeyManager()

    class Meta:
        abstract = True

    def natural_key(self) -> tuple:
        return tuple(attrgetter(path.replace("__", "."))(self) for path in self.natural_key_fields)


def natural_key_after(*labels: str):
    """``natural_key``, naming the models whose rows the key refers to.

    ``dumpdata`` reads ``natural_key.dependencies`` to write those rows first.
    """

    def natural_key(self) -> tuple:
        return NaturalKeyModel.natural_key(self)

    natural_key.dependencies = list(labels)
    return natural_key


class Triwulan(models.IntegerChoices):
    # "TW 1" in Indonesian, "Q1" in English.
    TW1 = 1, _("TW 1")
    TW2 = 2, _("TW 2")
    TW3 = 3, _("TW 3")
    TW4 = 4, _("TW 4")


QUARTERS = tuple(Triwulan.values)  # 1, 2, 3, 4


class Arah(models.TextChoices):
    NAIK = "naik", _("Semakin tinggi semakin baik")
    TURUN = "turun", _("Semakin rendah semakin baik")


class MetodeCapaian(models.TextChoices):
    KUMULATIF = "kumulatif", _("Kumulatif (Σ realisasi ÷ Σ target)")
    NILAI_TERAKHIR = "terakhir", _("Nilai triwulan berjalan")


class Bulan(models.IntegerChoices):
    JANUARI = 1, "Januari"
    FEBRUARI = 2, "Februari"
    MARET = 3, "Maret"
    APRIL = 4, "April"
    MEI = 5, "Mei"
    JUNI = 6, "Juni"
    JULI = 7, "Juli"
    AGUSTUS = 8, "Agustus"
    SEPTEMBER = 9, "September"
    OKTOBER = 10, "Oktober"
    NOVEMBER = 11, "November"
    DESEMBER = 12, "Desember"


class Instansi(NaturalKeyModel):
    nama = models.CharField(_("nama"), max_length=255)
    kode = models.SlugField(_("kode"), max_length=40, unique=True)
    kota = models.CharField(_("kota penandatanganan"), max_length=100)
    # Efisiensi = capaian kinerja − serapan anggaran, in percentage points (``keuangan.py``).
    # Above the upper bound a row is "efisien", below the lower "kurang efisien", in between
    # "sesuai"; each agency may set its own bounds.
    efisiensi_batas_atas = models.DecimalField(
        _("batas atas efisiensi (poin persen)"),
        max_digits=5,
        decimal_places=2,
        default=Decimal(5),
        validators=[MinValueValidator(Decimal(0)), MaxValueValidator(Decimal(100))],
    )
    efisiensi_batas_bawah = models.DecimalField(
        _("batas bawah efisiensi (poin persen)"),
        max_digits=5,
        decimal_places=2,
        default=Decimal(-5),
        validators=[MinValueValidator(Decimal(-100)), MaxValueValidator(Decimal(0))],
    )

    natural_key_fields = ("kode",)

    class Meta:
        verbose_name = _("instansi")
        verbose_name_plural = _("instansi")
        ordering = ["nama"]
        constraints = [
            models.CheckConstraint(
                condition=Q(efisiensi_batas_bawah__lte=F("efisiensi_batas_atas")),
                name="instansi_batas_efisiensi_urut",
            ),
        ]

    def __str__(self):
        return self.nama


class Bidang(NaturalKeyModel):
    instansi = models.ForeignKey(Instansi, on_delete=models.PROTECT, related_name="bidang")
    nama = models.CharField(_("nama"), max_length=255)
    urutan = models.PositiveSmallIntegerField(_("urutan"))

    natural_key_fields = ("instansi__kode", "urutan")

    class Meta:
        verbose_name = _("bidang")
        verbose_name_plural = _("bidang")
        ordering = ["instansi", "urutan"]
        constraints = [
            models.UniqueConstraint(fields=["instansi", "nama"], name="bidang_nama_unik"),
            models.UniqueConstraint(fields=["instansi", "urutan"], name="bidang_urutan_unik"),
        ]

    def __str__(self):
        return self.nama

    natural_key = natural_key_after("renaksi.instansi")


class RencanaAksi(NaturalKeyModel):
    """One agency's plan for one year, with its signatory as printed under the table."""

    instansi = models.ForeignKey(Instansi, on_delete=models.PROTECT, related_name="rencana_aksi")
    tahun = models.PositiveSmallIntegerField(
        _("tahun"), validators=[MinValueValidator(2000), MaxValueValidator(2100)]
    )
    tempat_ttd = models.CharField(_("tempat penandatanganan"), max_length=100)
    bulan_ttd = models.PositiveSmallIntegerField(_("bulan penandatanganan"), choices=Bulan.choices)
    tahun_ttd = models.PositiveSmallIntegerField(
        _("tahun penandatanganan"), validators=[MinValueValidator(2000), MaxValueValidator(2100)]
    )
    jabatan_penandatangan = models.CharField(_("jabatan penandatangan"), max_length=255)
    nama_penandatangan = models.CharField(_("nama penandatangan"), max_length=255)
    pangkat_penandatangan = models.CharField(_("pangkat penandatangan"), max_length=100)
    nip_penandatangan = models.CharField(
        _("NIP penandatangan"), max_length=18, validators=[validate_nip]
    )
    diperbarui = models.DateTimeField(_("diperbarui"), auto_now=True)
    # A draft is seen only by the agency admin and the kepala and takes no realisations; the
    # admin publishes it (``services.rencana_publish``). Plans made before drafts existed were
    # all in use, so the migration marks them published.
    diterbitkan = models.BooleanField(_("diterbitkan"), default=False)

    history = HistoricalRecords(excluded_fields=["diperbarui"])

    natural_key_fields = ("instansi__kode", "tahun")

    class Meta:
        verbose_name = _("rencana aksi")
        verbose_name_plural = _("rencana aksi")
        ordering = ["instansi", "-tahun"]
        constraints = [
            models.UniqueConstraint(fields=["instansi", "tahun"], name="rencana_aksi_unik"),
            models.CheckConstraint(
                condition=Q(bulan_ttd__gte=1, bulan_ttd__lte=12), name="rencana_aksi_bulan_ttd"
            ),
            models.CheckConstraint(
                condition=Q(nip_penandatangan__regex=r"^[0-9]{18}$"),
                name="rencana_aksi_nip_18_digit",
            ),
        ]

    def __str__(self):
        return f"{self.instansi.kode} {self.tahun}"

    natural_key = natural_key_after("renaksi.instansi")

    @property
    def tempat_tanggal_ttd(self) -> str:
        return f"{self.tempat_ttd}, {Bulan(self.bulan_ttd).label} {self.tahun_ttd}"


class Sasaran(NaturalKeyModel):
    rencana = models.ForeignKey(RencanaAksi, on_delete=models.CASCADE, related_name="sasaran")
    urutan = models.PositiveSmallIntegerField(_("urutan"))
    uraian = models.TextField(_("uraian"))

    history = HistoricalRecords()

    natural_key_fields = ("rencana__instansi__kode", "rencana__tahun", "urutan")

    class Meta:
        verbose_name = _("sasaran")
        verbose_name_plural = _("sasaran")
        ordering = ["rencana", "urutan"]
        constraints = [
            models.UniqueConstraint(fields=["rencana", "urutan"], name="sasaran_urutan_unik"),
        ]

    def __str__(self):
        return self.uraian

    natural_key = natural_key_after("renaksi.rencanaaksi")


def _target_field(quarter: int) -> models.DecimalField:
    # NULL is "no target in this quarter" (printed "-"); 0 is a real target of zero.
    return models.DecimalField(
        _("target TW %(n)d") % {"n": quarter},
        max_digits=12,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0"))],
    )


PERCENT_UNITS = ("%", "persen")


def satuan_is_percent(satuan: str) -> bool:
    """Whether a unit says "percent": then the targets are percent, whatever the flag says."""
    return satuan.strip().lower() in PERCENT_UNITS


def target_constraints(prefix: str) -> list[models.CheckConstraint]:
    """Targets are never negative, and lie in 0–100 where they are stated in percent.

    A "%" unit always goes with the percent flag. The reverse is not required: the 2023 plan
    states the targets of its "Bulan" rows as percent shares of the year ("TW 1 : 25%").
    """
    checks = [
        models.CheckConstraint(
            condition=Q(target_persen=True) | ~Q(satuan__in=["%", "persen", "Persen", "PERSEN"]),
            name=f"{prefix}_satuan_persen",
            violation_error_message=_("Satuan persen berarti target dalam persen."),
        )
    ]
    for quarter in QUARTERS:
        field = f"target_tw{quarter}"
        checks.append(
            models.CheckConstraint(
                condition=Q(**{f"{field}__isnull": True}) | Q(**{f"{field}__gte": 0}),
                name=f"{prefix}_target_tw{quarter}_positif",
            )
        )
        checks.append(
            models.CheckConstraint(
                condition=Q(target_persen=False)
                | Q(**{f"{field}__isnull": True})
                | Q(**{f"{field}__lte": 100}),
                name=f"{prefix}_target_tw{quarter}_persen",
            )
        )
    return checks


def _rupiah_field(label) -> models.PositiveBigIntegerField:
    """An optional amount in whole rupiah; the database refuses a negative one."""
    return models.PositiveBigIntegerField(label, null=True, blank=True)


class Indikator(NaturalKeyModel):
    """What an indicator row carries: text, unit, direction and a target per quarter."""

    indikator = models.TextField(_("indikator kinerja"))
    satuan = models.CharField(_("satuan"), max_length=50, blank=True)
    target_persen = models.BooleanField(
        _("target dalam persen"),
        default=True,
        help_text=_("Target triwulan dinyatakan dalam persen (0–100)."),
    )
    bilangan_bulat = models.BooleanField(
        _("bilangan bulat"),
        default=False,
        help_text=_("Realisasi hanya bilangan bulat (misalnya jumlah kejadian atau dokumen)."),
    )
    arah = models.CharField(_("arah"), max_length=5, choices=Arah.choices, default=Arah.NAIK)
    metode_capaian = models.CharField(
        _("metode capaian"),
        max_length=10,
        choices=MetodeCapaian.choices,
        default=MetodeCapaian.KUMULATIF,
    )
    target_tw1 = _target_field(1)
    target_tw2 = _target_field(2)
    target_tw3 = _target_field(3)
    target_tw4 = _target_field(4)
    # For the Permendagri 86/2017 evaluation of the Renja (columns 5 and 6, "K"): the Renstra's
    # end-of-period target and what was realised up to last year. Optional; "-" when empty.
    target_renstra = models.DecimalField(
        _("target Renstra akhir periode (K)"),
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal(0))],
    )
    realisasi_lalu = models.DecimalField(
        _("realisasi s.d. tahun lalu (K)"),
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal(0))],
    )

    class Meta:
        abstract = True

    def target(self, triwulan: int) -> Decimal | None:
        return getattr(self, f"target_tw{triwulan}")

    def targets(self) -> list[Decimal | None]:
        return [self.target(q) for q in QUARTERS]

    def clean(self):
        super().clean()
        if satuan_is_percent(self.satuan) and not self.target_persen:
            raise ValidationError(
                {"target_persen": _("Satuan persen berarti target dalam persen; centang ini.")}
            )
        if self.target_persen:
            errors = {
                f"target_tw{q}": _("Target dalam persen harus antara 0 dan 100.")
                for q in QUARTERS
                if self.target(q) is not None and not (0 <= self.target(q) <= 100)
            }
            if errors:
                raise ValidationError(errors)


class IndikatorSasaran(Indikator):
    sasaran = models.ForeignKey(Sasaran, on_delete=models.CASCADE, related_name="indikator")
    urutan = models.PositiveSmallIntegerField(_("urutan"))

    history = HistoricalRecords()

    natural_key_fields = (
        "sasaran__rencana__instansi__kode",
        "sasaran__rencana__tahun",
        "sasaran__urutan",
        "urutan",
    )

    class Meta:
        verbose_name = _("indikator sasaran")
        verbose_name_plural = _("indikator sasaran")
        ordering = ["sasaran", "urutan"]
        constraints = [
            models.UniqueConstraint(fields=["sasaran", "urutan"], name="indikator_sasaran_urutan"),
            models.CheckConstraint(
                condition=Q(arah__in=Arah.values), name="indikator_sasaran_arah"
            ),
            *target_constraints("indikator_sasaran"),
        ]

    def __str__(self):
        return self.indikator

    @property
    def row_key(self) -> str:
        """How pages, forms and the spreadsheet name this row: "ind-<id>"."""
        return f"ind-{self.pk}"

    natural_key = natural_key_after("renaksi.sasaran")


class Program(NaturalKeyModel):
    """A budget program of the plan; it serves the indicators of the kegiatan under it."""

    rencana = models.ForeignKey(RencanaAksi, on_delete=models.CASCADE, related_name="program")
    urutan = models.PositiveSmallIntegerField(_("urutan"))
    nama = models.TextField(_("nama program"))

    history = HistoricalRecords()

    natural_key_fields = ("rencana__instansi__kode", "rencana__tahun", "urutan")

    class Meta:
        verbose_name = _("program")
        verbose_name_plural = _("program")
        ordering = ["rencana", "urutan"]
        constraints = [
            models.UniqueConstraint(fields=["rencana", "urutan"], name="program_urutan_unik"),
        ]

    def __str__(self):
        return self.nama

    natural_key = natural_key_after("renaksi.rencanaaksi")


class Kegiatan(NaturalKeyModel):
    """A kegiatan is one numbered block (NO) of the printed table."""

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="kegiatan")
    # The program's plan, kept on the row so that the database itself keeps each NO unique
    # within a plan (a constraint cannot follow a foreign key). ``clean()`` and every writer
    # set it from the program; a program never moves to another plan (read-only in the admin).
    rencana = models.ForeignKey(
        RencanaAksi, on_delete=models.CASCADE, related_name="+", editable=False
    )
    indikator_sasaran = models.ForeignKey(
        IndikatorSasaran, on_delete=models.PROTECT, related_name="kegiatan"
    )
    nomor = models.PositiveSmallIntegerField(
        _("nomor"), help_text=_("Nomor urut (kolom NO) dalam tabel rencana aksi.")
    )
    nama = models.TextField(_("nama kegiatan"))

    history = HistoricalRecords()

    natural_key_fields = ("rencana__instansi__kode", "rencana__tahun", "nomor")

    class Meta:
        verbose_name = _("kegiatan")
        verbose_name_plural = _("kegiatan")
        ordering = ["nomor"]
        constraints = [
            models.UniqueConstraint(
                fields=["rencana", "nomor"],
                name="kegiatan_nomor_unik_per_rencana",
                violation_error_message=_("Nomor ini sudah dipakai di rencana aksi ini."),
            ),
        ]

    def __str__(self):
        return self.nama

    natural_key = natural_key_after("renaksi.program")

    def clean(self):
        super().clean()
        if self.program_id:
            self.rencana_id = self.program.rencana_id
        if self.program_id and self.indikator_sasaran_id:
            if self.indikator_sasaran.sasaran.rencana_id != self.rencana_id:
                raise ValidationError(
                    _("Program dan indikator sasaran harus dari rencana aksi yang sama.")
                )
            # A form has no ``rencana`` field, so Django skips the constraint's own check:
            # name the clash on the field the user typed.
            clash = Kegiatan.objects.filter(rencana_id=self.rencana_id, nomor=self.nomor)
            if clash.exclude(pk=self.pk).exists():
                raise ValidationError({"nomor": _("Nomor ini sudah dipakai di rencana aksi ini.")})


class SubKegiatan(Indikator):
    kegiatan = models.ForeignKey(Kegiatan, on_delete=models.CASCADE, related_name="sub_kegiatan")
    bidang = models.ForeignKey(Bidang, on_delete=models.PROTECT, related_name="sub_kegiatan")
    urutan = models.PositiveSmallIntegerField(_("urutan"))
    uraian = models.TextField(_("uraian"))
    ket = models.TextField(_("keterangan"), blank=True)
    # Money, in whole rupiah (NULL: not set, printed "-"; distinct from 0). The pagu is the
    # year's budget, ``kas_tw<n>`` the planned disbursement per quarter (anggaran kas), and the
    # Renstra pair feeds the evaluation form's Rp columns.
    pagu = _rupiah_field(_("pagu anggaran (Rp)"))
    kas_tw1 = _rupiah_field(_("anggaran kas TW 1 (Rp)"))
    kas_tw2 = _rupiah_field(_("anggaran kas TW 2 (Rp)"))
    kas_tw3 = _rupiah_field(_("anggaran kas TW 3 (Rp)"))
    kas_tw4 = _rupiah_field(_("anggaran kas TW 4 (Rp)"))
    pagu_renstra = _rupiah_field(_("pagu Renstra akhir periode (Rp)"))
    realisasi_lalu_rp = _rupiah_field(_("realisasi anggaran s.d. tahun lalu (Rp)"))

    history = HistoricalRecords()

    natural_key_fields = (
        "kegiatan__rencana__instansi__kode",
        "kegiatan__rencana__tahun",
        "kegiatan__nomor",
        "urutan",
    )

    class Meta:
        verbose_name = _("sub kegiatan")
        verbose_name_plural = _("sub kegiatan")
        ordering = ["kegiatan__nomor", "urutan"]
        constraints = [
            models.UniqueConstraint(fields=["kegiatan", "urutan"], name="sub_kegiatan_urutan"),
            models.CheckConstraint(condition=Q(arah__in=Arah.values), name="sub_kegiatan_arah"),
            *target_constraints("sub_kegiatan"),
        ]

    def __str__(self):
        return self.uraian

    @property
    def row_key(self) -> str:
        """How pages, forms and the spreadsheet name this row: "sub-<id>"."""
        return f"sub-{self.pk}"

    def kas(self, triwulan: int) -> int | None:
        return getattr(self, f"kas_tw{triwulan}")

    natural_key = natural_key_after("renaksi.kegiatan", "renaksi.bidang")

    def clean(self):
        super().clean()
        if (
            self.kegiatan_id
            and self.bidang_id
            and self.bidang.instansi_id != self.kegiatan.program.rencana.instansi_id
        ):
            raise ValidationError({"bidang": _("Bidang harus dari instansi rencana ini.")})


class Peran(models.TextChoices):
    ADMIN = "admin", _("Admin")
    KEPALA = "kepala", _("Kepala")
    PEMERIKSA = "pemeriksa", _("Pemeriksa")
    STAF = "staf", _("Staf bidang")


class Profile(models.Model):
    """Which agency a user works for, in which role, and for staff, which bidang."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="profile"
    )
    instansi = models.ForeignKey(Instansi, on_delete=models.PROTECT, related_name="anggota")
    peran = models.CharField(_("peran"), max_length=10, choices=Peran.choices)
    bidang = models.ForeignKey(
        Bidang, on_delete=models.PROTECT, null=True, blank=True, related_name="anggota"
    )
    nip = models.CharField(
        _("NIP"),
        max_length=18,
        blank=True,
        validators=[validate_nip],
    )
    # What the kepala's signature prints by default under an approved quarter's report.
    jabatan = models.CharField(_("jabatan"), max_length=255, blank=True)
    pangkat = models.CharField(_("pangkat/golongan"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("profil pengguna")
        verbose_name_plural = _("profil pengguna")
        constraints = [
            models.CheckConstraint(condition=Q(peran__in=Peran.values), name="profile_peran"),
            models.CheckConstraint(
                condition=~Q(peran=Peran.STAF) | Q(bidang__isnull=False),
                name="profile_staf_punya_bidang",
            ),
        ]

    def __str__(self):
        return f"{self.user} ({self.get_peran_display()})"

    def clean(self):
        super().clean()
        if self.peran == Peran.STAF and not self.bidang_id:
            raise ValidationError({"bidang": _("Staf harus terdaftar pada satu bidang.")})
        if self.bidang_id and self.instansi_id and self.bidang.instansi_id != self.instansi_id:
            raise ValidationError({"bidang": _("Bidang harus dari instansi pengguna.")})


def _changed_by() -> models.ForeignKey:
    # Who last saved a row; kept NULL (not the row deleted) if the account ever goes.
    return models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("diubah oleh"),
    )


# The notes a realisation carries beside its value, in the order every page, form, spreadsheet
# and message shows them, with their labels. Faktor pendorong (what helped) stands beside kendala
# (what held the row back, the evaluation form's "faktor penghambat").
CATATAN = {
    "ket": _("Keterangan"),
    "faktor_pendorong": _("Faktor pendorong"),
    "kendala": _("Kendala"),
    "tindak_lanjut": _("Tindak lanjut"),
}


class Catatan(models.Model):
    """The notes of a realisation (``CATATAN``), on the row and on each of its versions."""

    ket = models.TextField(CATATAN["ket"], blank=True)
    faktor_pendorong = models.TextField(CATATAN["faktor_pendorong"], blank=True)
    kendala = models.TextField(CATATAN["kendala"], blank=True)
    tindak_lanjut = models.TextField(CATATAN["tindak_lanjut"], blank=True)

    class Meta:
        abstract = True


class Realisasi(Catatan):
    """What one indicator achieved in one quarter, with its notes; one row per (indicator, TW).

    Exactly one of ``sub_kegiatan`` and ``indikator_sasaran`` is set. ``nilai`` NULL means "not
    reported yet", which is not the same as a reported 0. ``versi`` grows with every save so a
    save made on a stale page is refused instead of overwriting someone else's value.
    """

    sub_kegiatan = models.ForeignKey(
        SubKegiatan, on_delete=models.PROTECT, null=True, blank=True, related_name="realisasi"
    )
    indikator_sasaran = models.ForeignKey(
        IndikatorSasaran,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="realisasi",
    )
    triwulan = models.PositiveSmallIntegerField(_("triwulan"), choices=Triwulan.choices)
    nilai = models.DecimalField(
        _("realisasi"),
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0"))],
    )
    # Realisasi keuangan: rupiah spent in this quarter (not to date), sub kegiatan rows only.
    keuangan = _rupiah_field(_("realisasi keuangan (Rp)"))
    versi = models.PositiveIntegerField(_("versi"), default=1)
    diubah_oleh = _changed_by()
    diubah_pada = models.DateTimeField(_("diubah pada"))

    class Meta:
        verbose_name = _("realisasi")
        verbose_name_plural = _("realisasi")
        constraints = [
            models.CheckConstraint(
                condition=(Q(sub_kegiatan__isnull=False) & Q(indikator_sasaran__isnull=True))
                | (Q(sub_kegiatan__isnull=True) & Q(indikator_sasaran__isnull=False)),
                name="realisasi_satu_indikator",
            ),
            models.CheckConstraint(
                condition=Q(triwulan__gte=1, triwulan__lte=4), name="realisasi_triwulan_1_4"
            ),
            models.CheckConstraint(
                condition=Q(nilai__isnull=True) | Q(nilai__gte=0), name="realisasi_nilai_positif"
            ),
            models.CheckConstraint(
                condition=Q(keuangan__isnull=True) | Q(sub_kegiatan__isnull=False),
                name="realisasi_keuangan_sub_kegiatan",
            ),
            models.UniqueConstraint(
                fields=["sub_kegiatan", "triwulan"],
                condition=Q(sub_kegiatan__isnull=False),
                name="realisasi_sub_kegiatan_triwulan_unik",
            ),
            models.UniqueConstraint(
                fields=["indikator_sasaran", "triwulan"],
                condition=Q(indikator_sasaran__isnull=False),
                name="realisasi_indikator_sasaran_triwulan_unik",
            ),
        ]

    def __str__(self):
        return f"{self.indikator_obj} {Triwulan(self.triwulan).label}"

    @property
    def row_key(self) -> str:
        """The row key of its indicator, read from the foreign keys alone (no query)."""
        if self.sub_kegiatan_id:
            return f"sub-{self.sub_kegiatan_id}"
        return f"ind-{self.indikator_sasaran_id}"

    @property
    def indikator_obj(self) -> Indikator:
        return self.sub_kegiatan or self.indikator_sasaran


class Sumber(models.TextChoices):
    """Where a version of a realisation was entered."""

    WEB = "web", _("Halaman isian")
    FORMULIR = "formulir", _("Formulir spreadsheet")
    BUKTI = "bukti", _("Bukti dukung pertama")


class RealisasiRiwayat(Catatan):
    """Every saved version of a realisation: who changed what, when (kept for audits)."""

    realisasi = models.ForeignKey(Realisasi, on_delete=models.CASCADE, related_name="riwayat")
    versi = models.PositiveIntegerField(_("versi"))
    nilai = models.DecimalField(_("realisasi"), max_digits=14, decimal_places=2, null=True)
    keuangan = models.PositiveBigIntegerField(_("realisasi keuangan (Rp)"), null=True)
    diubah_oleh = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    diubah_pada = models.DateTimeField(_("diubah pada"))
    sumber = models.CharField(
        _("sumber"), max_length=20, choices=Sumber.choices, default=Sumber.WEB
    )

    class Meta:
        verbose_name = _("riwayat realisasi")
        verbose_name_plural = _("riwayat realisasi")
        ordering = ["realisasi", "versi"]
        constraints = [
            models.UniqueConstraint(fields=["realisasi", "versi"], name="riwayat_versi_unik"),
        ]

    def __str__(self):
        return f"{self.realisasi} v{self.versi}"


def bukti_path(instance: "Bukti", filename: str) -> str:
    # The stored name is random; the user's file name is kept in ``nama_asli`` only, so a
    # crafted name can never choose where the file lands.
    suffix = Path(filename).suffix.lower()[:10]
    return f"bukti/{instance.realisasi.triwulan}/{uuid.uuid4().hex}{suffix}"


class Bukti(models.Model):
    """An evidence file for a realisation; served only through a view that checks access."""

    realisasi = models.ForeignKey(Realisasi, on_delete=models.CASCADE, related_name="bukti")
    berkas = models.FileField(_("berkas"), upload_to=bukti_path, max_length=200)
    nama_asli = models.CharField(_("nama berkas"), max_length=255)
    jenis = models.CharField(_("jenis"), max_length=100)
    ukuran = models.PositiveIntegerField(_("ukuran (byte)"))
    diunggah_oleh = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    diunggah_pada = models.DateTimeField(_("diunggah pada"))

    class Meta:
        verbose_name = _("bukti dukung")
        verbose_name_plural = _("bukti dukung")
        ordering = ["realisasi", "diunggah_pada"]

    def __str__(self):
        return self.nama_asli


# --- The kepala's review of a quarter ----------------------------------------------------------


class StatusPersetujuan(models.TextChoices):
    """Where a quarter stands in the kepala's review; the moves between them are ``LANGKAH``."""

    DIISI = "diisi", _("Sedang diisi")
    DIAJUKAN = "diajukan", _("Diajukan ke kepala")
    DIKEMBALIKAN = "dikembalikan", _("Dikembalikan")
    DISETUJUI = "disetujui", _("Disetujui")


# While the kepala reviews a quarter, and once it is approved, nothing of that quarter changes.
STATUS_TERKUNCI = (StatusPersetujuan.DIAJUKAN, StatusPersetujuan.DISETUJUI)


class Langkah(models.TextChoices):
    """The moves of the review, each done by one role (see ``LANGKAH``)."""

    AJUKAN = "ajukan", _("Ajukan ke kepala")
    SETUJUI = "setujui", _("Setujui")
    KEMBALIKAN = "kembalikan", _("Kembalikan")


@dataclass(frozen=True)
class Transisi:
    peran: str  # the one role that makes this move
    dari: tuple[str, ...]  # the states it starts from
    ke: str


# The review in one table: services move a quarter only along it, permissions offer a move only
# to its role and from its states, and the status banner shows what this table allows.
LANGKAH = {
    Langkah.AJUKAN: Transisi(
        peran=Peran.ADMIN,
        dari=(StatusPersetujuan.DIISI, StatusPersetujuan.DIKEMBALIKAN),
        ke=StatusPersetujuan.DIAJUKAN,
    ),
    Langkah.SETUJUI: Transisi(
        peran=Peran.KEPALA, dari=(StatusPersetujuan.DIAJUKAN,), ke=StatusPersetujuan.DISETUJUI
    ),
    # From "disetujui" too: an approved quarter found wrong later (an audit, a late correction)
    # is reopened the same way, with the reason in the note.
    Langkah.KEMBALIKAN: Transisi(
        peran=Peran.KEPALA,
        dari=(StatusPersetujuan.DIAJUKAN, StatusPersetujuan.DISETUJUI),
        ke=StatusPersetujuan.DIKEMBALIKAN,
    ),
}


class StatusTriwulan(models.Model):
    """The review status of one quarter of a plan; no row means "Sedang diisi".

    Written only by the services, which also append a ``RiwayatStatusTriwulan`` row for every
    change.
    """

    # PROTECT: a plan whose quarter went to the kepala keeps that record.
    rencana = models.ForeignKey(
        RencanaAksi, on_delete=models.PROTECT, related_name="status_triwulan"
    )
    triwulan = models.PositiveSmallIntegerField(_("triwulan"), choices=Triwulan.choices)
    status = models.CharField(
        _("status"),
        max_length=12,
        choices=StatusPersetujuan.choices,
        default=StatusPersetujuan.DIISI,
    )
    catatan = models.TextField(
        _("catatan kepala"), blank=True, help_text=_("Wajib diisi bila dikembalikan.")
    )
    diubah_oleh = _changed_by()
    diubah_pada = models.DateTimeField(_("diubah pada"))

    class Meta:
        verbose_name = _("status triwulan")
        verbose_name_plural = _("status triwulan")
        ordering = ["rencana", "triwulan"]
        constraints = [
            models.UniqueConstraint(fields=["rencana", "triwulan"], name="status_triwulan_unik"),
            models.CheckConstraint(
                condition=Q(triwulan__gte=1, triwulan__lte=4), name="status_triwulan_1_4"
            ),
            models.CheckConstraint(
                condition=Q(status__in=StatusPersetujuan.values), name="status_triwulan_status"
            ),
            models.CheckConstraint(
                condition=~Q(status=StatusPersetujuan.DIKEMBALIKAN) | ~Q(catatan=""),
                name="status_triwulan_kembali_bercatatan",
            ),
        ]

    def __str__(self):
        return f"{self.rencana} {Triwulan(self.triwulan).label}: {self.get_status_display()}"

    @property
    def terkunci(self) -> bool:
        """Whether the quarter's realisations and evidence are locked (under review, approved)."""
        return self.status in STATUS_TERKUNCI


class RiwayatStatusTriwulan(models.Model):
    """Every change of a quarter's review status, append-only, for audits."""

    status_triwulan = models.ForeignKey(
        StatusTriwulan, on_delete=models.PROTECT, related_name="riwayat"
    )
    status_sebelumnya = models.CharField(
        _("status sebelumnya"), max_length=12, choices=StatusPersetujuan.choices
    )
    status = models.CharField(_("status"), max_length=12, choices=StatusPersetujuan.choices)
    catatan = models.TextField(_("catatan kepala"), blank=True)
    oleh = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("oleh"),
    )
    pada = models.DateTimeField(_("pada"))

    class Meta:
        verbose_name = _("riwayat status triwulan")
        verbose_name_plural = _("riwayat status triwulan")
        ordering = ["status_triwulan", "pada", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=StatusPersetujuan.values)
                & Q(status_sebelumnya__in=StatusPersetujuan.values),
                name="riwayat_status_triwulan_status",
            ),
        ]

    def __str__(self):
        return f"{self.status_triwulan_id}: {self.status_sebelumnya} → {self.status}"


# --- Signed documents and their verification ---------------------------------------------------


class JenisDokumen(models.TextChoices):
    RENCANA_AKSI = "rencana", _("Tabel Rencana Aksi")
    LAPORAN = "laporan", _("Laporan Capaian Kinerja Triwulan")


class SebagaiPenandatangan(models.TextChoices):
    """Whether the signatory holds the office or stands in for its holder."""

    DEFINITIF = "", _("Pejabat definitif")
    PLT = "Plt.", _("Plt. (pelaksana tugas)")
    PLH = "Plh.", _("Plh. (pelaksana harian)")


def dokumen_path(instance: "DokumenTertanda", filename: str) -> str:
    # Named by the verification code, which is unique; never by anything a user typed.
    return f"dokumen/{instance.rencana.tahun}/{instance.kode}.pdf"


class DokumenTertanda(models.Model):
    """A document as it was signed: the PDF rendered once, its SHA-256 and who signed it.

    Approving a quarter stores its report; "Tandatangani" stores the plan's table. Downloads
    of a signed document serve this very file. Reopening a quarter (or signing the plan anew)
    marks the record superseded (``diganti_pada``) and keeps it, so its verification code still
    answers, as superseded. At most one current record per document of a plan.
    """

    rencana = models.ForeignKey(
        RencanaAksi, on_delete=models.PROTECT, related_name="dokumen_tertanda"
    )
    jenis = models.CharField(_("jenis dokumen"), max_length=10, choices=JenisDokumen.choices)
    triwulan = models.PositiveSmallIntegerField(
        _("triwulan"), choices=Triwulan.choices, null=True, blank=True
    )
    kode = models.CharField(_("kode verifikasi"), max_length=20, unique=True)
    tautan = models.CharField(_("alamat verifikasi"), max_length=500)
    berkas = models.FileField(_("berkas"), upload_to=dokumen_path, max_length=200)
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    ukuran = models.PositiveIntegerField(_("ukuran (byte)"))
    # The signatory as printed, kept as it was on the day (a profile may change later).
    tempat_tanggal = models.CharField(_("tempat dan tanggal"), max_length=200)
    sebagai = models.CharField(
        _("sebagai"), max_length=4, choices=SebagaiPenandatangan.choices, blank=True
    )
    jabatan = models.CharField(_("jabatan penandatangan"), max_length=255)
    nama = models.CharField(_("nama penandatangan"), max_length=255)
    pangkat = models.CharField(_("pangkat penandatangan"), max_length=100, blank=True)
    nip = models.CharField(_("NIP penandatangan"), max_length=18, validators=[validate_nip])
    ditandatangani_oleh = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("disetujui oleh"),
    )
    ditandatangani_pada = models.DateTimeField(_("ditandatangani pada"))
    diganti_pada = models.DateTimeField(_("diganti pada"), null=True, blank=True)

    class Meta:
        verbose_name = _("dokumen tertanda")
        verbose_name_plural = _("dokumen tertanda")
        ordering = ["rencana", "jenis", "triwulan", "-ditandatangani_pada"]
        constraints = [
            models.CheckConstraint(
                condition=Q(jenis__in=JenisDokumen.values), name="dokumen_tertanda_jenis"
            ),
            models.CheckConstraint(
                condition=(Q(jenis=JenisDokumen.RENCANA_AKSI) & Q(triwulan__isnull=True))
                | (Q(jenis=JenisDokumen.LAPORAN) & Q(triwulan__gte=1, triwulan__lte=4)),
                name="dokumen_tertanda_triwulan",
            ),
            models.CheckConstraint(
                condition=Q(sha256__regex=r"^[0-9a-f]{64}$"), name="dokumen_tertanda_sha256"
            ),
            models.UniqueConstraint(
                fields=["rencana", "triwulan"],
                condition=Q(jenis=JenisDokumen.LAPORAN, diganti_pada__isnull=True),
                name="dokumen_tertanda_laporan_satu_berlaku",
            ),
            models.UniqueConstraint(
                fields=["rencana"],
                condition=Q(jenis=JenisDokumen.RENCANA_AKSI, diganti_pada__isnull=True),
                name="dokumen_tertanda_rencana_satu_berlaku",
            ),
        ]

    def __str__(self):
        return f"{self.rencana} {self.jenis} {self.triwulan or ''} {self.kode}".strip()

    @property
    def berlaku(self) -> bool:
        """Whether this is the document in force (not superseded)."""
        return self.diganti_pada is None


class StatusRender(models.TextChoices):
    QUEUED = "queued", _("menunggu")
    RUNNING = "running", _("sedang disiapkan")
    DONE = "done", _("siap")
    FAILED = "failed", _("gagal")


class RenderDokumen(models.Model):
    """One rendering of a document not yet in the cache: the render lock and its progress.

    ``kunci`` is the name the PDF will have in the "exports" storage (a digest of everything
    printed), unique: whichever server or worker moves the row from queued to running (one
    conditional UPDATE) renders it, every other request for the same document waits for that
    one or shows its progress. ``spec`` says how to build the table again in a worker (which
    plan, report, viewer, language and paper), never the table itself.
    """

    kunci = models.CharField(_("kunci"), max_length=200, unique=True)
    # The name without its content digest: the renderings of one document for one viewer, so
    # a newer one replaces the older (see services.render).
    lingkup = models.CharField(_("lingkup"), max_length=200, db_index=True)
    spec = models.JSONField(_("spesifikasi"), default=dict)
    status = models.CharField(
        _("status"), max_length=10, choices=StatusRender.choices, default=StatusRender.QUEUED
    )
    baris_total = models.PositiveIntegerField(_("baris"), default=0)
    baris_selesai = models.PositiveIntegerField(_("baris selesai"), default=0)
    halaman = models.PositiveIntegerField(_("halaman selesai"), default=0)
    pesan_galat = models.TextField(_("galat"), blank=True)
    dibuat_pada = models.DateTimeField(_("dibuat pada"), auto_now_add=True)
    # Moved forward while a renderer works: a row running with an old mark lost its renderer
    # (a process killed) and may be taken over.
    denyut_pada = models.DateTimeField(_("denyut"), null=True, blank=True)
    selesai_pada = models.DateTimeField(_("selesai pada"), null=True, blank=True)

    class Meta:
        verbose_name = _("render dokumen")
        verbose_name_plural = _("render dokumen")
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=StatusRender.values), name="render_dokumen_status"
            ),
        ]

    def __str__(self):
        return f"{self.kunci} ({self.status})"
