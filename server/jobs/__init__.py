"""Long work in the background (exports, dashboard rebuilds, media clean-up), with
progress the console can show.

- models.py: the `jobs` table, the truth about every job (the queue only carries ids);
- queue.py: the huey queue of this app (SQLite file, Redis, or immediate);
- services.py: asking for a job (shared when the same one is live), claiming it, leases,
  finishing, re-queuing those whose worker died, deleting expired files;
- runner.py: running one job with a heartbeat that renews its lease and saves progress;
- kinds.py and export_job.py: what each kind of job does;
- worker.py: `willay worker`, and `willay serve` (gunicorn and a worker, started and
  stopped together, for `make run`)."""
