"""The plan as plain data, and the "Data" sheet both the export and the import agree on.

``RencanaData`` is a whole plan without database ids: the export writes it (one row per
indikator sasaran, program and sub kegiatan, with every field the printed table cannot show),
the import reads it back, and two plans are the same plan when their ``RencanaData`` are equal.

The column titles and the fixed words (``JENIS``, ``YA``/``TIDAK``, the codes of ``Arah`` and
``MetodeCapaian``) are identifiers of the format, not interface text: they stay the same in
every language so that a file downloaded in English imports as well.
"""

from dataclasses import dataclass
from decimal import Decimal

from renaksi.models import Arah, MetodeCapaian

DATA_SHEET = "Data"
PETUNJUK_SHEET = "Petunjuk"
FILE_KIND = "Renaksi rencana aksi"
FILE_FORMAT = "1"

Targets = tuple[Decimal | None, Decimal | None, Decimal | None, Decimal | None]


@dataclass(frozen=True)
class Ukuran:
    """What every indicator row carries: text, unit, percent flag, direction, method, targets,
    whether its realisation is a whole number, and for the evaluation of the Renja the Renstra's
    end-of-period target and what was realised up to last year (K, optional)."""

    indikator: str
    satuan: str
    persen: bool
    arah: str
    metode: str
    targets: Targets
    bulat: bool = False
    target_renstra: Decimal | None = None
    realisasi_lalu: Decimal | None = None


Kas = tuple[int | None, int | None, int | None, int | None]


@dataclass(frozen=True)
class Anggaran:
    """A sub kegiatan's money in whole rupiah, each optional: the year's pagu, the anggaran kas
    per quarter, the Renstra's end-of-period pagu and what was realised up to last year."""

    pagu: int | None = None
    kas: Kas = (None, None, None, None)
    pagu_renstra: int | None = None
    realisasi_lalu_rp: int | None = None


@dataclass(frozen=True)
class IndikatorSasaranData:
    urutan: int
    ukuran: Ukuran


@dataclass(frozen=True)
class SasaranData:
    urutan: int
    uraian: str
    indikator: tuple[IndikatorSasaranData, ...]


@dataclass(frozen=True)
class ProgramData:
    urutan: int
    nama: str


@dataclass(frozen=True)
class SubKegiatanData:
    urutan: int
    uraian: str
    ukuran: Ukuran
    bidang: str  # the bidang's name in the agency
    ket: str
    anggaran: Anggaran = Anggaran()


@dataclass(frozen=True)
class KegiatanData:
    nomor: int  # the NO of the printed table
    program: int  # urutan of its program
    sasaran: int  # urutan of the sasaran ...
    indikator: int  # ... and of the indikator sasaran it serves
    nama: str
    sub_kegiatan: tuple[SubKegiatanData, ...]


@dataclass(frozen=True)
class Penandatangan:
    tempat: str
    bulan: int
    tahun: int
    jabatan: str
    nama: str
    pangkat: str
    nip: str


@dataclass(frozen=True)
class RencanaData:
    penandatangan: Penandatangan
    sasaran: tuple[SasaranData, ...]
    program: tuple[ProgramData, ...]
    kegiatan: tuple[KegiatanData, ...]
    # Whether the file carried the money columns: a printed table or a Data sheet of before them
    # says nothing about money, and replacing a plan with it keeps the money stored.
    uang: bool = True

    @property
    def counts(self) -> dict[str, int]:
        return {
            "sasaran": len(self.sasaran),
            "indikator": sum(len(s.indikator) for s in self.sasaran),
            "program": len(self.program),
            "kegiatan": len(self.kegiatan),
            "sub_kegiatan": sum(len(k.sub_kegiatan) for k in self.kegiatan),
        }

    @property
    def rows(self) -> int:
        """Rows of the Data sheet: indicators, programs and sub kegiatan (or empty kegiatan)."""
        counts = self.counts
        empty = sum(1 for k in self.kegiatan if not k.sub_kegiatan)
        return counts["indikator"] + counts["program"] + counts["sub_kegiatan"] + empty


# --- The Data sheet ---------------------------------------------------------------------------

