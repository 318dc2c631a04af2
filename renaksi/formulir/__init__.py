"""The realisation form as a spreadsheet: download it, fill it in Excel, upload it, confirm.

- ``spec``: the layout both sides agree on (sheets, columns, the hidden Info sheet)
- ``write``: the workbook a user downloads (``render_formulir``)
- ``read``: checking an upload and what it would change (``formulir_read``)
- ``cells``: one cell read as a number, a note or a version
- ``preview``: the changes an upload would make (``Pratinjau``)
- ``payload``: the preview's inputs signed between preview and confirmation
- ``errors``: how a refused file says why
"""

from renaksi.formulir.errors import FormulirInvalid
from renaksi.formulir.payload import inputs_sign, inputs_unsign
from renaksi.formulir.preview import Perubahan, Pratinjau, conflict_changes
from renaksi.formulir.read import MAX_BYTES, formulir_read
from renaksi.formulir.spec import formulir_filename
from renaksi.formulir.write import render_formulir

__all__ = [
    "MAX_BYTES",
    "FormulirInvalid",
    "Perubahan",
    "Pratinjau",
    "conflict_changes",
    "formulir_filename",
    "formulir_read",
    "inputs_sign",
    "inputs_unsign",
    "render_formulir",
]
