"""Limits on what one request may upload, enforced while the body streams in.

Django writes an uploaded file to memory or a temporary file as it arrives and checks sizes
only afterwards. ``UploadLimitHandler`` runs first of the upload handlers and drops a file
(``SkipFile``: the rest of it is read and thrown away, never stored) once it passes the size of
the largest file we accept, and every file past the request's count or byte cap. The other form
fields still arrive, so the page can say which file was refused and keep what was typed; the
views refuse the whole save when ``refused(request)`` names any file.
``RequestSizeLimitMiddleware`` answers 413 to a body declared larger than a page could ever
need, before any of it is read.
"""

from dataclasses import dataclass

from django.conf import settings
from django.core.files.uploadhandler import FileUploadHandler, SkipFile
from django.http import HttpResponse
from django.utils.translation import gettext as _

from renaksi.evidence import MAX_BUKTI_BYTES

MAX_FILES_PER_REQUEST = 20
MAX_FILE_BYTES_PER_REQUEST = 50 * 1024 * 1024


class UploadLimitHandler(FileUploadHandler):
    def handle_raw_input(self, input_data, META, content_length, boundary, encoding=None):
        self.files = 0
        self.total = 0
        self.request._renaksi_refused_uploads = []

    def new_file(self, field_name, file_name, *args, **kwargs):
        super().new_file(field_name, file_name, *args, **kwargs)
        self.files += 1
        self.file_bytes = 0

    def receive_data_chunk(self, raw_data, start):
        # Refused at its first chunk rather than in new_file(): there, the handlers after this
        # one would still hold the previous file, which Django closes on SkipFile.
        if self.files > MAX_FILES_PER_REQUEST:
            self._refuse(
                _("Berkas «%(nama)s» tidak disimpan: paling banyak %(n)d berkas sekali simpan.")
                % {"nama": self.file_name, "n": MAX_FILES_PER_REQUEST}
            )
        self.file_bytes += len(raw_data)
        self.total += len(raw_data)
        if self.file_bytes > MAX_BUKTI_BYTES:
            self._refuse(
                _("Berkas «%(nama)s» terlalu besar; paling besar %(mb)d MB.")
                % {"nama": self.file_name, "mb": MAX_BUKTI_BYTES >> 20}
            )
        if self.total > MAX_FILE_BYTES_PER_REQUEST:
            self._refuse(
                _("Berkas «%(nama)s» tidak disimpan: sekali simpan paling banyak %(mb)d MB berkas.")
                % {"nama": self.file_name, "mb": MAX_FILE_BYTES_PER_REQUEST >> 20}
            )
        return raw_data

    def file_complete(self, file_size):
        return None

    def _refuse(self, message: str):
        self.request._renaksi_refused_uploads.append(
            RefusedUpload(self.field_name, self.file_name, message)
        )
        raise SkipFile()


@dataclass(frozen=True)
class RefusedUpload:
    field: str  # the form field it was sent in
    name: str  # the user's file name
    message: str


def refused(request) -> list[RefusedUpload]:
    """The files of this request dropped while they streamed in (empty: none were)."""
    return getattr(request, "_renaksi_refused_uploads", [])


class RequestSizeLimitMiddleware:
    """413 for a body declared larger than ``RENAKSI_MAX_REQUEST_BYTES``, unread."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            declared = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            declared = 0
        if declared > settings.RENAKSI_MAX_REQUEST_BYTES:
            return HttpResponse(
                _(
                    "Kiriman terlalu besar (lebih dari %(mb)d MB). Unggah berkas yang lebih "
                    "kecil atau lebih sedikit sekaligus."
                )
                % {"mb": settings.RENAKSI_MAX_REQUEST_BYTES >> 20},
                status=413,
                content_type="text/plain; charset=utf-8",
            )
        return self.get_response(request)
