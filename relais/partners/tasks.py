"""Work run off the request by the task queue (settings.TASKS): a database-backed worker
by default (``relais db_worker``), the immediate backend in tests."""

from django_tasks import task

from relais.partners import importer


@task()
def directory_import_run(import_id: int) -> str:
    return importer.run_import(import_id).status