# Above the table: one key and its value per row.
META = {
    "kind": "JENIS BERKAS",
    "format": "FORMAT",
    "instansi": "INSTANSI",
    "tahun": "TAHUN",
    "tempat": "TEMPAT TTD",
    "bulan": "BULAN TTD",
    "tahun_ttd": "TAHUN TTD",
    "jabatan": "JABATAN PENANDATANGAN",
    "nama": "NAMA PENANDATANGAN",
    "pangkat": "PANGKAT PENANDATANGAN",
    "nip": "NIP PENANDATANGAN",
}
SIGNATORY_KEYS = ("tempat", "bulan", "tahun_ttd", "jabatan", "nama", "pangkat", "nip")


class Jenis:
    """The kind of a Data row (column JENIS BARIS)."""

    INDIKATOR = "indikator sasaran"
    PROGRAM = "program"
    KEGIATAN = "kegiatan"  # a kegiatan without sub kegiatan only
    SUB = "sub kegiatan"
    ALL = (INDIKATOR, PROGRAM, KEGIATAN, SUB)


YA, TIDAK = "ya", "tidak"


_IS, _PR, _KG, _SK = Jenis.INDIKATOR, Jenis.PROGRAM, Jenis.KEGIATAN, Jenis.SUB
UKURAN_ROWS = (_IS, _SK)  # the rows that carry an indicator (``Ukuran``)
BLOCK_ROWS = (_KG, _SK)  # the rows of a NO block


@dataclass(frozen=True)
class DataColumn:
    """One column of the Data sheet: its key, its title (part of the format), its width, and
    the kinds of row that fill it (the others leave it empty).

    Adding a column is this one entry (``optional`` so that older files still import), plus
    its value in ``flatten`` and where the reader puts it; ``template.column_help`` says what
    it means on the instruction sheet."""

    key: str
    title: str
    width: float
    kinds: tuple[str, ...]
    number: bool = False  # an integer or a target
    # An optional column may be missing from a file written before it existed: it is read as
    # empty (its default).
    optional: bool = False


COLUMNS = (
    DataColumn("jenis", "JENIS BARIS", 17, Jenis.ALL),
    DataColumn("no", "NO", 6, BLOCK_ROWS, number=True),
    DataColumn("sasaran", "NO SASARAN", 8, (_IS, _KG, _SK), number=True),
    DataColumn("sasaran_uraian", "SASARAN", 30, (_IS,)),
    DataColumn("indikator_no", "NO INDIKATOR", 8, (_IS, _KG, _SK), number=True),
    DataColumn("program", "NO PROGRAM", 8, (_PR, _KG, _SK), number=True),
    DataColumn("program_nama", "PROGRAM", 30, (_PR,)),
    DataColumn("kegiatan", "KEGIATAN", 30, BLOCK_ROWS),
    DataColumn("sub_no", "NO SUB KEGIATAN", 8, (_SK,), number=True),
    DataColumn("uraian", "SUB KEGIATAN", 30, (_SK,)),
    DataColumn("indikator", "INDIKATOR KINERJA", 30, UKURAN_ROWS),
    DataColumn("satuan", "SATUAN", 10, UKURAN_ROWS),
    DataColumn("persen", "TARGET PERSEN", 8, UKURAN_ROWS),
    DataColumn("arah", "ARAH", 8, UKURAN_ROWS),
    DataColumn("metode", "METODE CAPAIAN", 11, UKURAN_ROWS),
    DataColumn("bulat", "BILANGAN BULAT", 8, UKURAN_ROWS, optional=True),
    DataColumn("tw1", "TARGET TW 1", 9, UKURAN_ROWS, number=True),
    DataColumn("tw2", "TARGET TW 2", 9, UKURAN_ROWS, number=True),
    DataColumn("tw3", "TARGET TW 3", 9, UKURAN_ROWS, number=True),
    DataColumn("tw4", "TARGET TW 4", 9, UKURAN_ROWS, number=True),
    DataColumn("bidang", "BIDANG", 24, (_SK,)),
    DataColumn("ket", "KET", 16, (_SK,)),
    # Money and the Renstra, after the columns of before so that those keep their letters; a
    # file without them still reads (``RencanaData.uang``).
    DataColumn("target_renstra", "TARGET RENSTRA (K)", 11, UKURAN_ROWS, optional=True),
    DataColumn("realisasi_lalu", "REALISASI S.D. TAHUN LALU (K)", 11, UKURAN_ROWS, optional=True),
    DataColumn("pagu", "PAGU (RP)", 15, (_SK,), optional=True),
    DataColumn("kas1", "ANGGARAN KAS TW 1 (RP)", 14, (_SK,), optional=True),
    DataColumn("kas2", "ANGGARAN KAS TW 2 (RP)", 14, (_SK,), optional=True),
    DataColumn("kas3", "ANGGARAN KAS TW 3 (RP)", 14, (_SK,), optional=True),
    DataColumn("kas4", "ANGGARAN KAS TW 4 (RP)", 14, (_SK,), optional=True),
    DataColumn("pagu_renstra", "PAGU RENSTRA (RP)", 15, (_SK,), optional=True),
    DataColumn("realisasi_lalu_rp", "REALISASI S.D. TAHUN LALU (RP)", 15, (_SK,), optional=True),
)
BY_KEY = {column.key: column for column in COLUMNS}
HEADER_FIRST = COLUMNS[0].title
TARGET_KEYS = ("tw1", "tw2", "tw3", "tw4")
ARAH_CODES = tuple(Arah.values)
METODE_CODES = tuple(MetodeCapaian.values)

