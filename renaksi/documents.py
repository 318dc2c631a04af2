"""The printed tables: the signed Rencana Aksi and the Laporan Capaian Kinerja Triwulan.

Each builder turns a plan into one layout ``Table`` (rows, cells, spans) in a fixed number of
queries; the page, the PDF and the XLSX are three renderings of it and never walk the models
themselves.

- ``rencana_aksi_table``: one row per sub kegiatan, the NO block (sasaran, indicator, targets,
  program, kegiatan) merged down over its sub kegiatan, as signed.
- ``laporan_table``: each indikator sasaran opens a group (a bold row with its own figures),
  followed by the sub kegiatan of the kegiatan that serve it, with target, realisation, capaian
  and predicate for the quarter and to date.
"""

from decimal import Decimal

from django.utils.translation import gettext as _

from renaksi import permissions, selectors
from renaksi.capaian import PREDIKAT, capaian_triwulan, predikat, sampai_dengan
from renaksi.layout import Cell, Column, Kind, QuarterValue, Row, Signature, Table, Verification
from renaksi.models import (
    DokumenTertanda,
    Indikator,
    Instansi,
    JenisDokumen,
    Kegiatan,
    Peran,
    Profile,
    Realisasi,
    RencanaAksi,
    StatusPersetujuan,
    StatusTriwulan,
)
from renaksi.nip import format_nip
from renaksi.presentation import date_display, user_display

# --- The signed Rencana Aksi table -------------------------------------------------------------


def quarter_values(indikator: Indikator, *, unit: bool = False) -> tuple[QuarterValue, ...]:
    """The "TW n : …" lines of an indicator; ``unit`` where no column of the table names it."""
    return tuple(
        QuarterValue(
            triwulan=q,
            value=value,
            percent=indikator.target_persen,
            unit=indikator.satuan if unit else "",
        )
        for q, value in enumerate(indikator.targets(), start=1)
    )


def plan_columns() -> list[Column]:
    sasaran, sub_kegiatan = _("SASARAN"), _("SUB KEGIATAN")
    return [
        Column("no", _("NO"), width=0.45, center=True),
        Column("sasaran", _("URAIAN"), group=sasaran, width=1.6),
        Column("indikator_sasaran", _("INDIKATOR KINERJA"), group=sasaran, width=1.5),
        Column("target_sasaran", _("TARGET"), kind=Kind.QUARTERS, width=1.05),
        Column("program", _("PROGRAM"), width=1.45),
        Column("kegiatan", _("KEGIATAN"), width=1.6),
        Column("sub_kegiatan", _("URAIAN"), group=sub_kegiatan, width=1.9),
        Column("indikator_sub_kegiatan", _("INDIKATOR KINERJA"), group=sub_kegiatan, width=2.0),
        Column("satuan", _("SATUAN"), group=sub_kegiatan, width=0.85, center=True),
        Column("target_sub_kegiatan", _("TARGET"), kind=Kind.QUARTERS, width=1.05),
        Column("ket", _("KET"), width=0.8),
    ]


def signature_of(rencana: RencanaAksi) -> Signature:
    return Signature(
        place_date=rencana.tempat_tanggal_ttd,
        jabatan=rencana.jabatan_penandatangan,
        nama=rencana.nama_penandatangan,
        pangkat=rencana.pangkat_penandatangan,
        nip=format_nip(rencana.nip_penandatangan),
    )


def signature_unsigned(rencana: RencanaAksi) -> Signature:
    """A report not yet approved: the plan's signatory, with the place and an open date.

    Not the plan's own date: a quarter is signed when the kepala approves it, and until then
    the report says so in its status line.
    """
    return Signature(
        place_date=f"{rencana.instansi.kota}, ....................",
        jabatan=rencana.jabatan_penandatangan,
        nama=rencana.nama_penandatangan,
        pangkat=rencana.pangkat_penandatangan,
        nip=format_nip(rencana.nip_penandatangan),
    )


