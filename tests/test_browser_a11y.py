"""axe-core in Chromium: no serious or critical accessibility violation on the main pages.

The dashboard of each role, the plan, the entry page, the report (the kepala's review page of
a submitted quarter), and the spreadsheet form page, at a laptop's 1366×768 and a phone's
390×844. axe-core is the copy bundled by axe-playwright-python (axe.min.js, MPL-2.0), injected
into the page; nothing is downloaded. One browser, one login per role, one page reused for every
URL and size, so the whole check stays short.
"""

import pytest

from renaksi.services import triwulan_ajukan
from tests.helpers import login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SIZES = {"desktop": (1366, 768), "phone": (390, 844)}
BLOCKING = ("serious", "critical")

DASBOR = "/dasbor/2023/1/"
PLAN = "/rencana-aksi/2023/"
ENTRY_OPEN = "/rencana-aksi/2023/tw/2/"  # editable: fields, evidence inputs, Save bar
ENTRY_LOCKED = "/rencana-aksi/2023/tw/1/"  # submitted: read only
REVIEW = "/rencana-aksi/2023/tw/1/laporan/"  # approve and return forms for the kepala
REPORT = "/rencana-aksi/2023/tw/2/laporan/"
FORMULIR = "/rencana-aksi/2023/tw/2/formulir/"

# Each page once, seen by the role that acts on it (the pemeriksa's dashboard is the kepala's
# without the buttons; a locked entry page is the open one without the fields).
PAGES = {
    "kepala": (DASBOR, PLAN, REVIEW),
    "admin": (DASBOR, ENTRY_OPEN, FORMULIR, REPORT),
    "staf_sekretariat": (DASBOR, ENTRY_LOCKED),
}


def blocking_violations(page) -> list[str]:
    """The serious and critical violations axe-core finds on the page, one line each."""
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page)
    lines = []
    for violation in results.response["violations"]:
        if violation["impact"] not in BLOCKING:
            continue
        targets = [", ".join(node["target"]) for node in violation["nodes"][:3]]
        lines.append(
            f"{violation['id']} ({violation['impact']}, {len(violation['nodes'])}×): "
            f"{violation['help']} — {'; '.join(targets)}"
        )
    return lines


def test_it_has_no_serious_accessibility_violation(
    live_server, new_browser_context, users, rencana
):
    triwulan_ajukan(user=users["admin"], rencana=rencana, triwulan=1)
    found = []
    for role, paths in PAGES.items():
        page = new_browser_context().new_page()
        login(page, live_server.url, users[role].username)
        for size, (width, height) in SIZES.items():
            page.set_viewport_size({"width": width, "height": height})
            for path in paths:
                page.goto(live_server.url + path)
                found += [f"{role} {size} {path}: {line}" for line in blocking_violations(page)]
        page.context.close()
    assert not found, "\n".join(found)
