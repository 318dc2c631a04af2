"""Rendering a document that is not cached: in the request when small, else by a worker.

One ``RenderDokumen`` row per document name (its cache name, a digest of what is printed)
is the render lock shared by every app server and worker: a renderer takes it with one
conditional UPDATE (queued or failed, or running with a stale heartbeat → running), so however
many servers ask at once, one renders and the others wait for it or show its progress.

- ``pdf_for_request``: the view's entry. A cached PDF is served; a table of at most
  ``settings.PDF_INLINE_ROWS`` rows is rendered in the request (well under 2 s, and the user
  gets the file at once, as before); a larger one is queued for ``tasks.render_dokumen`` and
  the view shows its progress page.
- ``pdf_render_now``: render here, waiting for whoever holds the row (commands, tests).
- ``render_job_run``: the task's body in ``manage.py db_worker``.
"""

import time
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone, translation

from renaksi.exports.pdf import PAPERS, Paper, PdfResult, cache_name, cache_scope, cached, store
from renaksi.exports.pdf import render_table as _render_table
from renaksi.layout import Table
from renaksi.models import RenderDokumen, StatusRender

# A renderer moves its row's heartbeat at least once per chunk; a row running without a beat
# for this long lost its renderer (a killed process) and is taken over.
STALE_AFTER = timedelta(minutes=5)
# How long a request waits for another request rendering the same small document.
INLINE_WAIT_SECONDS = 3.0


