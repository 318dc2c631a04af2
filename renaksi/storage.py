"""The storage of cached renderings (``STORAGES["exports"]``), on the local disk by default.

``settings.EXPORT_CACHE_DIR`` is read on every use, not once, so a test (or a command) that
points it elsewhere is followed at once. An operator who runs several app servers points
``RENAKSI_EXPORT_STORAGE`` at shared storage instead (see the README's deployment section).
"""

import os

from django.conf import settings
from django.core.files.storage import FileSystemStorage


class ExportStorage(FileSystemStorage):
    @property
    def base_location(self):
        return self._location or str(settings.EXPORT_CACHE_DIR)

    @property
    def location(self):
        return os.path.abspath(self.base_location)

    @property
    def base_url(self):
        return None  # never served by URL: the views check who may download
