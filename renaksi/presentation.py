"""How things are said to people: names, moments, figures, and why a write was refused.

Formatting only, no writes and no queries beyond the objects handed in. Views, exports,
services and templates (through ``templatetags/renaksi.py``) all say these things this one way.
"""

from decimal import Decimal

from django.utils import formats, timezone
from django.utils.translation import gettext as _

from renaksi.keuangan import format_rupiah
from renaksi.models import Langkah, StatusPersetujuan, StatusTriwulan, Triwulan
from renaksi.numbers import format_number, separators


def triwulan_label(triwulan) -> str:
    """A quarter's short name: "TW 2" in Indonesian, "Q2" in English."""
    return str(Triwulan(int(triwulan)).label)


def user_display(user) -> str:
    """How a user is named in messages and pages: full name, else username."""
    if user is None:
        return _("pengguna yang sudah dihapus")
    return user.get_full_name() or user.get_username()


def moment_display(moment) -> str:
    """A stored moment as messages show it: local time, "29 November 2026 09:58"."""
    return formats.date_format(timezone.localtime(moment), "j F Y H:i")


def date_display(moment) -> str:
    """A stored moment's local date: "29 November 2026"."""
    return formats.date_format(timezone.localtime(moment), "j F Y")


def value_display(value: Decimal | None, percent: bool, empty: str = "-") -> str:
    """A target or realisation as printed: "26,5%", "1.234", or ``empty`` when there is none."""
    if value is None:
        return empty
    return format_number(value) + ("%" if percent else "")


def nilai_for_input(value: Decimal | None) -> str:
    """A stored value as it goes back into an input: the language's decimal sign (a comma in
    Indonesian, a point in English, both read back alike), no thousands separators."""
    if value is None:
        return ""
    text = f"{value:f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text.replace(".", separators()[0])


def rupiah_for_input(value: int | None) -> str:
    """A stored amount as it goes back into an input: "1.250.000", or "" when not set."""
    return "" if value is None else format_rupiah(value)


def terkunci_message(status: StatusTriwulan) -> str:
    """Why a locked quarter refuses a write, and whom to ask."""
    values = {
        "n": status.triwulan,
        "nama": user_display(status.diubah_oleh),
        "waktu": moment_display(status.diubah_pada),
    }
    if status.status == StatusPersetujuan.DISETUJUI:
        return (
            _(
                "TW %(n)d sudah disetujui kepala (oleh %(nama)s pada %(waktu)s): realisasi dan "
                "bukti dukung TW %(n)d tidak dapat diubah lagi. Bila masih ada yang harus "
                "dikoreksi, minta kepala membuka kembali TW %(n)d."
            )
            % values
        )
    return (
        _(
            "TW %(n)d sedang diperiksa kepala (diajukan oleh %(nama)s pada %(waktu)s): realisasi "
            "dan bukti dukung TW %(n)d tidak dapat diubah. Bila perlu perbaikan, minta kepala "
            "mengembalikan TW %(n)d."
        )
        % values
    )


def refusal_message(langkah: str, triwulan: int, status: str) -> str:
    """Why the review move ``langkah`` cannot start from ``status``."""
    values = {"n": triwulan, "status": StatusPersetujuan(status).label}
    if langkah == Langkah.AJUKAN:
        return (
            _(
                "TW %(n)d tidak dapat diajukan ke kepala: statusnya %(status)s. Hanya triwulan "
                "yang sedang diisi atau dikembalikan yang dapat diajukan."
            )
            % values
        )
    if langkah == Langkah.SETUJUI:
        return (
            _(
                "TW %(n)d tidak dapat disetujui: statusnya %(status)s. Hanya triwulan yang "
                "diajukan ke kepala yang dapat disetujui."
            )
            % values
        )
    return (
        _(
            "TW %(n)d tidak dapat dikembalikan: statusnya %(status)s. Hanya triwulan yang "
            "diajukan ke kepala atau sudah disetujui yang dapat dikembalikan."
        )
        % values
    )


def status_changed_message(triwulan: int, status: str) -> str:
    """A move the quarter allows, but not from the state the page showed: it moved meanwhile."""
    return _(
        "TW %(n)d sudah berstatus %(status)s sejak halaman ini dibuka, jadi tidak ada "
        "yang diubah. Periksa statusnya, lalu kirim lagi bila tetap perlu dikembalikan."
    ) % {"n": triwulan, "status": StatusPersetujuan(status).label}


def conflict_message(stored, percent: bool) -> str:
    """What someone else saved on a row since the page was loaded."""
    if not stored.versi:
        return _(
            "Baris ini sudah berubah sejak halaman dimuat: kini tidak ada realisasi tersimpan. "
            "Tekan Simpan lagi untuk menyimpan isian Anda."
        )
    message = _(
        "Sudah diubah oleh %(nama)s pada %(waktu)s: nilai tersimpan %(nilai)s. "
        "Isian Anda belum disimpan; tekan Simpan lagi untuk menimpanya."
    ) % {
        "nama": user_display(stored.diubah_oleh),
        "waktu": moment_display(stored.diubah_pada),
        "nilai": value_display(stored.nilai, percent, empty=_("belum diisi")),
    }
    if stored.keuangan is not None:
        message += " " + _("Realisasi keuangan tersimpan: Rp %(rp)s.") % {
            "rp": format_rupiah(stored.keuangan)
        }
    return message


# How many empty rows of each kind the submit confirmation names; the rest are counted.
NAMED_EMPTY_ROWS = 8


def empty_row_label(row) -> str:
    """How the submit warning names an empty row (a ``selectors.EntryRow``)."""
    if row.is_sasaran:
        return _("Sasaran: %(indikator)s") % {"indikator": row.indikator.indikator}
    return _("NO %(no)s %(uraian)s") % {"no": row.nomor, "uraian": row.uraian}


def ajukan_confirmation(triwulan: int, sasaran: list, sub_kegiatan: list) -> str:
    """The question the admin answers before submitting: the empty rows named, then asked again.

    ``sasaran`` and ``sub_kegiatan`` are the rows with a target this quarter and no realisation.
    """
    question = _(
        "Ajukan TW %(n)d ke kepala? Selama diperiksa, realisasi dan bukti dukung TW %(n)d "
        "tidak dapat diubah. Isian yang belum disimpan akan hilang."
    ) % {"n": triwulan}
    if not sasaran and not sub_kegiatan:
        return question
    lines = [_("Masih kosong, padahal bertarget TW %(n)d:") % {"n": triwulan}]
    for rows in (sasaran, sub_kegiatan):
        lines += [f"- {empty_row_label(row)}" for row in rows[:NAMED_EMPTY_ROWS]]
        if len(rows) > NAMED_EMPTY_ROWS:
            lines.append(_("- dan %(n)d baris lainnya") % {"n": len(rows) - NAMED_EMPTY_ROWS})
    lines += [
        "",
        _("Tetap ajukan TW %(n)d ke kepala dengan baris kosong ini?") % {"n": triwulan},
        question,
    ]
    return "\n".join(lines)
