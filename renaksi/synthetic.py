"""Synthetic plans of any size, for tests and benchmarks of large agencies.

Text lengths follow the 2023 Kesbangpol plan (sub kegiatan texts of 100–250 characters) so
that page, PDF and XLSX costs measured on a synthetic plan resemble a real one.
"""

import random
from decimal import Decimal

from django.db import transaction

from renaksi.models import (
    Arah,
    Bidang,
    IndikatorSasaran,
    Instansi,
    Kegiatan,
    Program,
    RencanaAksi,
    Sasaran,
    SubKegiatan,
)

WORDS = [
    "pelaksanaan",
    "koordinasi",
    "kebijakan",
    "bidang",
    "ideologi",
    "wawasan",
    "kebangsaan",
    "bela",
    "negara",
    "karakter",
    "bangsa",
    "pembauran",
    "sejarah",
    "pemantauan",
    "orang",
    "asing",
    "tenaga",
    "kerja",
    "lembaga",
    "kewaspadaan",
    "dini",
    "perbatasan",
    "fasilitasi",
    "kelembagaan",
    "penanganan",
    "konflik",
    "daerah",
    "monitoring",
    "evaluasi",
    "pelaporan",
    "pendidikan",
    "politik",
    "etika",
    "budaya",
    "demokrasi",
    "pemilihan",
    "umum",
    "partai",
    "ormas",
    "pemberdayaan",
    "ketahanan",
    "ekonomi",
    "sosial",
    "narkotika",
    "kerukunan",
    "umat",
    "beragama",
    "penyediaan",
    "jasa",
    "peralatan",
    "perlengkapan",
    "kantor",
    "pemeliharaan",
    "kendaraan",
    "dinas",
    "operasional",
    "laporan",
    "keuangan",
    "kinerja",
]

SUB_PER_KEGIATAN = (1, 3, 5, 2, 4)  # uneven blocks, as in a real plan
BIDANG_NAMES = (
    "Sekretariat",
    "Bidang Ideologi dan Wawasan Kebangsaan",
    "Bidang Politik Dalam Negeri",
    "Bidang Ormas",
    "Bidang Ketahanan Ekonomi, Sosial dan Budaya",
    "Bidang Kewaspadaan Nasional dan Penanganan Konflik",
)


def _text(rng: random.Random, length: int) -> str:
    words: list[str] = []
    while sum(len(w) + 1 for w in words) < length:
        words.append(rng.choice(WORDS))
    return " ".join(words).capitalize()


def _targets(rng: random.Random) -> dict[str, Decimal | None]:
    """Four quarterly shares adding up to 100, some quarters without a target."""
    quarters = sorted(rng.sample((1, 2, 3, 4), rng.choice((2, 3, 4, 4))))
    cuts = sorted(rng.sample(range(1, 100), len(quarters) - 1))
    shares = [b - a for a, b in zip([0, *cuts], [*cuts, 100], strict=True)]
    values = dict(zip(quarters, shares, strict=True))
    return {f"target_tw{q}": (Decimal(values[q]) if q in values else None) for q in (1, 2, 3, 4)}


@transaction.atomic
def plan_generate(
    *, instansi: Instansi, tahun: int, sub_kegiatan: int, seed: int = 0, diterbitkan: bool = True
) -> RencanaAksi:
    """Create a plan of ``sub_kegiatan`` rows for ``instansi`` in ``tahun``, with bulk inserts.

    Published unless ``diterbitkan`` is False: benchmarks and tests want a plan in use.
    """
    rng = random.Random(seed or tahun)
    bidang = list(Bidang.objects.filter(instansi=instansi).order_by("urutan"))
    if not bidang:
        bidang = Bidang.objects.bulk_create(
            Bidang(instansi=instansi, nama=name, urutan=i)
            for i, name in enumerate(BIDANG_NAMES, start=1)
        )
    rencana = RencanaAksi.objects.create(
        instansi=instansi,
        tahun=tahun,
        tempat_ttd=instansi.kota,
        bulan_ttd=3,
        tahun_ttd=tahun,
        jabatan_penandatangan=f"KEPALA {instansi.nama.upper()}",
        nama_penandatangan="Dr. CONTOH PENANDATANGAN, S.Sos, M.Si",
        pangkat_penandatangan="Pembina Utama Muda",
        nip_penandatangan="197001012000031001",
        diterbitkan=diterbitkan,
    )
    sizes: list[int] = []
    while sum(sizes) < sub_kegiatan:
        sizes.append(min(SUB_PER_KEGIATAN[len(sizes) % 5], sub_kegiatan - sum(sizes)))
    kegiatan_count = len(sizes)
    sasaran_count = max(1, min(40, kegiatan_count // 15))
    sasaran = Sasaran.objects.bulk_create(
        Sasaran(rencana=rencana, urutan=i, uraian=_text(rng, 130))
        for i in range(1, sasaran_count + 1)
    )
    indikator = IndikatorSasaran.objects.bulk_create(
        IndikatorSasaran(
            sasaran=s,
            urutan=j,
            indikator=_text(rng, 70),
            satuan="%",
            arah=Arah.TURUN if rng.random() < 0.1 else Arah.NAIK,
            target_tw1=Decimal(25),
            target_tw2=Decimal(25),
            target_tw3=Decimal(25),
            target_tw4=Decimal(25),
        )
        for s in sasaran
        for j in (1, 2)
    )
    programs = Program.objects.bulk_create(
        Program(rencana=rencana, urutan=i, nama=_text(rng, 80))
        for i in range(1, max(1, kegiatan_count // 10) + 1)
    )
    kegiatan = Kegiatan.objects.bulk_create(
        Kegiatan(
            program=programs[n * len(programs) // kegiatan_count],
            rencana=rencana,
            indikator_sasaran=indikator[n * len(indikator) // kegiatan_count],
            nomor=n + 1,
            nama=_text(rng, 110),
        )
        for n in range(kegiatan_count)
    )
    SubKegiatan.objects.bulk_create(
        (
            SubKegiatan(
                kegiatan=k,
                bidang=bidang[n * len(bidang) // kegiatan_count],
                urutan=u,
                uraian=_text(rng, rng.randint(60, 230)),
                indikator=_text(rng, rng.randint(60, 200)),
                satuan="Bulan",
                **_targets(rng),
            )
            for n, (k, size) in enumerate(zip(kegiatan, sizes, strict=True))
            for u in range(1, size + 1)
        ),
        batch_size=500,
    )
    return rencana