@dataclass(frozen=True)
class Progress:
    """What the progress page shows of a rendering."""

    status: str  # a StatusRender value, or "" when nothing is known yet
    rows_done: int
    rows_total: int
    pages: int
    ready: bool = False

    @property
    def percent(self) -> int:
        if self.ready:
            return 100
        if not self.rows_total:
            return 0
        return min(99, self.rows_done * 100 // self.rows_total)


def spec_rencana(*, rencana_id: int, paper: str) -> dict:
    return {"jenis": "rencana", "rencana": rencana_id, "paper": paper}


def spec_laporan(*, rencana_id: int, triwulan: int, user_id: int | None, paper: str) -> dict:
    return {
        "jenis": "laporan",
        "rencana": rencana_id,
        "triwulan": triwulan,
        "user": user_id,
        "paper": paper,
    }


def spec_evaluasi(*, rencana_id: int, triwulan: int, user_id: int | None, paper: str) -> dict:
    return {
        **spec_laporan(rencana_id=rencana_id, triwulan=triwulan, user_id=user_id, paper=paper),
        "jenis": "evaluasi",
    }


def table_from_spec(spec: dict) -> Table:
    """The table a ``spec`` names, built again as the view built it (in the active language)."""
    from renaksi import documents, evaluasi, permissions
    from renaksi.models import RencanaAksi

    rencana = RencanaAksi.objects.select_related("instansi").get(pk=spec["rencana"])
    if spec["jenis"] == "rencana":
        return documents.rencana_aksi_table(rencana=rencana)
    profile = None
    if spec.get("user") is not None:
        profile = permissions.profile_of(get_user_model().objects.get(pk=spec["user"]))
    if spec["jenis"] == "evaluasi":
        return evaluasi.evaluasi_table(rencana=rencana, triwulan=spec["triwulan"], profile=profile)
    return documents.laporan_table(rencana=rencana, triwulan=spec["triwulan"], profile=profile)


def _job_get_or_create(
    *, name: str, table: Table, paper: Paper, spec: dict
) -> tuple[RenderDokumen, bool]:
    defaults = {
        "lingkup": cache_scope(table, paper),
        "spec": {**spec, "language": translation.get_language()},
        "baris_total": len(table.rows),
    }
    try:
        with transaction.atomic():
            return RenderDokumen.objects.get_or_create(kunci=name, defaults=defaults)
    except IntegrityError:  # created by another server between our SELECT and INSERT
        return RenderDokumen.objects.get(kunci=name), False


def _claim(job_id: int) -> bool:
    """Take the row to render it: True for exactly one caller at a time."""
    now = timezone.now()
    claimable = Q(status__in=[StatusRender.QUEUED, StatusRender.FAILED]) | Q(
        status=StatusRender.RUNNING, denyut_pada__lt=now - STALE_AFTER
    )
    return (
        RenderDokumen.objects.filter(claimable, pk=job_id).update(
            status=StatusRender.RUNNING, denyut_pada=now, baris_selesai=0, halaman=0, pesan_galat=""
        )
        == 1
    )


def _render_claimed(job: RenderDokumen, table: Table, paper: Paper) -> bytes:
    rows = RenderDokumen.objects.filter(pk=job.pk)

    def progress(rows_done: int, pages: int) -> None:
        rows.update(baris_selesai=rows_done, halaman=pages, denyut_pada=timezone.now())

    try:
        content = _render_table(table, paper=paper, progress=progress)
        store(job.kunci, content)
    except Exception as error:
        rows.update(
            status=StatusRender.FAILED,
            pesan_galat=f"{type(error).__name__}: {error}"[:2000],
            selesai_pada=timezone.now(),
        )
        raise
    rows.update(
        status=StatusRender.DONE, baris_selesai=len(table.rows), selesai_pada=timezone.now()
    )
    _forget_older(job)
    return content


def _forget_older(job: RenderDokumen) -> None:
    """Renderings of the same document and viewer made before this one are stale: delete
    their files and rows (one file per document, paper, language and set of rows)."""
    from renaksi.exports.pdf import exports_storage

    older = RenderDokumen.objects.filter(lingkup=job.lingkup, status=StatusRender.DONE).exclude(
        pk=job.pk
    )
    storage = exports_storage()
    for kunci in older.values_list("kunci", flat=True):
        storage.delete(kunci)
    older.delete()


def _reopen_if_lost(job: RenderDokumen) -> bool:
    """A row marked done whose file is gone (storage cleaned) goes back to the queue."""
    return (
        RenderDokumen.objects.filter(pk=job.pk, status=StatusRender.DONE).update(
            status=StatusRender.QUEUED
        )
        == 1
    )


def _render_or_wait(
    job: RenderDokumen, table: Table, paper: Paper, *, wait: float | None
) -> PdfResult | None:
    """Render ``job`` here if no one else is, else wait for the one who is (at most ``wait``
    seconds; None: as long as it takes). None when the wait ran out."""
    deadline = None if wait is None else time.monotonic() + wait
    while True:
        if _claim(job.pk):
            return PdfResult(_render_claimed(job, table, paper), cached=False)
        job.refresh_from_db()
        if job.status == StatusRender.DONE:
            content = cached(job.kunci)
            if content is not None:
                return PdfResult(content, cached=True)
            _reopen_if_lost(job)
            continue
        if deadline is not None and time.monotonic() >= deadline:
            return None
        time.sleep(0.2)


def pdf_render_now(table: Table, *, paper: Paper) -> PdfResult:
    """The PDF of ``table``, from the cache or rendered here (waiting for another renderer of
    the same document rather than rendering it twice)."""
    name = cache_name(table, paper)
    content = cached(name)
    if content is not None:
        return PdfResult(content, cached=True)
    job, _created = _job_get_or_create(
        name=name, table=table, paper=paper, spec={"paper": paper.code}
    )
    result = _render_or_wait(job, table, paper, wait=None)
    assert result is not None
    return result


def _enqueue(job: RenderDokumen) -> None:
    from renaksi.tasks import render_dokumen

    transaction.on_commit(lambda: render_dokumen.enqueue(job.pk))


def pdf_for_request(*, table: Table, paper: str, spec: dict) -> bytes | RenderDokumen:
    """The PDF for a download request: its bytes when cached or small enough to render now,
    else the row of its rendering in a worker (queued here when nobody is on it)."""
    chosen = PAPERS[paper]
    name = cache_name(table, chosen)
    content = cached(name)
    if content is not None:
        return content
    job, created = _job_get_or_create(name=name, table=table, paper=chosen, spec=spec)
    if len(table.rows) <= settings.PDF_INLINE_ROWS:
        result = _render_or_wait(job, table, chosen, wait=INLINE_WAIT_SECONDS)
        if result is not None:
            return result.content
        return job
    now = timezone.now()
    lost = (
        Q(status=StatusRender.FAILED)
        | Q(status=StatusRender.RUNNING, denyut_pada__lt=now - STALE_AFTER)
        # Queued long ago and never started: its task may be lost (pruned, a dead worker).
        | Q(status=StatusRender.QUEUED, dibuat_pada__lt=now - STALE_AFTER)
    )
    if created:
        requeue = True
    elif job.status == StatusRender.DONE:
        requeue = _reopen_if_lost(job)  # done, yet its file is missing
    else:
        requeue = (
            RenderDokumen.objects.filter(lost, pk=job.pk).update(
                status=StatusRender.QUEUED, dibuat_pada=now
            )
            == 1
        )
    if requeue:
        # A second task for the same row is harmless: only one can claim it.
        _enqueue(job)
    job.refresh_from_db()
    return job


def progress_of(*, table: Table, paper: str) -> Progress:
    """How far the rendering of ``table`` is; nothing is queued or rendered here."""
    chosen = PAPERS[paper]
    name = cache_name(table, chosen)
    job = RenderDokumen.objects.filter(kunci=name).first()
    if job is None:
        ready = cached(name) is not None
        return Progress("", 0, len(table.rows), 0, ready=ready)
    ready = job.status == StatusRender.DONE and cached(name) is not None
    return Progress(job.status, job.baris_selesai, job.baris_total, job.halaman, ready=ready)


def render_job_run(*, job_id: int) -> None:
    """Render the document of row ``job_id`` unless someone else is (the task's body)."""
    job = RenderDokumen.objects.filter(pk=job_id).first()
    if job is None:
        return
    spec = job.spec
    with translation.override(spec.get("language") or "id"):
        table = table_from_spec(spec)
        paper = PAPERS[spec["paper"]]
        name = cache_name(table, paper)
        if name != job.kunci:
            # The plan changed since the request: render what it prints now, under its name,
            # which is what the user's page asks for at its next look.
            RenderDokumen.objects.filter(pk=job.pk, status=StatusRender.QUEUED).delete()
            job, _created = _job_get_or_create(name=name, table=table, paper=paper, spec=spec)
        if cached(name) is not None or not _claim(job.pk):
            return
        _render_claimed(job, table, paper)
