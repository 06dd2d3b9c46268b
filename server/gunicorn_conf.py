"""gunicorn settings of `make run` (gunicorn -c python:server.gunicorn_conf), the embedded
default. Figures behind them: docs/benchmarks.md ("Load"); reasons: docs/decisions.md.

Settings given on the command line (--bind, --workers) override these.
"""

import os

wsgi_app = "server:create_app()"
bind = [f"127.0.0.1:{os.environ.get('PORT', '8000')}"]
workers = int(os.environ.get("WEB_CONCURRENCY", "2"))
# threads that time out stalled clients and refuse requests queued too long (server/serving.py)
worker_class = "server.serving.WillayWorker"
threads = 4
# A short keep-alive: a phone syncing every 2-4 s reconnects rather than staying pinned to
# one worker. Capping worker_connections (so a full worker stops accepting) was tried and
# left out: the connections then wait in the kernel's backlog, unseen by the queue limit.
keepalive = 1
timeout = 60
graceful_timeout = 10
accesslog = "-"
