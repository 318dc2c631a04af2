"""Background tasks (django-tasks, database backend): run by `manage.py db_worker`."""

from django_tasks import task

from renaksi.services import render


@task()
def render_dokumen(job_id: int) -> None:
    """Render the document of a ``RenderDokumen`` row not yet rendered (``services.render``)."""
    render.render_job_run(job_id=job_id)
