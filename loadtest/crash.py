"""kill -9 mid-stream: every save acknowledged before the crash must survive it.

    python loadtest/crash.py --db sqlite|postgresql [--writers 12] [--seconds 10] [--port 8013]

Writers (the six staff accounts, two sessions each) keep saving their rows through the entry
form. After ``--seconds`` the gunicorn master and all its workers get SIGKILL at once, with
requests in flight. Those in flight were never acknowledged and prove nothing either way; every
save answered 302 before the kill must be in the database, which must pass its integrity check.
Then the server starts again on the same database and must answer /healthz and the entry page.
"""

import argparse
import sys
import threading
import time
from pathlib import Path

import requests

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from loadtest import common  # noqa: E402


def run(args) -> int:
    installation = common.Installation(args.port, args.db)
    timings: dict[str, list[float]] = {"entry": [], "save": []}
    failures: dict[str, int] = {"entry": 0, "save": 0}
    acks: list[common.Ack] = []
    outcomes = {"saved": 0, "conflict": 0, "unchanged": 0, "cut by the kill": 0}
    lock = threading.Lock()
    killed = threading.Event()
    try:
        installation.prepare()
        installation.start()

        accounts = [who for who in common.STAFF for _ in range(2)][: args.writers]
        # Logged in first: a login's password hashing is slow by design and is not under test.
        sessions = []
        for who in accounts:
            session = requests.Session()
            common.login(session, installation.base_url, who)
            sessions.append((who, session))

        def writer(who: str, session: requests.Session) -> None:
            deadline = time.monotonic() + args.seconds + 30
            while not killed.is_set() and time.monotonic() < deadline:
                try:
                    started = time.perf_counter()
                    response = session.get(installation.base_url + common.ENTRY, timeout=30)
                    elapsed = (time.perf_counter() - started) * 1000
                    page = common.EntryPage.parse(response.text)
                    with lock:
                        timings["entry"].append(elapsed)
                        failures["entry"] += response.status_code != 200 or not page.rows
                    if not page.rows:
                        continue
                    key = page.rows[int(time.monotonic() * 1000) % len(page.rows)]
                    nilai = common.new_value(page.fields[f"{key}-nilai"])
                    data, versi = page.save_data(key, nilai)
                    started = time.perf_counter()
                    response = session.post(
                        installation.base_url + common.ENTRY,
                        data=data,
                        allow_redirects=False,
                        timeout=30,
                    )
                    elapsed = (time.perf_counter() - started) * 1000
                except requests.RequestException:
                    if killed.is_set():
                        with lock:
                            outcomes["cut by the kill"] += 1
                        return
                    with lock:
                        failures["save"] += 1
                    continue
                outcome = common.classify_save(response)
                ack = common.Ack(key=key, versi=versi + 1, nilai=nilai, who=who)
                with lock:
                    timings["save"].append(elapsed)
                    if outcome == "failed":
                        failures["save"] += 1
                    else:
                        outcomes[outcome] += 1
                    if outcome == "saved":
                        # Acknowledged now; withdrawn below if the next page says nothing changed.
                        acks.append(ack)
                if outcome == "saved":
                    try:
                        text = session.get(installation.base_url + common.ENTRY, timeout=30).text
                    except requests.RequestException:
                        continue  # the kill: the 302 stands as the acknowledgement
                    if common.unchanged(text):
                        with lock:
                            acks.remove(ack)
                            outcomes["saved"] -= 1
                            outcomes["unchanged"] += 1

        threads = [threading.Thread(target=writer, args=pair) for pair in sessions]
        for thread in threads:
            thread.start()
        common.log(f"{args.db}: {len(threads)} writers, kill -9 in {args.seconds} s")
        time.sleep(args.seconds)
        with lock:
            # Only what was acknowledged before the kill counts; a 302 arriving after it cannot.
            killed.set()
            before_kill = list(acks)
            installation.kill9()
        common.log(f"{args.db}: killed gunicorn with {len(before_kill)} saves acknowledged")
        for thread in threads:
            thread.join(60)
        common.print_table(
            f"crash: {args.db}, {len(threads)} writers, kill -9 after {args.seconds} s",
            timings,
            failures,
        )
        print(
            f"  saves: {outcomes['saved']} acknowledged, {outcomes['conflict']} conflicts, "
            f"{outcomes['cut by the kill']} in flight at the kill (unacknowledged)"
        )
        result = installation.check(before_kill)
        result.print()
        installation.start()
        session = requests.Session()
        common.login(session, installation.base_url, common.STAFF[0])
        after = session.get(installation.base_url + common.ENTRY, timeout=60)
        restarted = after.status_code == 200
        print(
            f"  after the restart: /healthz and the entry page {'answer' if restarted else 'FAIL'}"
        )
        ok = result.ok and restarted and not any(failures.values())
        return 0 if ok else 1
    finally:
        installation.remove()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", choices=["sqlite", "postgresql"], required=True)
    parser.add_argument("--writers", type=int, default=12)
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--port", type=int, default=8013)
    args = parser.parse_args()
    if not (1 <= args.writers <= 12 and 1 <= args.seconds <= 120):
        parser.error("1-12 writers, 1-120 s")
    return run(args)


if __name__ == "__main__":
    sys.exit(main())
