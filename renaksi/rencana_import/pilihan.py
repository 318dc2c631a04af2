"""The defaults of a printed-layout import, reviewed and changed row by row in the preview.

A table kept in the printed layout only does not say a row's direction, capaian method, whether
its targets are percentages or its realisation a whole number, nor a sub kegiatan's bidang: the
reader guesses them (``printed``), and the preview shows one compact select per field and row,
named ``<field>-<row key>`` (``is-1.2`` for indikator sasaran 1.2, ``sk-3.1`` for sub kegiatan
3.1), plus one ``semua-<field>`` select per field to set every row at once.

``pilihan_apply`` lays the submitted values over the plan of the signed payload: only the listed
codes (and the agency's own bidang) are taken; anything else is refused with a message naming
the row, and nothing is applied. The plan it returns goes through the import's own checks (and
is signed again for the next preview), so a choice can never make the import write what the
import itself would refuse.
"""

from collections.abc import Mapping
from dataclasses import dataclass, replace

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from renaksi.models import Arah, MetodeCapaian, satuan_is_percent
from renaksi.presentation import value_display
from renaksi.rencana_import import spec
from renaksi.rencana_import.read import bidang_match, sum_warning

# What each select offers: code → short label (the long ones do not fit a row on a phone).
OPTIONS = {
    "persen": ((spec.YA, gettext_lazy("persen")), (spec.TIDAK, gettext_lazy("angka"))),
    "bulat": ((spec.TIDAK, gettext_lazy("desimal")), (spec.YA, gettext_lazy("bulat"))),
    "arah": (
        (Arah.NAIK.value, gettext_lazy("naik ↑")),
        (Arah.TURUN.value, gettext_lazy("turun ↓")),
    ),
    "metode": (
        (MetodeCapaian.KUMULATIF.value, gettext_lazy("kumulatif")),
        (MetodeCapaian.NILAI_TERAKHIR.value, gettext_lazy("nilai terakhir")),
    ),
}
FIELDS = ("persen", "bulat", "arah", "metode", "bidang")
LABELS = {
    "persen": gettext_lazy("Jenis target"),
    "bulat": gettext_lazy("Realisasi"),
    "arah": gettext_lazy("Arah"),
    "metode": gettext_lazy("Metode capaian"),
    "bidang": gettext_lazy("Bidang"),
}


@dataclass(frozen=True)
class Select:
    name: str
    label: str  # what a screen reader says: the field and the row
    field_label: str
    options: tuple[tuple[str, str, bool], ...]  # value, label, selected


@dataclass(frozen=True)
class Baris:
    """One row of the choices table: an indikator sasaran or a sub kegiatan."""

    key: str
    nomor: str
    jenis: str
    uraian: str
    satuan: str
    targets: tuple[str, ...]  # "TW 1: 25%", ... as the printed table shows them
    selects: tuple[Select | None, ...]  # one per FIELDS; None where it does not apply


def _codes(u: spec.Ukuran) -> dict[str, str]:
    return {
        "persen": spec.YA if u.persen else spec.TIDAK,
        "bulat": spec.YA if u.bulat else spec.TIDAK,
        "arah": u.arah,
        "metode": u.metode,
    }


def _targets_shown(u: spec.Ukuran) -> tuple[str, ...]:
    return tuple(f"TW {q}: {value_display(t, u.persen)}" for q, t in enumerate(u.targets, start=1))


def _rows(data: spec.RencanaData):
    """(key, nomor, kind, text, ukuran, bidang or None) of every row with choices, in order."""
    for s in data.sasaran:
        for i in s.indikator:
            yield f"is-{s.urutan}.{i.urutan}", f"{s.urutan}.{i.urutan}", "is", i, None
    for k in data.kegiatan:
        for sub in k.sub_kegiatan:
            yield f"sk-{k.nomor}.{sub.urutan}", f"{k.nomor}.{sub.urutan}", "sk", sub, sub.bidang


def _row_label(kind: str, nomor: str) -> str:
    if kind == "is":
        return _("Indikator sasaran %(n)s") % {"n": nomor}
    return _("Sub kegiatan %(n)s") % {"n": nomor}


def baris_list(data: spec.RencanaData, bidang: list[str]) -> list[Baris]:
    """The choices table of ``data``, each select showing the row's current value."""
    rows = []
    for key, nomor, kind, item, chosen in _rows(data):
        u = item.ukuran
        codes = _codes(u)
        selects: list[Select | None] = []
        for field in FIELDS:
            if field == "bidang":
                if kind != "sk":
                    selects.append(None)
                    continue
                options = tuple((name, name, name == chosen) for name in bidang)
            else:
                options = tuple(
                    (value, str(label), value == codes[field]) for value, label in OPTIONS[field]
                )
            selects.append(
                Select(
                    f"{field}-{key}",
                    f"{LABELS[field]} {_row_label(kind, nomor)}",
                    str(LABELS[field]),
                    options,
                )
            )
        rows.append(
            Baris(
                key=key,
                nomor=nomor,
                jenis=_("indikator sasaran") if kind == "is" else _("sub kegiatan"),
                uraian=item.ukuran.indikator if kind == "is" else item.uraian,
                satuan=u.satuan,
                targets=_targets_shown(u),
                selects=tuple(selects),
            )
        )
    return rows


