"""What an import would write, shown before anything is: counts, warnings, the printed table.

``pratinjau`` runs the import service itself inside a transaction that is always rolled back,
and builds the printed table from what it wrote: the preview is the plan exactly as it will be
stored and printed, by the same rules, and nothing of it remains. The command's ``--dry-run``
does the same.
"""

from dataclasses import dataclass

from django.db import transaction

from renaksi import documents
from renaksi.layout import Table
from renaksi.models import Instansi
from renaksi.rencana_import import spec
from renaksi.services import rencana as rencana_services


class _Rollback(Exception):
    pass


@dataclass
class Pratinjau:
    table: Table
    counts: dict[str, int]
    replaced: bool  # an existing year's plan would be updated in place


def pratinjau(
    *,
    instansi: Instansi,
    tahun: int,
    data: spec.RencanaData,
    user,
    nama_berkas: str,
    replace_targets: bool,
) -> Pratinjau:
    """The preview of importing ``data``; raises what the import would raise, writes nothing."""
    result: list[Pratinjau] = []
    try:
        with transaction.atomic():
            existed = instansi.rencana_aksi.filter(tahun=tahun).exists()
            rencana = rencana_services.rencana_import(
                instansi=instansi,
                tahun=tahun,
                data=data,
                user=user,
                nama_berkas=nama_berkas,
                replace_targets=replace_targets,
            )
            rencana.instansi = instansi
            table = documents.rencana_aksi_table(rencana=rencana)
            result.append(Pratinjau(table=table, counts=data.counts, replaced=existed))
            raise _Rollback
    except _Rollback:
        pass
    return result[0]
