"""The preview's inputs between the preview and the confirmation, signed.

The inputs travel to the browser and back in a payload signed with ``django.core.signing``: a
changed payload is refused, and so is one signed for another user, plan or quarter, or older
than ``PAYLOAD_MAX_AGE``.
"""

from decimal import Decimal

from django.core import signing
from django.utils.translation import gettext as _

from renaksi.formulir.errors import refuse
from renaksi.models import CATATAN, RencanaAksi
from renaksi.services import RealisasiInput

PAYLOAD_SALT = "renaksi.formulir.pratinjau"
PAYLOAD_MAX_AGE = 2 * 60 * 60  # seconds between the preview and the confirmation


def inputs_sign(inputs: list[RealisasiInput], *, rencana: RencanaAksi, triwulan: int, user) -> str:
    """The inputs of a preview as a signed string for a hidden form field."""
    return signing.dumps(
        {
            "rencana": rencana.pk,
            "triwulan": triwulan,
            "user": user.pk,
            "rows": [
                [
                    item.key,
                    None if item.nilai is None else str(item.nilai),
                    item.keuangan,
                    *(getattr(item, name) for name in CATATAN),
                    item.versi,
                ]
                for item in inputs
            ],
        },
        salt=PAYLOAD_SALT,
        compress=True,
    )


def inputs_unsign(token: str, *, rencana: RencanaAksi, triwulan: int, user) -> list[RealisasiInput]:
    """The inputs signed by ``inputs_sign`` for this plan, quarter and user, or FormulirInvalid."""
    try:
        payload = signing.loads(token, salt=PAYLOAD_SALT, max_age=PAYLOAD_MAX_AGE)
    except signing.SignatureExpired:
        refuse(_("Pratinjau sudah kedaluwarsa. Unggah formulir sekali lagi."))
    except signing.BadSignature:
        refuse(_("Data pratinjau tidak sah (telah diubah). Unggah formulir sekali lagi."))
    if (payload.get("rencana"), payload.get("triwulan"), payload.get("user")) != (
        rencana.pk,
        triwulan,
        user.pk,
    ):
        refuse(_("Data pratinjau ini bukan untuk halaman ini. Unggah formulir sekali lagi."))
    return [
        RealisasiInput(
            key=key,
            nilai=None if nilai is None else Decimal(nilai),
            keuangan=keuangan,
            **dict(zip(CATATAN, notes, strict=True)),
            versi=versi,
        )
        for key, nilai, keuangan, *notes, versi in payload["rows"]
    ]