def semua_selects(bidang: list[str]) -> list[Select]:
    """The "every row" selects: each starts on "unchanged"."""
    unchanged = ("", _("— tetap —"), True)
    selects = []
    for field in FIELDS:
        if field == "bidang":
            options = tuple((name, name, False) for name in bidang)
        else:
            options = tuple((value, str(label), False) for value, label in OPTIONS[field])
        label = _("%(what)s, semua baris") % {"what": LABELS[field]}
        selects.append(Select(f"semua-{field}", label, str(LABELS[field]), (unchanged, *options)))
    return selects


def pilihan_apply(
    data: spec.RencanaData, post: Mapping, bidang: list[str], *, semua: bool = False
) -> tuple[spec.RencanaData, list[str]]:
    """``data`` with the submitted choices, and the faults found (then ``data`` unchanged).

    A missing field keeps the row's value; with ``semua``, a filled ``semua-<field>`` sets every
    row. A value that is not one of the offered codes, a unit "%" on a target not in percent, or
    a percentage target over 100 is refused naming the row.
    """
    errors: list[str] = []
    everyone = {}
    if semua:
        for field in FIELDS:
            value = str(post.get(f"semua-{field}", "") or "")
            if value:
                everyone[field] = value

    def chosen(field: str, key: str) -> str | None:
        if field in everyone:
            return everyone[field]
        value = post.get(f"{field}-{key}")
        return None if value is None else str(value)

    def ukuran(kind: str, key: str, nomor: str, u: spec.Ukuran) -> spec.Ukuran:
        where = _row_label(kind, nomor)
        codes = _codes(u)
        for field in ("persen", "bulat", "arah", "metode"):
            value = chosen(field, key)
            if value is None:
                continue
            if value not in dict(OPTIONS[field]):
                errors.append(
                    _("%(where)s: pilihan %(what)s «%(v)s» tidak dikenal; pilih dari daftar.")
                    % {"where": where, "what": str(LABELS[field]).lower(), "v": value[:40]}
                )
                continue
            codes[field] = value
        new = replace(
            u,
            persen=codes["persen"] == spec.YA,
            bulat=codes["bulat"] == spec.YA,
            arah=codes["arah"],
            metode=codes["metode"],
        )
        if not new.persen and satuan_is_percent(new.satuan):
            errors.append(
                _("%(where)s: satuan «%(satuan)s» berarti target dalam persen; pilih «persen».")
                % {"where": where, "satuan": new.satuan}
            )
        if new.persen and any(t is not None and t > 100 for t in new.targets):
            errors.append(
                _("%(where)s: target lebih dari 100, jadi tidak dapat dinyatakan dalam persen.")
                % {"where": where}
            )
        return new

    sasaran = []
    for s in data.sasaran:
        indikator = []
        for i in s.indikator:
            nomor = f"{s.urutan}.{i.urutan}"
            indikator.append(replace(i, ukuran=ukuran("is", f"is-{nomor}", nomor, i.ukuran)))
        sasaran.append(replace(s, indikator=tuple(indikator)))
    kegiatan = []
    for k in data.kegiatan:
        subs = []
        for sub in k.sub_kegiatan:
            nomor = f"{k.nomor}.{sub.urutan}"
            key = f"sk-{nomor}"
            name = sub.bidang
            value = chosen("bidang", key)
            if value is not None:
                name = bidang_match(value, bidang)
                if name is None:
                    errors.append(
                        _("%(where)s: bidang yang dipilih tidak dikenal.")
                        % {"where": _row_label("sk", nomor)}
                    )
                    name = sub.bidang
            subs.append(replace(sub, ukuran=ukuran("sk", key, nomor, sub.ukuran), bidang=name))
        kegiatan.append(replace(k, sub_kegiatan=tuple(subs)))
    if errors:
        return data, errors
    return replace(data, sasaran=tuple(sasaran), kegiatan=tuple(kegiatan)), []


def warnings_of(data: spec.RencanaData) -> list[str]:
    """The sum warnings of ``data`` (as the reader gives them), naming rows by their number."""
    warnings = []
    for _key, nomor, kind, item, _bidang in _rows(data):
        warning = sum_warning(item.ukuran)
        if warning:
            warnings.append(
                _("%(where)s: %(msg)s") % {"where": _row_label(kind, nomor), "msg": warning}
            )
    return warnings
