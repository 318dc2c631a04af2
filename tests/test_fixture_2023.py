"""The 2023 plan fixture against the signed plan it was typed from.

The seed is the text extracted from the signed PDF. It is read here with its own small parser,
so a slip in the fixture (a wrong target, a sub kegiatan under the wrong NO, a lost OCR fix)
shows up as a difference between the two.
"""

import json
import re
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cache
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command

from renaksi.models import (
    Bidang,
    IndikatorSasaran,
    Instansi,
    Kegiatan,
    Program,
    RencanaAksi,
    Sasaran,
    SubKegiatan,
)

SEED = Path(settings.BASE_DIR).parent / "shared" / "seeds" / "000_342c55e3a15413ea.txt"

# Extraction slips in the seed and what the signed plan says (README: "Corrections to the seed").
CORRECTIONS = {
    "Pemba\u0648\u0631\u0627\u0646": "Pembauran",
    "Pembaauran": "Pembauran",
    "Provnisi": "Provinsi",
    "Pemanjapan": "Pemantapan",
}

# The agency's own wording, kept as printed though it looks odd (README: corrections).
KEPT_AS_PRINTED = [
    "Pelaksanaan Pelaksanaan Forum Koordinasi Pimpinan Daerah Provinsi",
    "Kantrantibmas",
    "Program Pembinaan dan Pengembangan Ketahanan Ekonomi, Sosial, dan Budaya",
    "Perumusan Kebijakan Teknis dan Pelaksanaan Pemantapan Kewaspadaan Nasional",
]

BIDANG_BY_NO = {
    **dict.fromkeys(range(1, 7), "Sekretariat"),
    7: "Bidang Ideologi dan Wawasan Kebangsaan",
    8: "Bidang Politik Dalam Negeri",
    9: "Bidang Ormas",
    10: "Bidang Ketahanan Ekonomi, Sosial dan Budaya",
    11: "Bidang Kewaspadaan Nasional dan Penanganan Konflik",
}

BULAN = {"Januari": 1, "Februari": 2, "Maret": 3, "April": 4, "Mei": 5, "Juni": 6, "Juli": 7}
BULAN |= {"Agustus": 8, "September": 9, "Oktober": 10, "November": 11, "Desember": 12}

TW = re.compile(r"TW (\d) : (-|\d+(?:[.,]\d+)?%)")
# Columns 1–4 (NO, sasaran, indikator, sasaran target) sit in cells 0–3; a page break shifts
# them at most one cell left. Sub kegiatan targets (column 10) are shifted at most one cell left
# and, on one page, several cells right, so anything from cell 8 on is a sub kegiatan target.
FIRST_SUB_TARGET_CELL = 8


def corrected(text: str) -> str:
    for slip, fix in CORRECTIONS.items():
        text = text.replace(slip, fix)
    return text.strip()


@dataclass
class SeedSub:
    no: int
    uraian: str
    indikator: str
    satuan: str
    targets: list = field(default_factory=list)


@dataclass
class SeedPlan:
    rows: dict = field(default_factory=dict)  # NO → (sasaran, indikator, program, kegiatan)
    subs: list = field(default_factory=list)
    sasaran_targets: list = field(default_factory=list)
    signature: list = field(default_factory=list)


def is_header(cells: list[str]) -> bool:
    first = [c.strip() for c in cells if c.strip()]
    return bool(first) and (first[0] in {"NO", "URAIAN"} or first[:3] == ["1", "2", "3"])


@cache
def seed_plan() -> SeedPlan:
    plan = SeedPlan()
    sub_targets = []
    in_table = False
    current_no = None
    for line in SEED.read_text(encoding="utf-8").splitlines():
        cells = line.split("\t")
        if len(cells) == 1:
            text = line.replace("*", "").strip()
            if in_table and text:
                plan.signature.append(text)
            continue
        if is_header(cells):
            in_table = True
            continue
        if cells[0].strip().isdigit():
            current_no = int(cells[0])
            plan.rows[current_no] = tuple(corrected(cells[i]) for i in (1, 2, 4, 5))
        stripped = [c.strip() for c in cells]
        bulan_at = stripped.index("Bulan") if "Bulan" in stripped else None
        if bulan_at is not None:
            texts = [c for c in stripped[:bulan_at] if c and not TW.search(c)]
            plan.subs.append(
                SeedSub(current_no, corrected(texts[-2]), corrected(texts[-1]), "Bulan")
            )
        for index, cell in enumerate(cells):
            after_bulan = bulan_at is not None and index > bulan_at
            is_sub = after_bulan or (bulan_at is None and index >= FIRST_SUB_TARGET_CELL)
            for quarter, value in TW.findall(cell):
                target = None if value == "-" else Decimal(value.rstrip("%").replace(",", "."))
                (sub_targets if is_sub else plan.sasaran_targets).append((int(quarter), target))
    # Each sub kegiatan prints TW 1 … TW 4 in turn; TW 1 starts the next one.
    groups = []
    for quarter, target in sub_targets:
        if quarter == 1:
            groups.append([])
        groups[-1].append((quarter, target))
    assert len(groups) == len(plan.subs), "seed: sub kegiatan and target groups differ"
    for sub, group in zip(plan.subs, groups, strict=True):
        assert [q for q, _ in group] == [1, 2, 3, 4], f"seed: quarters out of order: {group}"
        sub.targets = [t for _, t in group]
    return plan