def signature_of_dokumen(dokumen: DokumenTertanda) -> Signature:
    """The signatory as stored with a signed document (Plt./Plh. before the office)."""
    jabatan = f"{dokumen.sebagai} {dokumen.jabatan}" if dokumen.sebagai else dokumen.jabatan
    return Signature(
        place_date=dokumen.tempat_tanggal,
        jabatan=jabatan,
        nama=dokumen.nama,
        pangkat=dokumen.pangkat,
        nip=format_nip(dokumen.nip),
    )


def verification_of(dokumen: DokumenTertanda) -> Verification:
    import segno  # only signed documents need it

    qr = segno.make(dokumen.tautan, error="m")
    return Verification(
        kode=dokumen.kode,
        url=dokumen.tautan,
        qr_svg=qr.svg_data_uri(scale=2, border=2),
    )


def verification_line(verification: Verification) -> str:
    return _("Kode verifikasi %(kode)s: periksa keaslian dokumen ini di %(url)s") % {
        "kode": verification.kode,
        "url": verification.url,
    }


def plan_title(rencana: RencanaAksi, first_line: str) -> list[str]:
    return [
        first_line,
        _("PENCAPAIAN PERJANJIAN KINERJA PER TRIWULAN"),
        _("%(instansi)s TAHUN %(tahun)s")
        % {"instansi": rencana.instansi.nama.upper(), "tahun": rencana.tahun},
    ]


def kegiatan_cells(kegiatan: Kegiatan, rowspan: int) -> list[Cell]:
    """Columns 1–6 of a NO block: printed once, merged down over its sub kegiatan."""
    indikator = kegiatan.indikator_sasaran
    return [
        Cell("no", text=str(kegiatan.nomor), rowspan=rowspan),
        Cell("sasaran", text=indikator.sasaran.uraian, rowspan=rowspan),
        Cell("indikator_sasaran", text=indikator.indikator, rowspan=rowspan),
        Cell("target_sasaran", quarters=quarter_values(indikator, unit=True), rowspan=rowspan),
        Cell("program", text=kegiatan.program.nama, rowspan=rowspan),
        Cell("kegiatan", text=kegiatan.nama, rowspan=rowspan),
    ]


def rencana_aksi_table(*, rencana: RencanaAksi, dokumen: DokumenTertanda | None = None) -> Table:
    """The signed Rencana Aksi table of a plan: one row per sub kegiatan, NO blocks merged.

    Runs two queries whatever the size of the plan (``rencana.instansi`` must be loaded).
    With ``dokumen`` (the plan's signed record) it carries its verification code and QR code.
    """
    rows: list[Row] = []
    for kegiatan in selectors.kegiatan_of_plan(rencana=rencana):
        subs = list(kegiatan.sub_kegiatan.all())
        block = kegiatan_cells(kegiatan, rowspan=max(len(subs), 1))
        if not subs:
            empty = ("sub_kegiatan", "indikator_sub_kegiatan", "satuan", "target_sub_kegiatan")
            rows.append(
                Row(cells=block + [Cell(key) for key in (*empty, "ket")], key=f"keg-{kegiatan.pk}")
            )
            continue
        for index, sub in enumerate(subs):
            cells = [
                Cell("sub_kegiatan", text=sub.uraian),
                Cell("indikator_sub_kegiatan", text=sub.indikator),
                Cell("satuan", text=sub.satuan),
                Cell("target_sub_kegiatan", quarters=quarter_values(sub)),
                Cell("ket", text=sub.ket),
            ]
            rows.append(Row(cells=(block if index == 0 else []) + cells, key=sub.row_key))
    verification = verification_of(dokumen) if dokumen is not None else None
    return Table(
        title_lines=plan_title(rencana, _("TABEL RENCANA AKSI")),
        columns=plan_columns(),
        rows=rows,
        signature=signature_of_dokumen(dokumen) if dokumen is not None else signature_of(rencana),
        author=rencana.instansi.nama,
        filename_stem=f"rencana-aksi-{rencana.instansi.kode}-{rencana.tahun}",
        footer_lines=[verification_line(verification)] if verification else [],
        verification=verification,
    )