# The indicator's own columns, read together into an ``Ukuran``.
UKURAN_KEYS = ("indikator", "satuan", "persen", "arah", "metode", "bulat", *TARGET_KEYS)
RENSTRA_KEYS = ("target_renstra", "realisasi_lalu")  # K, on every indicator row
KAS_KEYS = ("kas1", "kas2", "kas3", "kas4")
RUPIAH_KEYS = ("pagu", *KAS_KEYS, "pagu_renstra", "realisasi_lalu_rp")  # sub kegiatan only
MONEY_KEYS = (*RENSTRA_KEYS, *RUPIAH_KEYS)
# Which columns each kind of row fills (the others stay empty).
FILLED = {
    jenis: tuple(column.key for column in COLUMNS if jenis in column.kinds) for jenis in Jenis.ALL
}


def flatten(data: RencanaData) -> list[dict[str, object]]:
    """The Data rows of a plan, in plan order: indicators, programs, then kegiatan by NO."""
    rows: list[dict[str, object]] = []

    def ukuran(u: Ukuran) -> dict[str, object]:
        return {
            "indikator": u.indikator,
            "satuan": u.satuan,
            "persen": YA if u.persen else TIDAK,
            "arah": u.arah,
            "metode": u.metode,
            "bulat": YA if u.bulat else TIDAK,
            **dict(zip(TARGET_KEYS, u.targets, strict=True)),
            "target_renstra": u.target_renstra,
            "realisasi_lalu": u.realisasi_lalu,
        }

    def anggaran(a: Anggaran) -> dict[str, object]:
        return {
            "pagu": a.pagu,
            **dict(zip(KAS_KEYS, a.kas, strict=True)),
            "pagu_renstra": a.pagu_renstra,
            "realisasi_lalu_rp": a.realisasi_lalu_rp,
        }

    for sasaran in data.sasaran:
        for indikator in sasaran.indikator:
            rows.append(
                {
                    "jenis": Jenis.INDIKATOR,
                    "sasaran": sasaran.urutan,
                    "sasaran_uraian": sasaran.uraian,
                    "indikator_no": indikator.urutan,
                    **ukuran(indikator.ukuran),
                }
            )
    for program in data.program:
        rows.append(
            {"jenis": Jenis.PROGRAM, "program": program.urutan, "program_nama": program.nama}
        )
    for kegiatan in data.kegiatan:
        block = {
            "no": kegiatan.nomor,
            "sasaran": kegiatan.sasaran,
            "indikator_no": kegiatan.indikator,
            "program": kegiatan.program,
            "kegiatan": kegiatan.nama,
        }
        if not kegiatan.sub_kegiatan:
            rows.append({"jenis": Jenis.KEGIATAN, **block})
        for sub in kegiatan.sub_kegiatan:
            rows.append(
                {
                    "jenis": Jenis.SUB,
                    **block,
                    "sub_no": sub.urutan,
                    "uraian": sub.uraian,
                    **ukuran(sub.ukuran),
                    "bidang": sub.bidang,
                    "ket": sub.ket,
                    **anggaran(sub.anggaran),
                }
            )
    return rows


def meta_values(data: RencanaData, *, instansi: str, tahun: int | None) -> dict[str, object]:
    p = data.penandatangan
    return {
        "kind": FILE_KIND,
        "format": FILE_FORMAT,
        "instansi": instansi,
        "tahun": tahun,
        "tempat": p.tempat,
        "bulan": p.bulan,
        "tahun_ttd": p.tahun,
        "jabatan": p.jabatan,
        "nama": p.nama,
        "pangkat": p.pangkat,
        "nip": p.nip,
    }