@pytest.fixture
def rencana(db):
    call_command("loaddata", "rencana_aksi_2023", verbosity=0)
    return RencanaAksi.objects.get(instansi__kode="kesbangpol-maluku", tahun=2023)


def first_seen(values) -> list:
    return list(dict.fromkeys(values))


def fixture_subs():
    return list(SubKegiatan.objects.select_related("kegiatan", "bidang"))


def counts():
    models = [
        Instansi,
        Bidang,
        RencanaAksi,
        Sasaran,
        IndikatorSasaran,
        Program,
        Kegiatan,
        SubKegiatan,
    ]
    return {model.__name__: model.objects.count() for model in models}


def test_it_reads_the_seed_as_one_plan_of_27_sub_kegiatan():
    plan = seed_plan()
    assert sorted(plan.rows) == list(range(1, 12))
    assert len(plan.subs) == 27
    assert [sum(1 for s in plan.subs if s.no == no) for no in range(1, 12)] == [
        1, 1, 1, 6, 3, 2, 3, 3, 2, 1, 4
    ]  # fmt: skip


@pytest.mark.django_db
def test_it_loads_the_counts_of_the_signed_plan(rencana):
    plan = seed_plan()
    assert counts() == {
        "Instansi": 1,
        "Bidang": 6,
        "RencanaAksi": 1,
        "Sasaran": 6,
        "IndikatorSasaran": 7,
        "Program": 6,
        "Kegiatan": 11,
        "SubKegiatan": 27,
    }
    assert Sasaran.objects.count() == len({row[0] for row in plan.rows.values()})
    assert IndikatorSasaran.objects.count() == len({row[:2] for row in plan.rows.values()})
    assert Program.objects.count() == len({row[2] for row in plan.rows.values()})
    assert SubKegiatan.objects.count() == len(plan.subs)


@pytest.mark.django_db
def test_it_gives_each_kegiatan_the_sasaran_indikator_and_program_of_its_no(rencana):
    plan = seed_plan()
    kegiatan = Kegiatan.objects.select_related("program", "indikator_sasaran__sasaran")
    loaded = {
        k.nomor: (
            k.indikator_sasaran.sasaran.uraian,
            k.indikator_sasaran.indikator,
            k.program.nama,
            k.nama,
        )
        for k in kegiatan
    }
    assert loaded == plan.rows


@pytest.mark.django_db
def test_it_numbers_sasaran_indikator_and_program_in_order_of_first_appearance(rencana):
    rows = [seed_plan().rows[no] for no in range(1, 12)]
    assert list(rencana.sasaran.order_by("urutan").values_list("uraian", flat=True)) == (
        first_seen(r[0] for r in rows)
    )
    assert list(rencana.program.order_by("urutan").values_list("nama", flat=True)) == (
        first_seen(r[2] for r in rows)
    )
    sasaran_1 = rencana.sasaran.get(urutan=1)
    assert list(sasaran_1.indikator.order_by("urutan").values_list("indikator", flat=True)) == [
        "Meningkatnya Efektifitas Pelaksanaan Tugas dan Fungsi",
        "Meningkatnya Pengetahuan dan Ketrampilan Teknis Aparatur Menjalankan Tugas",
    ]


@pytest.mark.django_db
def test_it_keeps_sub_kegiatan_texts_in_the_order_of_the_seed(rencana):
    seed = [(s.no, s.uraian, s.indikator, s.satuan) for s in seed_plan().subs]
    loaded = [(s.kegiatan.nomor, s.uraian, s.indikator, s.satuan) for s in fixture_subs()]
    assert loaded == seed
    for no in range(1, 12):
        urutan = [s.urutan for s in fixture_subs() if s.kegiatan.nomor == no]
        assert urutan == list(range(1, len(urutan) + 1))


@pytest.mark.django_db
def test_it_finds_every_fixture_text_in_the_corrected_seed(rencana):
    seed_cells = {
        corrected(cell) for line in SEED.read_text(encoding="utf-8").splitlines()
        for cell in line.split("\t")
    }  # fmt: skip
    texts = [
        *Sasaran.objects.values_list("uraian", flat=True),
        *IndikatorSasaran.objects.values_list("indikator", flat=True),
        *Program.objects.values_list("nama", flat=True),
        *Kegiatan.objects.values_list("nama", flat=True),
        *SubKegiatan.objects.values_list("uraian", flat=True),
        *SubKegiatan.objects.values_list("indikator", flat=True),
        *SubKegiatan.objects.values_list("satuan", flat=True),
    ]
    missing = [t for t in texts if t not in seed_cells]
    assert missing == []