def rencana_aksi_blank_table(*, instansi: Instansi, tahun: int | None) -> Table:
    """The printed Rencana Aksi table with no rows: the blank template's printed sheet.

    The same title and header as a plan's, an empty body, and placeholders where the signatory
    goes. Runs no query.
    """
    rencana = RencanaAksi(instansi=instansi, tahun=tahun or "....")
    return Table(
        title_lines=plan_title(rencana, _("TABEL RENCANA AKSI")),
        columns=plan_columns(),
        rows=[],
        signature=Signature(
            place_date=_("%(kota)s, [Bulan] [Tahun]") % {"kota": instansi.kota or _("[Tempat]")},
            jabatan=_("[JABATAN PENANDATANGAN]"),
            nama=_("[NAMA PENANDATANGAN]"),
            pangkat=_("[Pangkat, golongan]"),
            nip=_("[18 angka]"),
        ),
        author=instansi.nama,
        filename_stem=f"templat-rencana-aksi-{instansi.kode}",
    )


# --- The quarterly achievement report ---------------------------------------------------------


def report_columns(triwulan: int) -> list[Column]:
    this_quarter = _("TRIWULAN %(n)s") % {"n": triwulan}
    to_date_group = _("S.D. TRIWULAN %(n)s") % {"n": triwulan}
    figures = []
    for group in (this_quarter, to_date_group):
        suffix = "tw" if group == this_quarter else "sd"
        figures += [
            Column(f"target_{suffix}", _("TARGET"), kind=Kind.NUMBER, group=group, width=0.8),
            Column(
                f"realisasi_{suffix}", _("REALISASI"), kind=Kind.NUMBER, group=group, width=0.95
            ),
            Column(f"capaian_{suffix}", _("CAPAIAN"), kind=Kind.NUMBER, group=group, width=0.9),
            Column(f"predikat_{suffix}", _("PREDIKAT"), group=group, width=0.95, center=True),
        ]
    return [
        Column("no", _("NO"), width=0.4, center=True),
        Column("kegiatan", _("KEGIATAN"), width=1.5),
        Column("uraian", _("SASARAN / SUB KEGIATAN"), width=1.8),
        Column("indikator", _("INDIKATOR KINERJA"), width=1.8),
        Column("satuan", _("SATUAN"), width=0.8, center=True),
        *figures,
        Column("ket", _("KET"), width=1.1),
    ]


def _figure_cells(
    indikator: Indikator, stored: list[Realisasi | None], triwulan: int
) -> tuple[list[Cell], tuple[int, ...]]:
    """The figures of one row, and the quarters so far that have a target but no realisation."""
    targets = indikator.targets()
    values = [r.nilai if r is not None else None for r in stored]
    percent = indikator.target_persen
    metode, arah = indikator.metode_capaian, indikator.arah
    to_date = sampai_dengan(targets, values, triwulan, arah, metode)
    cells = []
    for suffix, target, nilai, score in (
        (
            "tw",
            targets[triwulan - 1],
            values[triwulan - 1],
            capaian_triwulan(targets, values, triwulan, arah),
        ),
        ("sd", to_date.target, to_date.realisasi, to_date.capaian),
    ):
        grade = predikat(score)
        cells += [
            _number(f"target_{suffix}", target, percent),
            _number(f"realisasi_{suffix}", nilai, percent),
            _number(f"capaian_{suffix}", score, True, css=grade.css if grade else ""),
            Cell(
                f"predikat_{suffix}",
                text=grade.label if grade else "-",
                css=grade.css if grade else "",
            ),
        ]
    current = stored[triwulan - 1]
    cells.append(Cell("ket", text=current.ket if current is not None else ""))
    return cells, to_date.belum_dilaporkan


