"""The pages, one module per family: each view is permission helper → form → service → page.

- ``dasbor``: the home page, a dashboard per role
- ``rencana``: the signed plan table (page, PDF, XLSX)
- ``laporan``: the quarterly report (page, PDF, XLSX)
- ``review``: the kepala's review moves (POST only)
- ``realisasi``: the quarter's entry page
- ``bukti``: evidence download and removal
- ``formulir``: the realisation form as a spreadsheet
- ``status_banner``: what the quarter's status banner shows, for the entry and report pages

Names: selectors and services are ``<domain noun>_<English verb>`` (``realisasi_save_many``,
``bukti_remove``), except the review's own verbs (``triwulan_ajukan``, see services/review.py).
Views and URL names are named for the page or button the user sees, in the interface's words
(``formulir_unduh`` is "Unduh formulir", ``bukti_hapus`` the "Hapus" button).
"""
