"""The plan read from an upload, signed between the preview and the confirmation.

The preview sends the plan it showed back to the browser as a signed, compressed payload
(``django.core.signing``) bound to the user, the agency, the year and the replace choice: a
changed payload is refused, and so is one signed for another user, agency or year, or older than
``PAYLOAD_MAX_AGE``. Nothing is stored on the server between the two requests.
"""

from decimal import Decimal

from django.core import signing
from django.utils.translation import gettext as _

from renaksi.rencana_import import spec
from renaksi.spreadsheets import refuse

PAYLOAD_SALT = "renaksi.rencana_import.pratinjau"
PAYLOAD_MAX_AGE = 2 * 60 * 60


def _num(value: Decimal | None) -> str | None:
    return None if value is None else str(value)


def _dec(value: str | None) -> Decimal | None:
    return None if value is None else Decimal(value)


def _ukuran(u: spec.Ukuran) -> list:
    return [
        u.indikator,
        u.satuan,
        u.persen,
        u.arah,
        u.metode,
        [_num(t) for t in u.targets],
        u.bulat,
        _num(u.target_renstra),
        _num(u.realisasi_lalu),
    ]


def _ukuran_back(raw: list) -> spec.Ukuran:
    indikator, satuan, persen, arah, metode, targets, bulat, renstra, lalu = raw
    return spec.Ukuran(
        indikator,
        satuan,
        persen,
        arah,
        metode,
        tuple(_dec(t) for t in targets),
        bulat=bulat,
        target_renstra=_dec(renstra),
        realisasi_lalu=_dec(lalu),
    )


def _anggaran(a: spec.Anggaran) -> list:
    return [a.pagu, list(a.kas), a.pagu_renstra, a.realisasi_lalu_rp]


def _anggaran_back(raw: list) -> spec.Anggaran:
    pagu, kas, pagu_renstra, realisasi_lalu_rp = raw
    if len(kas) != 4:
        raise ValueError
    return spec.Anggaran(pagu, tuple(kas), pagu_renstra, realisasi_lalu_rp)


def data_dump(data: spec.RencanaData) -> dict:
    p = data.penandatangan
    return {
        "p": [p.tempat, p.bulan, p.tahun, p.jabatan, p.nama, p.pangkat, p.nip],
        "s": [
            [s.urutan, s.uraian, [[i.urutan, _ukuran(i.ukuran)] for i in s.indikator]]
            for s in data.sasaran
        ],
        "pr": [[p.urutan, p.nama] for p in data.program],
        "k": [
            [
                k.nomor,
                k.program,
                k.sasaran,
                k.indikator,
                k.nama,
                [
                    [s.urutan, s.uraian, _ukuran(s.ukuran), s.bidang, s.ket, _anggaran(s.anggaran)]
                    for s in k.sub_kegiatan
                ],
            ]
            for k in data.kegiatan
        ],
        "uang": data.uang,
    }


def data_load(raw: dict) -> spec.RencanaData:
    return spec.RencanaData(
        penandatangan=spec.Penandatangan(*raw["p"]),
        sasaran=tuple(
            spec.SasaranData(
                u,
                uraian,
                tuple(spec.IndikatorSasaranData(i, _ukuran_back(x)) for i, x in indikator),
            )
            for u, uraian, indikator in raw["s"]
        ),
        program=tuple(spec.ProgramData(u, nama) for u, nama in raw["pr"]),
        kegiatan=tuple(
            spec.KegiatanData(
                nomor,
                program,
                sasaran,
                indikator,
                nama,
                tuple(
                    spec.SubKegiatanData(u, uraian, _ukuran_back(x), bidang, ket, _anggaran_back(a))
                    for u, uraian, x, bidang, ket, a in subs
                ),
            )
            for nomor, program, sasaran, indikator, nama, subs in raw["k"]
        ),
        uang=bool(raw["uang"]),
    )


def payload_sign(
    data: spec.RencanaData,
    *,
    user,
    instansi_id: int,
    tahun: int,
    replace_targets: bool,
    nama_berkas: str,
    printed: bool,
    warnings: int = 0,
) -> str:
    return signing.dumps(
        {
            "user": user.pk,
            "instansi": instansi_id,
            "tahun": tahun,
            "replace": replace_targets,
            "berkas": nama_berkas,
            "printed": printed,
            "warnings": warnings,
            "data": data_dump(data),
        },
        salt=PAYLOAD_SALT,
        compress=True,
    )


def payload_unsign(token: str, *, user, instansi_id: int) -> dict:
    """The signed preview for this user and agency, with ``data`` as ``RencanaData``."""
    try:
        payload = signing.loads(token, salt=PAYLOAD_SALT, max_age=PAYLOAD_MAX_AGE)
    except signing.SignatureExpired:
        refuse(_("Pratinjau sudah kedaluwarsa. Unggah berkas sekali lagi."))
    except signing.BadSignature:
        refuse(_("Data pratinjau tidak sah (telah diubah). Unggah berkas sekali lagi."))
    if not isinstance(payload, dict) or (payload.get("user"), payload.get("instansi")) != (
        user.pk,
        instansi_id,
    ):
        refuse(_("Data pratinjau ini bukan untuk Anda. Unggah berkas sekali lagi."))
    try:
        payload["data"] = data_load(payload["data"])
    except (KeyError, TypeError, ValueError, ArithmeticError):
        refuse(_("Data pratinjau tidak sah (telah diubah). Unggah berkas sekali lagi."))
    return payload