def missing_note(label: str, indikator: Indikator, triwulan: int, missing: tuple[int, ...]) -> str:
    """Why a row's capaian to date is "-": which quarters have a target but no realisation.

    Only for rows where an earlier quarter is missing: a quarter being filled in is "-" on its
    own line already, and a report of a quarter nobody started would be all notes.
    """
    return _(
        "%(no)s %(indikator)s: capaian s.d. TW %(n)d belum dihitung karena realisasi "
        "%(triwulan)s belum dilaporkan."
    ) % {
        "no": label,
        "indikator": indikator.indikator,
        "n": triwulan,
        "triwulan": ", ".join(f"TW {q}" for q in missing),
    }


def _number(column: str, value: Decimal | None, percent: bool, css: str = "") -> Cell:
    if value is None:
        return Cell(column, text="-", css=css)
    return Cell(column, number=value, percent=percent, css=css)


def sasaran_label(index: int) -> str:
    """A, B, … Z, AA, AB, …: the letter of the ``index``-th sasaran row (from 0)."""
    label = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        label = chr(ord("A") + rest) + label
    return label


def laporan_table(
    *,
    rencana: RencanaAksi,
    triwulan: int,
    profile: Profile | None = None,
    status: StatusTriwulan | None = None,
    dokumen: DokumenTertanda | None = None,
) -> Table:
    """The quarterly achievement report of ``rencana`` for ``triwulan``, in constant queries.

    With a ``profile``, only the rows that user may see (``permissions.may_see_row``): staff get
    their own bidang's sub kegiatan and none of the other bidang's realisations or notes.
    Without one (the command line), every row. The footer says whether the kepala approved the
    quarter; pass the ``status`` when the caller has it already, else it is read here.

    The signature is the quarter's own, stored when the kepala approved it (``dokumen``, read
    here when the quarter is approved and none is passed), with its verification code; a
    quarter not approved prints the plan's signatory with an open date.
    """
    if status is None:
        status = selectors.status_triwulan(rencana=rencana, triwulan=triwulan)
    if dokumen is None and status.status == StatusPersetujuan.DISETUJUI:
        dokumen = selectors.dokumen_berlaku(
            rencana=rencana, jenis=JenisDokumen.LAPORAN, triwulan=triwulan
        )
    stored = selectors.realisasi_of_plan(rencana=rencana, with_bukti=False)
    empty: list[Realisasi | None] = [None, None, None, None]
    rows: list[Row] = []
    seen_indikator: set[int] = set()
    notes: list[str] = []

    def visible(bidang_id: int | None) -> bool:
        return profile is None or permissions.may_see_row(profile, bidang_id)

    for kegiatan in selectors.kegiatan_of_plan(rencana=rencana):
        indikator = kegiatan.indikator_sasaran
        if indikator.pk not in seen_indikator and visible(None):
            key = indikator.row_key
            label = sasaran_label(len(seen_indikator))
            figures, missing = _figure_cells(indikator, stored.get(key, empty), triwulan)
            if any(q < triwulan for q in missing):
                notes.append(missing_note(label, indikator, triwulan, missing))
            rows.append(
                Row(
                    cells=[
                        Cell("no", text=label),
                        Cell("kegiatan", text=_("Sasaran")),
                        Cell("uraian", text=indikator.sasaran.uraian),
                        Cell("indikator", text=indikator.indikator),
                        Cell("satuan", text=indikator.satuan),
                        *figures,
                    ],
                    key=key,
                    css="baris-sasaran",
                )
            )
        seen_indikator.add(indikator.pk)
        subs = [sub for sub in kegiatan.sub_kegiatan.all() if visible(sub.bidang_id)]
        for index, sub in enumerate(subs):
            block = (
                [
                    Cell("no", text=str(kegiatan.nomor), rowspan=len(subs)),
                    Cell("kegiatan", text=kegiatan.nama, rowspan=len(subs)),
                ]
                if index == 0
                else []
            )
            key = sub.row_key
            figures, missing = _figure_cells(sub, stored.get(key, empty), triwulan)
            if any(q < triwulan for q in missing):
                notes.append(missing_note(str(kegiatan.nomor), sub, triwulan, missing))
            rows.append(
                Row(
                    cells=[
                        *block,
                        Cell("uraian", text=sub.uraian),
                        Cell("indikator", text=sub.indikator),
                        Cell("satuan", text=sub.satuan),
                        *figures,
                    ],
                    key=key,
                )
            )
    verification = verification_of(dokumen) if dokumen is not None else None
    if profile is not None and not permissions.may_receive_signed_laporan(profile):
        # A staff member's rendering holds only the bidang's rows: it is not the signed file,
        # so it carries no code that would call it so.
        verification = None
    footer = [status_line(status), *notes, *footer_lines()]
    if verification is not None:
        footer.append(verification_line(verification))
    if profile is not None and profile.peran == Peran.STAF and profile.bidang is not None:
        footer.insert(0, _("Hanya baris %(bidang)s.") % {"bidang": profile.bidang.nama})
    return Table(
        title_lines=plan_title(
            rencana, _("LAPORAN CAPAIAN KINERJA TRIWULAN %(n)s") % {"n": triwulan}
        ),
        columns=report_columns(triwulan),
        rows=rows,
        signature=(
            signature_of_dokumen(dokumen) if dokumen is not None else signature_unsigned(rencana)
        ),
        author=rencana.instansi.nama,
        filename_stem=f"laporan-capaian-{rencana.instansi.kode}-{rencana.tahun}-tw{triwulan}",
        footer_lines=footer,
        warnings=notes,
        verification=verification,
    )


