"""The public verification page of a signed document: /verifikasi/<kode>/ (no login).

It shows only the agency, the kind of document, its year and quarter, the signatory, when it
was signed and whether it is in force or superseded; anyone may upload a PDF to learn whether
it is byte for byte the stored document (SHA-256). Unknown codes and wrong files get a plain
answer. Every request counts against the client's address (Django's cache framework), so
codes cannot be enumerated.
"""

import hashlib
import re

from django.conf import settings
from django.core.cache import cache
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from renaksi import selectors, services
from renaksi.lockout import client_ip
from renaksi.services.dokumen import KODE_ALPHABET, KODE_LENGTH

KODE = re.compile(f"^[{KODE_ALPHABET}]{{{KODE_LENGTH}}}$")
WINDOW_SECONDS = 3600
MAX_UPLOAD_BYTES = 20 * 1024 * 1024  # well above any signed PDF of ours


def throttled(request) -> bool:
    """Count this request for the client's address; True once over the hour's allowance.

    The address is the one the login lockout counts by: behind the TLS proxy REMOTE_ADDR is the
    proxy's for every visitor, and one visitor's codes would lock the page for all.
    """
    key = "verifikasi:" + (client_ip(request) or "")
    # add() starts the window only if none runs; incr() is atomic in every cache backend.
    cache.add(key, 0, timeout=WINDOW_SECONDS)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between the two calls
        cache.set(key, 1, timeout=WINDOW_SECONDS)
        count = 1
    return count > settings.VERIFIKASI_PER_JAM


def file_sha256(upload) -> str:
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    return digest.hexdigest()


# No CSRF token: the page is public and changes nothing; an upload only compares a hash.
@csrf_exempt
@never_cache
@require_http_methods(["GET", "POST"])
def verifikasi(request, kode: str):
    if throttled(request):
        return render(request, "renaksi/verifikasi.html", {"throttled": True}, status=429)
    kode = services.kode_normalize(kode)
    dokumen = selectors.dokumen_by_kode(kode=kode) if KODE.match(kode) else None
    if dokumen is None:
        return render(request, "renaksi/verifikasi.html", {"unknown": True}, status=404)
    context = {"dokumen": dokumen, "rencana": dokumen.rencana}
    if request.method == "POST":
        upload = request.FILES.get("berkas")
        if upload is None or upload.size == 0:
            context["no_file"] = True
        elif upload.size > MAX_UPLOAD_BYTES:
            context["match"] = False
        else:
            context["match"] = file_sha256(upload) == dokumen.sha256
    return render(request, "renaksi/verifikasi.html", context)
