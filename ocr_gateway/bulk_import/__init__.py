"""``ocr-gateway import PATH... --group NAME [--template ID] [--process]``: invoices in bulk.

A run, in order:

1. ``files``: every PDF or image under the paths (folders recursively, sorted), other files
   ignored and counted; a path that does not exist ends the run before anything is written.
2. The template is checked and the group found by name, or created with the template
   (``services.bulk_import``); two groups of that name are refused.
3. Each file in its own unit of work (``run``): read from the local disk (regular files of
   at most ``fetch_max_bytes``), hashed, skipped when the group already has a job made from
   the same content, else inspected and made a job with a page per PDF page by the code of
   ``createJobFromDocument`` (``services.document.read_document`` and on). The file is the
   document: its ``file://`` URL is only the pages' label, the pages read the stored bytes,
   so the API's fetch guards stay as they are. A bad file is reported and the run goes on.
4. ``--process``: each file's pages are queued in the same unit of work and handed, once
   committed, to the page queue ``serve`` uses (``app.page_queue``: the embedded OCR
   processes on SQLite, procrastinate and ``ocr-gateway worker`` on PostgreSQL); the run
   waits until every one of them is processed or failed, reading their status from the
   database. A re-run queues the pages an earlier run left unqueued.

Ctrl-C rolls back the file in progress and keeps every file committed before it; the same
command continues where it stopped (imported files are skipped).
"""

# Light on purpose: ``cli`` reads EXIT_CODES to build its parser on every start; the run's
# modules (database, services, rich) are imported by the command itself.
OK, FAILED, USAGE, INTERRUPTED = 0, 1, 2, 130

EXIT_CODES = f"""exit status:
  {OK}    every file was imported or skipped as already imported (with --process: and
       every page processed)
  {FAILED}    a file could not be imported, or a page failed (each is named in the output);
       or the database is not ready (run `ocr-gateway migrate`) or stopped answering
  {USAGE}    nothing was done: bad options, a path that does not exist, an unknown or
       inactive --template, a --group name that several groups share
  {INTERRUPTED}  interrupted (Ctrl-C): the files imported so far stay, the same command continues
"""
