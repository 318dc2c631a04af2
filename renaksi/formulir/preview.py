"""What an upload would change: the rows whose values differ from what is stored now."""

from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext as _

from renaksi import selectors
from renaksi.keuangan import format_rupiah
from renaksi.models import CATATAN, Profile, Realisasi, RencanaAksi
from renaksi.presentation import value_display
from renaksi.selectors import EntryRow
from renaksi.services import RealisasiConflict, RealisasiInput


@dataclass(frozen=True)
class Perubahan:
    """One row whose values in the file differ from what is stored now."""

    baris: int | None  # the sheet row (None when rebuilt from a conflict after the preview)
    row: EntryRow
    stored: Realisasi | None  # what is stored now
    new: RealisasiInput
    conflict: bool  # stored by someone else since the form was downloaded

    @property
    def old_nilai(self):
        return self.stored.nilai if self.stored else None

    @property
    def old_nilai_display(self) -> str:
        return _nilai_display(self.old_nilai, self.row.indikator.target_persen)

    @property
    def new_nilai_display(self) -> str:
        return _nilai_display(self.new.nilai, self.row.indikator.target_persen)

    def fields(self) -> list[tuple[str, str, str, bool]]:
        """(label, old, new, changed) per value, for the preview and the command output."""
        fields = [
            (
                _("Realisasi"),
                self.old_nilai_display,
                self.new_nilai_display,
                self.old_nilai != self.new.nilai,
            )
        ]
        old_rp = self.stored.keuangan if self.stored else None
        fields.append(
            (
                _("Realisasi keuangan (Rp)"),
                _rupiah_display(old_rp),
                _rupiah_display(self.new.keuangan),
                old_rp != self.new.keuangan,
            )
        )
        for name, label in CATATAN.items():
            old = getattr(self.stored, name) if self.stored else ""
            new = getattr(self.new, name)
            fields.append((str(label), old, new, old != new))
        return fields


@dataclass(frozen=True)
class Pratinjau:
    changes: list[Perubahan]
    unchanged: int

    @property
    def conflicts(self) -> list[Perubahan]:
        return [change for change in self.changes if change.conflict]

    @property
    def inputs(self) -> list[RealisasiInput]:
        return [change.new for change in self.changes]


def _rupiah_display(rupiah: int | None) -> str:
    return _("(kosong)") if rupiah is None else f"Rp {format_rupiah(rupiah)}"


def _nilai_display(nilai: Decimal | None, percent: bool) -> str:
    return value_display(nilai, percent, empty=_("(kosong)"))


def conflict_changes(
    exc: RealisasiConflict,
    *,
    inputs: list[RealisasiInput],
    rencana: RencanaAksi,
    profile: Profile,
) -> list[Perubahan]:
    """The rows of a failed save, as preview rows showing what is stored now."""
    found = selectors.entry_rows(rencana=rencana, profile=profile, with_bukti=False)
    rows = {row.key: row for row in found}
    mine = {item.key: item for item in inputs}
    return [
        Perubahan(
            None,
            rows[conflict.key],
            conflict.stored if conflict.stored.pk else None,
            mine[conflict.key],
            True,
        )
        for conflict in exc.conflicts
        if conflict.key in rows and conflict.key in mine
    ]
