"""50 staff for 60 s against gunicorn (as `make serve` runs it), with locust, headless.

    python loadtest/load.py --db sqlite|postgresql [--users 50] [--seconds 60] [--port 8011]

Each simulated staff member logs in (the six demo staff accounts, shared), then keeps opening
the quarter's entry page, saving one of its rows through the real form (the POST realisasi.js
sends: the changed row with the version it was shown), opening the report, and now and then
downloading the report's PDF, with a think time of 2-8 s. Then the figures per endpoint, and
the database check (loadtest/check.py): every acknowledged save present, none overwritten.
"""

import argparse
import itertools
import os
import random
import sys
import time
from pathlib import Path

import gevent
from locust import HttpUser, between, events, task
from locust.env import Environment

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from loadtest import common  # noqa: E402

ACKS: list[common.Ack] = []
OUTCOMES = {"saved": 0, "conflict": 0, "unchanged": 0, "failed": 0}
ACCOUNTS = itertools.cycle(common.STAFF)
LOGGED_IN: set[int] = set()


class Staf(HttpUser):
    wait_time = between(2, 8)

    def on_start(self):
        self.username = next(ACCOUNTS)
        page = self.client.get("/accounts/login/", name="login")
        token = page.text.split('name="csrfmiddlewaretoken" value="', 1)[1].split('"', 1)[0]
        with self.client.post(
            "/accounts/login/",
            data={
                "csrfmiddlewaretoken": token,
                "username": self.username,
                "password": common.PASSWORD,
            },
            name="login",
            allow_redirects=False,
            catch_response=True,
        ) as response:
            if response.status_code != 302:
                response.failure(f"login answered {response.status_code}")
            else:
                LOGGED_IN.add(id(self))
        self.page = None

    def open_entry(self) -> str | None:
        with self.client.get(common.ENTRY, name="entry", catch_response=True) as response:
            page = common.EntryPage.parse(response.text) if response.status_code == 200 else None
            if page is None or not page.rows:
                response.failure(f"entry page: {response.status_code}, no editable row")
                self.page = None
                return None
            self.page = page
            return response.text

    @task(5)
    def entry(self):
        self.open_entry()

    @task(4)
    def save(self):
        if self.page is None:
            self.open_entry()
            if self.page is None:
                return
        key = random.choice(self.page.rows)
        nilai = common.new_value(self.page.fields[f"{key}-nilai"])
        data, versi = self.page.save_data(key, nilai)
        with self.client.post(
            common.ENTRY, data=data, name="save", allow_redirects=False, catch_response=True
        ) as response:
            outcome = common.classify_save(response)
            if outcome == "failed":
                response.failure(f"save answered {response.status_code}")
        # What the browser does next: the redirect (or the conflict page) shows the page anew.
        text = self.open_entry()
        if outcome == "saved" and text is not None and common.unchanged(text):
            outcome = "unchanged"
        OUTCOMES[outcome] += 1
        if outcome == "saved":
            ACKS.append(common.Ack(key=key, versi=versi + 1, nilai=nilai, who=self.username))

    @task(2)
    def report(self):
        self.client.get(common.REPORT, name="report")

    @task(1)
    def pdf(self):
        # "Now and then": a cold render of the staff member's rows (every save changes them).
        if random.random() < 0.3:
            with self.client.get(common.REPORT_PDF, name="pdf", catch_response=True) as response:
                if not (response.content or b"").startswith(b"%PDF"):
                    response.failure("not a PDF")


def run(args) -> int:
    installation = common.Installation(args.port, args.db)
    try:
        installation.prepare()
        installation.start()
        env = Environment(user_classes=[Staf], host=installation.base_url, events=events)
        runner = env.create_local_runner()
        common.log(f"{args.db}: {args.users} staff for {args.seconds} s")
        runner.start(args.users, spawn_rate=args.users / 10)
        # Everyone logs in first (a login's password hashing takes a few hundred ms of CPU by
        # design); the 60 s are measured from when all are in, and the logins shown apart.
        deadline = time.monotonic() + 300
        while len(LOGGED_IN) < args.users and time.monotonic() < deadline:
            gevent.sleep(0.2)
        logins = env.stats.get("login", "POST")
        login_line = (
            f"  logins (before the measured {args.seconds} s): {logins.num_requests}, "
            f"{logins.num_failures} failed, p50 {logins.get_response_time_percentile(0.5):.0f} ms,"
            f" p95 {logins.get_response_time_percentile(0.95):.0f} ms"
        )
        login_failures = env.stats.total.num_failures
        env.stats.reset_all()
        load_before = os.getloadavg()
        gevent.spawn_later(args.seconds, runner.quit)
        runner.greenlet.join()
        load_after = os.getloadavg()
        # locust's own percentiles (it keeps response times in buckets of a few ms).
        print(f"\n== load: {args.db}, {args.users} staff, {args.seconds} s (locust, headless)")
        print(
            f"  {'endpoint':<10} {'requests':>8} {'failed':>6} {'p50 ms':>8} {'p95 ms':>8} "
            f"{'p99 ms':>8} {'max ms':>8}"
        )
        merged = {}
        for (name, _method), entry in sorted(env.stats.entries.items()):
            merged.setdefault(name, []).append(entry)
        for name, entries in merged.items():
            entry = entries[0]
            for other in entries[1:]:
                entry.extend(other)
            print(
                f"  {name:<10} {entry.num_requests:>8} {entry.num_failures:>6} "
                f"{entry.get_response_time_percentile(0.5):>8.0f} "
                f"{entry.get_response_time_percentile(0.95):>8.0f} "
                f"{entry.get_response_time_percentile(0.99):>8.0f} "
                f"{entry.max_response_time:>8.0f}"
            )
        total = env.stats.total
        for error in env.stats.errors.values():
            print(f"  failed: {error.occurrences} x {error.name}: {error.error}")
        print(login_line)
        print(
            f"  load average (1 min) {load_before[0]:.1f} at the start, {load_after[0]:.1f} "
            "at the end (2 cores; other work on the machine counts too)"
        )
        print(
            f"  all: {total.num_requests} requests, {total.num_failures} failed, "
            f"{total.total_rps:.1f} req/s; saves: {OUTCOMES['saved']} acknowledged, "
            f"{OUTCOMES['conflict']} refused as conflicts (someone saved the row first), "
            f"{OUTCOMES['unchanged']} unchanged (the same value was stored meanwhile)"
        )
        installation.stop()
        result = installation.check(ACKS)
        result.print()
        failed = total.num_failures + login_failures
        return 0 if result.ok and failed == 0 else 1
    finally:
        installation.remove()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", choices=["sqlite", "postgresql"], required=True)
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument("--port", type=int, default=8011)
    args = parser.parse_args()
    if not (1 <= args.users <= 200 and 1 <= args.seconds <= 600):
        parser.error("at most 200 users and 600 s")
    return run(args)


if __name__ == "__main__":
    sys.exit(main())