def test_it_documents_only_slips_that_are_in_the_seed():
    raw = SEED.read_text(encoding="utf-8")
    assert [slip for slip in CORRECTIONS if slip not in raw] == []
    assert [kept for kept in KEPT_AS_PRINTED if kept not in raw] == []


@pytest.mark.django_db
def test_it_carries_no_slip_and_keeps_the_agency_wording(rencana):
    texts = " ".join(
        [
            *Kegiatan.objects.values_list("nama", flat=True),
            *Program.objects.values_list("nama", flat=True),
            *SubKegiatan.objects.values_list("uraian", flat=True),
            *SubKegiatan.objects.values_list("indikator", flat=True),
        ]
    )
    assert [slip for slip in CORRECTIONS if slip in texts] == []
    assert texts.count("Pembauran") == 3
    assert [kept for kept in KEPT_AS_PRINTED if kept not in texts] == []


@pytest.mark.django_db
def test_it_loads_the_seed_targets_of_every_sub_kegiatan_in_order(rencana):
    seed = [s.targets for s in seed_plan().subs]
    loaded = [s.targets() for s in fixture_subs()]
    assert loaded == seed
    assert sum(t is None for targets in loaded for t in targets) == 23


@pytest.mark.django_db
def test_it_sums_each_sub_kegiatan_to_100_percent(rencana):
    assert all(sum(t for t in s.targets if t is not None) == 100 for s in seed_plan().subs)
    wrong = [
        (s.kegiatan.nomor, s.urutan)
        for s in fixture_subs()
        if sum(t for t in s.targets() if t is not None) != 100
    ]
    assert wrong == []
    assert all(s.target_persen and s.ket == "" for s in fixture_subs())


@pytest.mark.django_db
def test_it_gives_indikator_sasaran_the_seed_targets_and_direction(rencana):
    assert {t for _, t in seed_plan().sasaran_targets} == {Decimal("25")}
    for indikator in IndikatorSasaran.objects.all():
        assert indikator.targets() == [Decimal("25")] * 4
        assert (indikator.satuan, indikator.target_persen, indikator.metode_capaian) == (
            "%",
            True,
            "kumulatif",
        )
    turun = IndikatorSasaran.objects.filter(arah="turun")
    assert list(turun.values_list("indikator", flat=True)) == ["Menurunnya Tingkat Kriminalitas"]


@pytest.mark.django_db
def test_it_reports_each_no_to_its_bidang(rencana):
    bidang = Bidang.objects.order_by("urutan").values_list("nama", flat=True)
    assert list(bidang) == first_seen(BIDANG_BY_NO.values())
    loaded = {(s.kegiatan.nomor, s.bidang.nama) for s in fixture_subs()}
    assert loaded == {(s.no, BIDANG_BY_NO[s.no]) for s in seed_plan().subs}


@pytest.mark.django_db
def test_it_signs_the_plan_as_printed_under_the_table(rencana):
    place_date, jabatan_1, jabatan_2, nama, pangkat, nip = seed_plan().signature
    tempat, bulan_tahun = place_date.split(", ")
    bulan, tahun = bulan_tahun.split()
    assert rencana.instansi.nama == "Badan Kesatuan Bangsa dan Politik Provinsi Maluku"
    assert (rencana.instansi.kota, rencana.tempat_ttd) == (tempat, tempat)
    assert (rencana.bulan_ttd, rencana.tahun_ttd) == (BULAN[bulan], int(tahun))
    assert rencana.jabatan_penandatangan == f"{jabatan_1} {jabatan_2}"
    assert rencana.nama_penandatangan == nama
    assert rencana.pangkat_penandatangan == pangkat
    assert rencana.nip_penandatangan == nip.removeprefix("NIP.").replace(" ", "")


@pytest.mark.django_db
def test_it_loads_twice_without_duplicates(rencana):
    before = counts()
    pks = sorted(SubKegiatan.objects.values_list("pk", flat=True))
    call_command("loaddata", "rencana_aksi_2023", verbosity=0)
    assert counts() == before
    assert sorted(SubKegiatan.objects.values_list("pk", flat=True)) == pks


def test_it_uses_natural_keys_only():
    path = Path(settings.BASE_DIR) / "fixtures" / "rencana_aksi_2023.json"
    objects = json.loads(path.read_text(encoding="utf-8"))
    assert [o["model"] for o in objects if "pk" in o] == []
    subs = [o["fields"] for o in objects if o["model"] == "renaksi.subkegiatan"]
    assert all(isinstance(s["kegiatan"], list) and isinstance(s["bidang"], list) for s in subs)
