"""Lost-update race: 20 clients save the same row at the same moment, round after round.

    python loadtest/race.py --db sqlite|postgresql [--clients 20] [--rounds 15] [--port 8012]

Each round every client opens the entry page (so all were shown the same version of the row),
waits at a barrier, and posts its own value. Exactly one may be acknowledged; every other must
be refused as a conflict. Then the database check: the acknowledged value of each round is the
one stored under its version; any other outcome is a silent overwrite.
"""

import argparse
import sys
import threading
import time
from pathlib import Path

import requests

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from loadtest import common  # noqa: E402

# The row: the first sub kegiatan of Sekretariat, which its staff and the agency admin may edit.
ACCOUNTS = ["staf-sekretariat", "admin"]


def run(args) -> int:
    installation = common.Installation(args.port, args.db)
    timings: dict[str, list[float]] = {"entry": [], "save": []}
    failures: dict[str, int] = {"entry": 0, "save": 0}
    acks: list[common.Ack] = []
    bad_rounds: list[str] = []
    try:
        installation.prepare()
        installation.start()
        sessions = []
        for i in range(args.clients):
            session = requests.Session()
            common.login(session, installation.base_url, ACCOUNTS[i % len(ACCOUNTS)])
            sessions.append((ACCOUNTS[i % len(ACCOUNTS)], session))
        first = common.EntryPage.parse(
            sessions[0][1].get(installation.base_url + common.ENTRY).text
        )
        key = first.rows[0]
        common.log(f"{args.db}: {args.clients} clients race on {key}, {args.rounds} rounds")
        lock = threading.Lock()
        for round_no in range(1, args.rounds + 1):
            barrier = threading.Barrier(args.clients, timeout=60)
            outcomes: list[str] = []

            def client(
                index: int,
                who: str,
                session: requests.Session,
                barrier=barrier,
                outcomes=outcomes,
                round_no=round_no,
            ) -> None:
                started = time.perf_counter()
                response = session.get(installation.base_url + common.ENTRY, timeout=60)
                elapsed = (time.perf_counter() - started) * 1000
                page = common.EntryPage.parse(response.text)
                ok = response.status_code == 200 and key in page.rows
                with lock:
                    timings["entry"].append(elapsed)
                    failures["entry"] += 0 if ok else 1
                barrier.wait()
                if not ok:
                    return
                # Distinct across clients and rounds (never "no change"), and under 100.
                nilai = f"{index}.{round_no:02d}"
                data, versi = page.save_data(key, nilai)
                started = time.perf_counter()
                response = session.post(
                    installation.base_url + common.ENTRY,
                    data=data,
                    allow_redirects=False,
                    timeout=60,
                )
                elapsed = (time.perf_counter() - started) * 1000
                outcome = common.classify_save(response)
                with lock:
                    timings["save"].append(elapsed)
                    failures["save"] += outcome == "failed"
                    outcomes.append(outcome)
                    if outcome == "saved":
                        acks.append(common.Ack(key=key, versi=versi + 1, nilai=nilai, who=who))

            threads = [
                threading.Thread(target=client, args=(i, who, session))
                for i, (who, session) in enumerate(sessions)
            ]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join(120)
            saved = outcomes.count("saved")
            if saved != 1 or outcomes.count("conflict") != args.clients - 1:
                bad_rounds.append(
                    f"round {round_no}: {saved} saved, {outcomes.count('conflict')} conflicts, "
                    f"{outcomes.count('failed')} failed"
                )
        common.print_table(
            f"race: {args.db}, {args.clients} clients on one row, {args.rounds} rounds",
            timings,
            failures,
        )
        print(
            f"  rounds with exactly one save acknowledged and {args.clients - 1} conflicts: "
            f"{args.rounds - len(bad_rounds)}/{args.rounds}"
        )
        for line in bad_rounds:
            print(f"    {line}")
        installation.stop()
        result = installation.check(acks)
        result.print()
        ok = result.ok and not bad_rounds and not any(failures.values())
        return 0 if ok else 1
    finally:
        installation.remove()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", choices=["sqlite", "postgresql"], required=True)
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--rounds", type=int, default=15)
    parser.add_argument("--port", type=int, default=8012)
    args = parser.parse_args()
    if not (2 <= args.clients <= 50 and 1 <= args.rounds <= 99):
        parser.error("2-50 clients, 1-99 rounds")
    return run(args)


if __name__ == "__main__":
    sys.exit(main())