def status_line(status: StatusTriwulan) -> str:
    """The report's line on the kepala's approval, as printed under the table."""
    if status.status != StatusPersetujuan.DISETUJUI:
        return _("Status: belum disetujui kepala (%(status)s).") % {
            "status": status.get_status_display().lower()
        }
    return _("Status: Disetujui oleh %(nama)s pada %(tanggal)s.") % {
        "nama": user_display(status.diubah_oleh),
        "tanggal": date_display(status.diubah_pada),
    }


def footer_lines() -> list[str]:
    bounds = [p.minimum for p in PREDIKAT]
    parts = []
    for index, grade in enumerate(PREDIKAT):
        if index == 0:
            parts.append(_("%(label)s: %(low)s ke atas") % {"label": grade.label, "low": bounds[0]})
        elif grade.minimum.is_finite():
            parts.append(
                _("%(label)s: %(low)s s.d. di bawah %(high)s")
                % {"label": grade.label, "low": grade.minimum, "high": bounds[index - 1]}
            )
        else:
            parts.append(
                _("%(label)s: di bawah %(high)s")
                % {"label": grade.label, "high": bounds[index - 1]}
            )
    return [
        _(
            "Capaian = realisasi ÷ target × 100 (semakin tinggi semakin baik); "
            "(2 × target - realisasi) ÷ target × 100, tidak kurang dari 0 "
            "(semakin rendah semakin baik)."
        ),
        _(
            "S.D. triwulan: Σ realisasi ÷ Σ target triwulan yang sudah berjalan (metode "
            'kumulatif; "-" selama ada triwulan bertarget yang belum dilaporkan) atau nilai '
            "triwulan berjalan, atau triwulan terakhir sebelumnya yang bertarget dan sudah "
            'dilaporkan (metode nilai terakhir). Tanpa target: "-".'
        ),
        _("Predikat (Permendagri 86/2017): %(scale)s.") % {"scale": "; ".join(parts)},
    ]
