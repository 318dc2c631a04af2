"""Writes. Each module holds one family; the names a caller needs are here.

- ``realisasi``: a quarter's values, notes and evidence, saved together (``realisasi_bukti_save``)
- ``bukti``: evidence files in storage, and removing one
- ``review``: the kepala's review of a quarter (``models.LANGKAH``)
- ``locks``: the plan lock and the review lock every write to a quarter takes first
- ``groups``: the "Admin instansi" group
- ``dokumen``: signed documents (the report of an approved quarter, the signed plan), stored
"""

from renaksi.services.bukti import BuktiRemoved, bukti_remove
from renaksi.services.dokumen import (
    Penandatangan,
    dokumen_supersede,
    kode_normalize,
    penandatangan_validate,
    rencana_tandatangani,
)
from renaksi.services.groups import ADMIN_INSTANSI_GROUP, ensure_admin_instansi_group
from renaksi.services.instansi import instansi_create
from renaksi.services.locks import TriwulanTerkunci, triwulan_check_open
from renaksi.services.realisasi import (
    TEKS_MAX,
    TEXT_FIELDS,
    VALUE_FIELDS,
    Conflict,
    RealisasiConflict,
    RealisasiInput,
    Saved,
    bukti_add,
    is_blank,
    keuangan_validate,
    nilai_validate,
    realisasi_bukti_save,
    realisasi_save_many,
    teks_normalize,
    teks_validate,
)
from renaksi.services.review import (
    catatan_validate,
    triwulan_ajukan,
    triwulan_kembalikan,
    triwulan_setujui,
)

__all__ = [
    "Penandatangan",
    "dokumen_supersede",
    "kode_normalize",
    "penandatangan_validate",
    "rencana_tandatangani",
    "ADMIN_INSTANSI_GROUP",
    "TEKS_MAX",
    "TEXT_FIELDS",
    "VALUE_FIELDS",
    "BuktiRemoved",
    "Conflict",
    "RealisasiConflict",
    "RealisasiInput",
    "Saved",
    "TriwulanTerkunci",
    "bukti_add",
    "bukti_remove",
    "catatan_validate",
    "ensure_admin_instansi_group",
    "instansi_create",
    "is_blank",
    "keuangan_validate",
    "nilai_validate",
    "realisasi_bukti_save",
    "realisasi_save_many",
    "teks_normalize",
    "teks_validate",
    "triwulan_ajukan",
    "triwulan_check_open",
    "triwulan_kembalikan",
    "triwulan_setujui",
]
