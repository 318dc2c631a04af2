"""Importing a Rencana Aksi from a spreadsheet: the format, the reader, the blank template.

- ``spec``: the plan as plain data (``RencanaData``) and the Data sheet's layout
- ``read``: checking an upload and reading it into ``RencanaData``, with warnings
- ``template``: the blank workbook with its instruction sheet
- ``payload``: the upload kept between the preview and the confirmation
"""
