"""gunicorn settings for `make serve` (and a real deployment behind the TLS proxy).

Chosen for a 2-core machine serving one agency (tens of users, short bursts at quarter's end):

- 3 worker processes: rendering a page or an export is Python work held by one process's GIL,
  so about one process per core plus one that keeps answering while another is busy.
- 4 threads each (gthread): most of a request is waiting on the database (a SQLite write waits
  its turn under the busy timeout) or on the disk; threads overlap those waits, and a long PDF
  render holds one thread, not a whole worker. 3 x 4 = 12 requests at once; the 13th waits in
  the listen queue instead of being refused.
- timeout 120 s: a cold PDF of a big plan renders in WeasyPrint for tens of seconds on this
  machine; a worker silent for longer than that is stuck and gets replaced.
- keepalive 75 s: see below.
- max_requests with jitter: a worker is replaced after about 1,000 requests, so memory a big
  spreadsheet or PDF grew is given back, and the workers do not all restart at once.

Override any of these for one run with GUNICORN_CMD_ARGS, e.g. GUNICORN_CMD_ARGS="--workers 5".
"""

wsgi_app = "kesbangpol.wsgi:application"
bind = "127.0.0.1:8000"
worker_class = "gthread"
workers = 3
threads = 4
timeout = 120
graceful_timeout = 30
# Longer than any client or proxy keeps an idle connection between two requests (nginx: 60 s):
# when the server closes an idle connection first, a request sent at that moment meets a reset,
# which a browser retries but a proxy or script may not (the load test's 2-8 s pauses met the
# old 5 s as "connection reset" failures). Idle connections cost no thread in gthread.
keepalive = 75
max_requests = 1000
max_requests_jitter = 100
# gunicorn's control socket lives at one fixed path in $HOME: a second server on the machine
# (the load tests run two) would fight over it, and nothing here uses it.
control_socket_disable = True

# Both logs on stderr, one line per event. The access line ends with the request id that the
# application's own log lines carry (renaksi/requestid.py sets it as a response header), and
# the time the request took in milliseconds.
# (gunicorn's own "-" for the access log means stdout, hence the logging config.)
# With the UTC offset: the master logs in the machine's zone, the workers (Django set TZ) in WIT.
DATEFMT = "%Y-%m-%dT%H:%M:%S%z"
access_log_format = '%(h)s "%(r)s" %(s)s %(B)s %(M)sms rid=%({x-request-id}o)s'
logconfig_dict = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "access": {"format": "%(asctime)s ACCESS %(message)s", "datefmt": DATEFMT},
        "server": {
            "format": "%(asctime)s %(levelname)s gunicorn[%(process)d] %(message)s",
            "datefmt": DATEFMT,
        },
    },
    "handlers": {
        "access": {
            "class": "logging.StreamHandler",
            "stream": "ext://sys.stderr",
            "formatter": "access",
        },
        "server": {
            "class": "logging.StreamHandler",
            "stream": "ext://sys.stderr",
            "formatter": "server",
        },
    },
    # gunicorn merges this over its defaults one key deep: its root logger names a handler
    # ("console") that the handlers above replace.
    "root": {"level": "WARNING", "handlers": ["server"]},
    "loggers": {
        "gunicorn.access": {"handlers": ["access"], "level": "INFO", "propagate": False},
        "gunicorn.error": {"handlers": ["server"], "level": "INFO", "propagate": False},
    },
}
