"""No input answers with a server error, and no role changes what it may not.

Every URL pattern of renaksi/urls.py and kesbangpol/urls.py (the admin only through a few
changelist and change pages) gets hostile or malformed input from every role: years and
quarters out of range, other agencies' objects, garbage query strings, wrong types, 100k-char
strings, NUL bytes, non-ASCII digits, odd decimals, tampered formset management forms and
hidden versions, forged preview payloads, and empty, random, zip-bomb or misnamed uploads.

Each request must answer below 500 and must never redirect off the site. It must leave the
stored data exactly as it was (realisations and their history, evidence rows and files, review
status and its history, the plan, the agency and the accounts) unless the case names the role
in ``changes_for``: the input is in fact acceptable and that role may act on it, and then the
change must show. Where a case gives ``expect``, the role must also get that status (404 for
another agency's objects, 403 for a role that may only read, ...), and ``says`` names the
Indonesian message a refused input must be answered with.

The cases are the table ``CASES``; a failing test is named ``<method> <path> <input>-<role>``.
A known defect stays in the table: its case marks the roles it hits (``defects``) with a strict
xfail, so the test starts failing the day it is fixed and the mark must go.

Speed: the data (two agencies, their plans, realisations, evidence, a submitted quarter) is
built once for the module inside a transaction that is rolled back at the end; every test runs
in its own savepoint inside it (pytest-django's ``db``), as Django's ``setUpTestData`` does.
"""

import functools
import io
import struct
import traceback
import zipfile
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from urllib.parse import urlsplit

import openpyxl
import pytest
from django.conf import settings
from django.contrib.auth.models import User
from django.core import signing
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection, transaction
from django.test import Client, override_settings
from django.urls import Resolver404, get_resolver, resolve

from renaksi import services
from renaksi.formulir import inputs_sign
from renaksi.models import (
    Bidang,
    Bukti,
    DokumenTertanda,
    IndikatorSasaran,
    Instansi,
    Kegiatan,
    Profile,
    Program,
    Realisasi,
    RealisasiRiwayat,
    RencanaAksi,
    RiwayatStatusTriwulan,
    Sasaran,
    StatusTriwulan,
    SubKegiatan,
)
from renaksi.services import RealisasiInput, ensure_admin_instansi_group
from tests.factories import PASSWORD, make_instansi, make_outsider, make_plan, make_users

pytestmark = pytest.mark.django_db

ROLES = (
    "anonim",
    "admin",
    "kepala",
    "pemeriksa",
    "staf_sekretariat",
    "staf_politik",
    "instansi_lain",  # the agency admin of another agency (staff in /admin/, its own 2031 plan)
)
EDITORS = frozenset({"admin", "staf_sekretariat"})  # who may fill the "keuangan" row
UPLOADERS = (*EDITORS, "staf_politik")  # who may use the spreadsheet form
TAHUN = 2023
TAHUN_LAIN = 2031  # the other agency's plan

BIG = "x" * 100_000
NUL = "\x00"
HUGE_INT = "99999999999999999999999"  # beyond any database integer
LOGIN = "login"  # expected: a redirect to a login page (the site's or the admin's)

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 512  # a legacy .xls header


# --------------------------------------------------------------------------------------------
# The data every test starts from
# --------------------------------------------------------------------------------------------


@dataclass
class World:
    users: dict[str, User]
    rencana: RencanaAksi
    rencana_lain: RencanaAksi
    keys: dict[str, str]  # row keys of the realisation page, by name
    versi: dict[str, str]  # the version of each row's TW 1 realisation, as the page shows it
    refs: dict[str, object]  # what the paths of CASES are formatted with
    media: Path
    sessions: dict[str, str] = field(default_factory=dict)  # a logged-in session key per role

    def user(self, role: str) -> User | None:
        return self.users.get(role)


def pdf_upload(name: str = "bukti.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF, "application/pdf")


def agency_admin(user: User) -> User:
    """Staff in the "Admin instansi" group, as load_demo makes an agency admin."""
    user.is_staff = True
    user.save(update_fields=["is_staff"])
    user.groups.add(ensure_admin_instansi_group())
    return user


def build_world(media: Path) -> World:
    instansi = make_instansi()
    users = make_users(instansi)
    agency_admin(users["admin"])
    rencana = make_plan(instansi, tahun=TAHUN)
    subs = {s.uraian: s for s in SubKegiatan.objects.filter(kegiatan__program__rencana=rencana)}
    keuangan = subs["Penyusunan Laporan Keuangan Uji"]  # Sekretariat
    politik = subs["Pemantauan Situasi Politik Uji"]  # Bidang Politik
    sasaran = IndikatorSasaran.objects.filter(sasaran__rencana=rencana).order_by("pk").first()

    lain = make_outsider(tahun=TAHUN_LAIN)
    rencana_lain = lain.rencana
    users["instansi_lain"] = agency_admin(lain.admin)
    sub_lain = SubKegiatan.objects.filter(kegiatan__program__rencana=rencana_lain).first()

    def report(user, plan, triwulan, indikator, nilai=None, files=()):
        if nilai is not None:
            inputs = [RealisasiInput(indikator.row_key, Decimal(nilai), ket="awal")]
            services.realisasi_save_many(user=user, rencana=plan, triwulan=triwulan, inputs=inputs)
        stored = services.bukti_add(
            user=user,
            rencana=plan,
            triwulan=triwulan,
            uploads={indikator.row_key: [pdf_upload(name) for name in files]},
        )
        return [bukti.pk for bukti in stored]

    staf, staf_politik = users["staf_sekretariat"], users["staf_politik"]
    (bukti,) = report(staf, rencana, 1, keuangan, nilai=20, files=["keuangan-tw1.pdf"])
    (bukti_politik,) = report(staf_politik, rencana, 1, politik, files=["politik-tw1.pdf"])
    (bukti_terkunci,) = report(staf, rencana, 2, keuangan, nilai=10, files=["keuangan-tw2.pdf"])
    (bukti_lain,) = report(users["instansi_lain"], rencana_lain, 1, sub_lain, files=["lain.pdf"])
    # TW 2 goes to the kepala: a locked quarter, and one the kepala can approve or return.
    services.triwulan_ajukan(user=users["admin"], rencana=rencana, triwulan=2)
    # TW 4 is approved: its signed report has a verification code (TW 3 stays open).
    services.triwulan_ajukan(user=users["admin"], rencana=rencana, triwulan=4)
    services.triwulan_setujui(user=users["kepala"], rencana=rencana, triwulan=4)
    kode = DokumenTertanda.objects.get(rencana=rencana, triwulan=4).kode

    keys = {
        "keuangan": keuangan.row_key,
        "politik": politik.row_key,
        "sasaran": sasaran.row_key,
        "lain": sub_lain.row_key,
    }
    versi = {
        name: str(
            Realisasi.objects.filter(triwulan=1)
            .filter(**({"sub_kegiatan_id": pk} if kind == "sub" else {"indikator_sasaran_id": pk}))
            .values_list("versi", flat=True)
            .first()
            or 0
        )
        for name, key in keys.items()
        for kind, _sep, pk in [key.partition("-")]
    }
    refs = {
        "tahun": TAHUN,
        "tahun_lain": TAHUN_LAIN,
        "bukti": bukti,
        "bukti_politik": bukti_politik,
        "bukti_terkunci": bukti_terkunci,
        "bukti_lain": bukti_lain,
        "instansi": instansi.pk,
        "rencana": rencana.pk,
        "rencana_lain": rencana_lain.pk,
        "realisasi": Realisasi.objects.get(sub_kegiatan=keuangan, triwulan=1).pk,
        "user_admin": users["admin"].pk,
        "user_kepala": users["kepala"].pk,
        "user_staf_politik": users["staf_politik"].pk,
        "profile_admin": users["admin"].profile.pk,
        "bidang_sekretariat": keuangan.bidang_id,
        "bidang_politik": politik.bidang_id,
        "bidang_lain": sub_lain.bidang_id,
        "kegiatan": keuangan.kegiatan_id,
        "kegiatan_politik": politik.kegiatan_id,
        "kegiatan_lain": sub_lain.kegiatan_id,
        "huge": HUGE_INT,
        "kode": kode,
    }
    return World(users, rencana, rencana_lain, keys, versi, refs, media)


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker, tmp_path_factory):
    """Built once; rolled back after the module (each test rolls back to its own savepoint)."""
    media = tmp_path_factory.mktemp("media")
    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        try:
            with override_settings(
                MEDIA_ROOT=media,
                PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"],
            ):
                built = build_world(media)
                for role, user in built.users.items():
                    client = Client()
                    client.force_login(user)
                    built.sessions[role] = client.cookies[settings.SESSION_COOKIE_NAME].value
            yield built
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


@pytest.fixture(autouse=True)
def world_media(media, settings, world):
    """The evidence files of the world, instead of conftest's empty per-test folder."""
    settings.MEDIA_ROOT = world.media


# --------------------------------------------------------------------------------------------
# What must not change
# --------------------------------------------------------------------------------------------

WATCHED = (
    DokumenTertanda,
    Realisasi,
    RealisasiRiwayat,
    Bukti,
    StatusTriwulan,
    RiwayatStatusTriwulan,
    Instansi,
    Bidang,
    RencanaAksi,
    Sasaran,
    IndikatorSasaran,
    Program,
    Kegiatan,
    SubKegiatan,
    Profile,
)
# last_login moves with every login and says nothing about what a request may change.
USER_FIELDS = [f.attname for f in User._meta.concrete_fields if f.name != "last_login"]


def snapshot(media: Path) -> dict[str, list]:
    """Every watched row and every stored file (plain SQL: it runs twice per test)."""
    quote = connection.ops.quote_name
    state = {}
    with connection.cursor() as cursor:
        for model, columns in [*((m, "*") for m in WATCHED), (User, USER_FIELDS)]:
            names = columns if columns == "*" else ", ".join(map(quote, columns))
            table, pk = quote(model._meta.db_table), quote(model._meta.pk.column)
            cursor.execute(f"SELECT {names} FROM {table} ORDER BY {pk}")
            state[model.__name__] = cursor.fetchall()
    state["files"] = sorted(str(p.relative_to(media)) for p in media.rglob("*") if p.is_file())
    return state


def differences(before: dict, after: dict) -> list[str]:
    return [name for name in before if before[name] != after[name]]


# --------------------------------------------------------------------------------------------
# Inputs
# --------------------------------------------------------------------------------------------

OMIT = object()  # leave the field out of the POST


def upload(name: str, content: bytes | Callable[[], bytes]) -> Callable[[], SimpleUploadedFile]:
    """A fresh upload per request (an uploaded file is consumed by the request)."""

    def make() -> SimpleUploadedFile:
        data = content() if callable(content) else content
        return SimpleUploadedFile(name, data, "application/octet-stream")

    return make


@functools.cache
def zip_bomb() -> bytes:
    """40 MB of zeros packed into about 40 kB, inside what looks like an XLSX package."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/worksheets/sheet1.xml", b"\x00" * (40 << 20))
    return buffer.getvalue()


@functools.cache
def big_zip_bomb() -> bytes:
    """120 MB of zeros packed into about 120 kB: beyond what evidence may unpack to."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as member:
            for _ in range(120):
                member.write(bytes(1 << 20))
    return buffer.getvalue()


@functools.cache
def zip_bomb_lying() -> bytes:
    """The same bomb, its central directory claiming the big member unpacks to 100 bytes."""
    data = bytearray(zip_bomb())
    start = data.rfind(b"PK\x01\x02")  # the last central directory entry: the big member
    struct.pack_into("<I", data, start + 24, 100)  # uncompressed size
    return bytes(data)


@functools.cache
def random_bytes() -> bytes:
    return bytes((i * 7919 + 13) % 256 for i in range(4096))


@functools.cache
def plain_workbook() -> bytes:
    """A real XLSX that is not a Renaksi form."""
    workbook = openpyxl.Workbook()
    workbook.active["A1"] = "bukan formulir"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


@functools.cache
def too_big_for_formulir() -> bytes:
    return b"PK\x03\x04" + b"\x00" * (5 * 1024 * 1024)


DataBuilder = Callable[[World, User | None], dict]


def entry(row: str = "keuangan", *, versi=None, **fields) -> DataBuilder:
    """A POST of the realisation page for one row: ``fields`` by name, plus the row's version
    as the page showed it (``versi=OMIT`` leaves it out, any other value replaces it)."""

    def build(w: World, user) -> dict:
        key = w.keys[row]
        data = {} if versi is OMIT else {f"{key}-versi": w.versi[row] if versi is None else versi}
        data.update({f"{key}-{name}": value for name, value in fields.items()})
        return data

    return build


def raw(data: dict) -> DataBuilder:
    return lambda w, user: dict(data)


def signed(
    rows: list[tuple[str, str | None]], *, triwulan: int = 1, signer: str | None = None
) -> DataBuilder:
    """A preview payload with a real signature: for the requesting user, or for ``signer``."""

    def build(w: World, user) -> dict:
        who = w.users[signer] if signer else (user or User(pk=None))
        inputs = [
            RealisasiInput(w.keys[row], None if nilai is None else Decimal(nilai), versi=1)
            for row, nilai in rows
        ]
        return {"payload": inputs_sign(inputs, rencana=w.rencana, triwulan=triwulan, user=who)}

    return build


def agency_not_of(w: World, user) -> int:
    """The pk of an agency the user does not belong to."""
    own = getattr(getattr(user, "profile", None), "instansi_id", None)
    return w.rencana_lain.instansi_id if own == w.rencana.instansi_id else w.rencana.instansi_id


def management_form(total, initial="0", **extra) -> DataBuilder:
    """The agency's admin change page with its bidang inline's management form tampered."""

    def build(w: World, user) -> dict:
        data = {"nama": "Badan Kesbangpol Uji", "kota": "Ambon", "bidang-MIN_NUM_FORMS": "0"}
        # The efficiency bands (c556670) are on the agency's change form, as stored.
        data.update(efisiensi_batas_atas="5", efisiensi_batas_bawah="-5")
        data["bidang-MAX_NUM_FORMS"] = "1000"
        if total is not OMIT:
            data["bidang-TOTAL_FORMS"] = total
        if initial is not OMIT:
            data["bidang-INITIAL_FORMS"] = initial
        data.update({name: str(value).format(**w.refs) for name, value in extra.items()})
        return data

    return build


def materialize(data: dict) -> dict:
    """Upload factories become fresh files."""
    return {
        name: [v() if callable(v) else v for v in value]
        if isinstance(value, list)
        else (value() if callable(value) else value)
        for name, value in data.items()
    }


# --------------------------------------------------------------------------------------------
# The table of cases
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Case:
    name: str  # the URL pattern's name ("admin" for the admin's pages)
    method: str
    path: str  # formatted with World.refs
    label: str = ""
    data: DataBuilder | None = None
    content_type: str | None = None  # a raw body of this type instead of a form
    body: bytes = b""
    cookies: Mapping[str, str] = field(default_factory=dict)
    expect: Mapping[str, int | str] = field(default_factory=dict)  # status by role, "*": others
    changes_for: frozenset[str] = frozenset()  # roles whose request does change stored data
    says: Mapping[str, str] = field(default_factory=dict)  # text the answer shows, by role
    hides: Mapping[str, str] = field(default_factory=dict)  # text it must not show, by role
    defects: Mapping[str, pytest.MarkDecorator] = field(default_factory=dict)  # xfail by role
    roles: tuple[str, ...] = ROLES
    routes: bool = True  # False: a path that must match no pattern at all

    @property
    def id(self) -> str:
        path = self.path if len(self.path) <= 90 else self.path[:80] + "…"
        return f"{self.method.upper()} {path} {self.label}".strip()

    def expected(self, role: str):
        return self.expect.get(role, self.expect.get("*"))


def get(name, path, label="", **kwargs) -> Case:
    return Case(name, "get", path, label, **kwargs)


def post(name, path, label="", data=None, **kwargs) -> Case:
    return Case(name, "post", path, label, data=data, **kwargs)


def other(method, name, path, label="", **kwargs) -> Case:
    """PUT, PATCH, DELETE, HEAD or OPTIONS (a body, if any, as ``content_type`` + ``body``)."""
    return Case(name, method, path, label, **kwargs)


def to(roles, text: str) -> dict[str, str]:
    return dict.fromkeys(roles, text)


# Expected statuses by role ("*": any role not named). LOGIN: a redirect to a login page.
# Who gets what from a page of the agency's 2023 plan:
OWN = {"anonim": LOGIN, "instansi_lain": 404}
PLAN_PAGE = {**OWN, "*": 200}
NOT_FOUND = {"anonim": LOGIN, "*": 404}
# A quarter outside 1–4 matches no URL at all (the ``tw`` converter): 404 for everyone, even
# before the login.
NO_QUARTER = {"*": 404}
OTHER_AGENCY_PAGE = {"anonim": LOGIN, "instansi_lain": 200, "*": 404}
BAD_PAPER = {**OWN, "*": 400}
WRONG_METHOD = {"anonim": LOGIN, "*": 405}
PUBLIC = {"*": 200}
LOCKS = {"anonim": LOGIN, "admin": 200, "instansi_lain": 200, "*": 403}
LOCK_NOT_FOUND = {"anonim": LOGIN, "admin": 404, "instansi_lain": 404, "*": 403}
# Spreadsheet form pages: admin and staff only.
FORMULIR = {**OWN, "kepala": 403, "pemeriksa": 403}
# A POST of the realisation page touching the keuangan row (Sekretariat's).
ENTRY = {**OWN, "kepala": 403, "pemeriksa": 403, "staf_politik": 403}
# The admin: anonymous and non-staff roles go to the admin's login page.
ADMIN_PAGE = {
    "anonim": LOGIN,
    "kepala": LOGIN,
    "pemeriksa": LOGIN,
    "staf_sekretariat": LOGIN,
    "staf_politik": LOGIN,
}

ENTRY_URL = "/rencana-aksi/{tahun}/tw/1/"
FORMULIR_URL = "/rencana-aksi/{tahun}/tw/1/formulir/"
SAYS_NOT_A_NUMBER = to(EDITORS, "Realisasi harus berupa angka")


def bad_nilai(label: str, value: str, message: str = "Realisasi harus berupa angka") -> Case:
    return post(
        "realisasi_form",
        ENTRY_URL,
        f"nilai={label}",
        entry(nilai=value),
        expect={**ENTRY, "*": 200},
        says=to(EDITORS, message),
    )


def bad_keuangan(label: str, value: str, message: str = "harus berupa angka rupiah") -> Case:
    # The rupiah spent, beside a good value: refused with the message, nothing saved.
    return post(
        "realisasi_form",
        ENTRY_URL,
        f"keuangan={label}",
        entry(nilai="21", keuangan=value),
        expect={**ENTRY, "*": 200},
        says=to(EDITORS, message),
    )


def bad_versi(label: str, versi) -> Case:
    # A changed value with a bogus hidden version: refused or shown as a conflict, never saved.
    return post(
        "realisasi_form",
        ENTRY_URL,
        f"versi={label}",
        entry(nilai="21", versi=versi),
        expect={**ENTRY, "*": 200},
        says=to(EDITORS, "Belum tersimpan"),
    )


def evidence_upload(
    label: str, file, *, accepted: bool = False, status: int | None = None, says: str = ""
) -> Case:
    return post(
        "realisasi_form",
        ENTRY_URL,
        f"bukti={label}",
        entry(bukti=file),
        expect={**ENTRY, "*": status or (302 if accepted else 200)},
        changes_for=EDITORS if accepted else frozenset(),
        says=to(EDITORS, says) if says else {},
    )


def formulir_upload(label: str, file, says: str) -> Case:
    return post(
        "formulir_unggah",
        FORMULIR_URL,
        f"berkas={label}",
        raw({"berkas": file}),
        expect={**FORMULIR, "*": 200},
        says=to(UPLOADERS, says),
    )


def formulir_filled(row: str, column: str, value) -> DataBuilder:
    """The spreadsheet form as the requesting user downloads it (an agency's admin for anyone
    else), with ``value`` typed into ``column`` of ``row`` when the form has that row."""

    def build(w: World, user) -> dict:
        from renaksi import selectors
        from renaksi.formulir import render_formulir
        from renaksi.formulir.spec import HEADER_ROW
        from tests.helpers import COLUMNS

        profile = Profile.objects.filter(user=user).first() if user and user.pk else None
        if profile is None or profile.instansi_id != w.rencana.instansi_id:
            profile = Profile.objects.get(user=w.users["admin"])
        rencana = RencanaAksi.objects.select_related("instansi").get(pk=w.rencana.pk)
        rows = selectors.entry_rows(rencana=rencana, profile=profile, with_bukti=False)
        content = render_formulir(rencana=rencana, triwulan=1, profile=profile, rows=rows)
        workbook = openpyxl.load_workbook(io.BytesIO(content))
        sheet = workbook["Formulir"]
        for number in range(HEADER_ROW + 1, sheet.max_row + 1):
            if sheet.cell(number, 1).value == w.keys[row]:
                sheet.cell(number, COLUMNS[column]).value = value
        buffer = io.BytesIO()
        workbook.save(buffer)
        return {"berkas": SimpleUploadedFile("formulir.xlsx", buffer.getvalue())}

    return build


def payload(label: str, builder: DataBuilder, status: int = 400, **kwargs) -> Case:
    return post(
        "formulir_unggah",
        FORMULIR_URL,
        f"payload={label}",
        builder,
        expect={**FORMULIR, "*": status, **kwargs.pop("expect", {})},
        **kwargs,
    )


def kembalikan(label: str, data: dict, *, triwulan: int = 2, **kwargs) -> Case:
    expect = {**OWN, "*": 403, "kepala": 200, **kwargs.pop("expect", {})}
    return post(
        "triwulan_kembalikan",
        f"/rencana-aksi/{{tahun}}/tw/{triwulan}/status/kembalikan/",
        label,
        raw(data),
        expect=expect,
        **kwargs,
    )


GARBAGE_QUERY = "?sort=-x&page=-1&lang=zz&kertas=xx&next=//evil.example&per_page=1e999"
# A NUL anywhere in a query string is a 400 for everyone, before login or any view
# (renaksi.middleware.RejectNulInQueryMiddleware): PostgreSQL refuses NUL in text parameters.
NUL_QUERY = {"*": 400}

CASES: list[Case] = [
    # --- home ------------------------------------------------------------------------------
    get("home", "/", expect={"anonim": LOGIN, "*": 302}),
    get("home", "/" + GARBAGE_QUERY, "garbage query", expect={"anonim": LOGIN}),
    get("home", "/?next=%00", expect=NUL_QUERY),
    get("home", "/?%00=1", "NUL in a key", expect=NUL_QUERY),
    get(
        "home",
        "/",
        "language cookie garbage",
        cookies={settings.LANGUAGE_COOKIE_NAME: "zz-" + "x" * 3000},
        expect={"anonim": LOGIN},
    ),
    post("home", "/", "huge body", raw({"x": BIG, "y": NUL}), expect={"anonim": LOGIN}),
    # --- the plan ---------------------------------------------------------------------------
    # --- the dashboard ------------------------------------------------------------------------
    get("dasbor", "/dasbor/{tahun}/1/", expect=PLAN_PAGE),
    get("dasbor", "/dasbor/{tahun}/4/" + GARBAGE_QUERY, expect=PLAN_PAGE),
    get("dasbor", "/dasbor/{tahun}/1/?bidang=abc", "bidang not a number", expect=PLAN_PAGE),
    get("dasbor", "/dasbor/{tahun}/1/?bidang={huge}", "bidang huge", expect=PLAN_PAGE),
    get("dasbor", "/dasbor/{tahun}/1/?bidang-sort=%3Bdrop", "sort junk", expect=PLAN_PAGE),
    get("dasbor", "/dasbor/{tahun}/1/?owed-page=99999", "page past the end", expect=PLAN_PAGE),
    get("dasbor", "/dasbor/{tahun}/1/?owed-page=x", "page junk", expect=PLAN_PAGE),
    get("dasbor", "/dasbor/{tahun}/2/?_export=owed", "export owed", expect=PLAN_PAGE),
    get("dasbor", "/dasbor/{tahun}/2/?_export=bidang", "export bidang", expect=PLAN_PAGE),
    get("dasbor", "/dasbor/{tahun}/2/?_export=zzz", "export junk", expect=PLAN_PAGE),
    get("dasbor", "/dasbor/{tahun}/1/?bidang=%00", expect=NUL_QUERY),
    get("dasbor", "/dasbor/{tahun_lain}/1/", expect=OTHER_AGENCY_PAGE),
    get("dasbor", "/dasbor/{huge}/1/", expect=NOT_FOUND),
    get("dasbor", "/dasbor/{tahun}/5/", expect=NO_QUARTER, routes=False),
    post("dasbor", "/dasbor/{tahun}/1/", "junk body", raw({"x": BIG}), expect=PLAN_PAGE),
    get("rencana_aksi", "/rencana-aksi/{tahun}/", expect=PLAN_PAGE),
    get("rencana_aksi", "/rencana-aksi/{tahun}/" + GARBAGE_QUERY, expect=PLAN_PAGE),
    get("rencana_aksi", "/rencana-aksi/{tahun}/?sort=-x%00", expect=NUL_QUERY),
    get("rencana_aksi", "/rencana-aksi/0/", expect=NOT_FOUND),
    get("rencana_aksi", "/rencana-aksi/99999/", expect=NOT_FOUND),
    get("rencana_aksi", "/rencana-aksi/{huge}/", expect=NOT_FOUND),
    get("rencana_aksi", "/rencana-aksi/{tahun_lain}/", expect=OTHER_AGENCY_PAGE),
    get("rencana_aksi", "/rencana-aksi/٢٠٢٣/", "arabic digits", expect={"*": 404}, routes=False),
    get("rencana_aksi", "/rencana-aksi/-1/", expect={"*": 404}, routes=False),
    post(
        "rencana_aksi", "/rencana-aksi/{tahun}/", "junk body", raw({"tahun": BIG}), expect=PLAN_PAGE
    ),
    get("rencana_aksi_pdf", "/rencana-aksi/{tahun}/pdf/?kertas=xx", expect=BAD_PAPER),
    get("rencana_aksi_pdf", "/rencana-aksi/{tahun}/pdf/?kertas=A4%00", expect=NUL_QUERY),
    get("rencana_aksi_pdf", "/rencana-aksi/{tahun}/pdf/?kertas=" + "a" * 1000, expect=BAD_PAPER),
    get("rencana_aksi_pdf", "/rencana-aksi/0/pdf/?kertas=a4", expect=NOT_FOUND),
    get(
        "rencana_aksi_pdf",
        "/rencana-aksi/{tahun_lain}/pdf/?kertas=letter",
        expect={"anonim": LOGIN, "instansi_lain": 400, "*": 404},
    ),
    # The progress of a background rendering (JSON); it never renders or queues anything.
    get("rencana_aksi_pdf", "/rencana-aksi/{tahun}/pdf/?progres=1", expect=PLAN_PAGE),
    get(
        "rencana_aksi_pdf",
        "/rencana-aksi/{tahun}/pdf/?kertas=f4&progres=" + "x" * 3000,
        "progres junk",
        expect=PLAN_PAGE,
    ),
    get("rencana_aksi_pdf", "/rencana-aksi/{tahun}/pdf/?progres=%00", expect=NUL_QUERY),
    get(
        "rencana_aksi_pdf",
        "/rencana-aksi/{tahun}/pdf/?kertas=xx&progres=1",
        "progres bad paper",
        expect=BAD_PAPER,
    ),
    get(
        "rencana_aksi_pdf",
        "/rencana-aksi/{tahun_lain}/pdf/?progres=1",
        "progres other agency",
        expect=OTHER_AGENCY_PAGE,
    ),
    get(
        "laporan_capaian_pdf",
        "/rencana-aksi/{tahun}/tw/1/laporan/pdf/?progres=1",
        expect=PLAN_PAGE,
    ),
    get(
        "laporan_capaian_pdf",
        "/rencana-aksi/{tahun}/tw/5/laporan/pdf/?progres=1",
        "progres no quarter",
        expect=NO_QUARTER,
        routes=False,
    ),
    get("rencana_aksi_xlsx", "/rencana-aksi/{tahun}/xlsx/", expect=PLAN_PAGE),
    get("rencana_aksi_xlsx", "/rencana-aksi/{tahun}/xlsx/?kertas=%00", expect=NUL_QUERY),
    get("rencana_aksi_xlsx", "/rencana-aksi/{huge}/xlsx/", expect=NOT_FOUND),
    # --- the quarterly report ---------------------------------------------------------------
    get("laporan_capaian", "/rencana-aksi/{tahun}/tw/1/laporan/" + GARBAGE_QUERY, expect=PLAN_PAGE),
    get("laporan_capaian", "/rencana-aksi/{tahun}/tw/0/laporan/", expect=NO_QUARTER, routes=False),
    get("laporan_capaian", "/rencana-aksi/{tahun}/tw/5/laporan/", expect=NO_QUARTER, routes=False),
    get(
        "laporan_capaian",
        "/rencana-aksi/{tahun}/tw/{huge}/laporan/",
        expect=NO_QUARTER,
        routes=False,
    ),
    get("laporan_capaian", "/rencana-aksi/0/tw/1/laporan/", expect=NOT_FOUND),
    get("laporan_capaian", "/rencana-aksi/{tahun_lain}/tw/1/laporan/", expect=OTHER_AGENCY_PAGE),
    get(
        "laporan_capaian_pdf", "/rencana-aksi/{tahun}/tw/1/laporan/pdf/?kertas=xx", expect=BAD_PAPER
    ),
    get(
        "laporan_capaian_pdf",
        "/rencana-aksi/{tahun}/tw/5/laporan/pdf/",
        expect=NO_QUARTER,
        routes=False,
    ),
    get("laporan_capaian_xlsx", "/rencana-aksi/{tahun}/tw/2/laporan/xlsx/", expect=PLAN_PAGE),
    get(
        "laporan_capaian_xlsx",
        "/rencana-aksi/{tahun}/tw/0/laporan/xlsx/",
        expect=NO_QUARTER,
        routes=False,
    ),
    # --- the Renja evaluation (Permendagri 86/2017) ------------------------------------------
    get("evaluasi_renja", "/rencana-aksi/{tahun}/tw/2/evaluasi-renja/", expect=PLAN_PAGE),
    get(
        "evaluasi_renja",
        "/rencana-aksi/{tahun}/tw/1/evaluasi-renja/" + GARBAGE_QUERY,
        expect=PLAN_PAGE,
    ),
    get(
        "evaluasi_renja",
        "/rencana-aksi/{tahun}/tw/0/evaluasi-renja/",
        expect=NO_QUARTER,
        routes=False,
    ),
    get(
        "evaluasi_renja",
        "/rencana-aksi/{tahun}/tw/{huge}/evaluasi-renja/",
        expect=NO_QUARTER,
        routes=False,
    ),
    get("evaluasi_renja", "/rencana-aksi/0/tw/1/evaluasi-renja/", expect=NOT_FOUND),
    get("evaluasi_renja", "/rencana-aksi/{huge}/tw/1/evaluasi-renja/", expect=NOT_FOUND),
    get(
        "evaluasi_renja",
        "/rencana-aksi/{tahun_lain}/tw/1/evaluasi-renja/",
        expect=OTHER_AGENCY_PAGE,
    ),
    get(
        "evaluasi_renja",
        "/rencana-aksi/{tahun}/tw/1/evaluasi-renja/?kertas=%00",
        expect=NUL_QUERY,
    ),
    get(
        "evaluasi_renja_pdf",
        "/rencana-aksi/{tahun}/tw/1/evaluasi-renja/pdf/?kertas=xx",
        expect=BAD_PAPER,
    ),
    get(
        "evaluasi_renja_pdf",
        "/rencana-aksi/{tahun}/tw/1/evaluasi-renja/pdf/?kertas=" + "a" * 1000,
        expect=BAD_PAPER,
    ),
    get(
        "evaluasi_renja_pdf",
        "/rencana-aksi/{tahun}/tw/5/evaluasi-renja/pdf/",
        expect=NO_QUARTER,
        routes=False,
    ),
    get(
        "evaluasi_renja_pdf",
        "/rencana-aksi/{tahun_lain}/tw/1/evaluasi-renja/pdf/?kertas=letter",
        expect={"anonim": LOGIN, "instansi_lain": 400, "*": 404},
    ),
    get("evaluasi_renja_xlsx", "/rencana-aksi/{tahun}/tw/4/evaluasi-renja/xlsx/", expect=PLAN_PAGE),
    get(
        "evaluasi_renja_xlsx",
        "/rencana-aksi/{tahun}/tw/0/evaluasi-renja/xlsx/",
        expect=NO_QUARTER,
        routes=False,
    ),
    get("evaluasi_renja_xlsx", "/rencana-aksi/0/tw/1/evaluasi-renja/xlsx/", expect=NOT_FOUND),
    # --- the spreadsheet form: download -----------------------------------------------------
    get(
        "formulir_unduh", "/rencana-aksi/{tahun}/tw/1/formulir.xlsx", expect={**FORMULIR, "*": 200}
    ),
    get(
        "formulir_unduh",
        "/rencana-aksi/{tahun}/tw/5/formulir.xlsx",
        expect=NO_QUARTER,
        routes=False,
    ),
    get("formulir_unduh", "/rencana-aksi/0/tw/1/formulir.xlsx", expect=NOT_FOUND),
    post(
        "formulir_unduh",
        "/rencana-aksi/{tahun}/tw/1/formulir.xlsx",
        "junk body",
        raw({"triwulan": "5", "tahun": NUL}),
        expect={**FORMULIR, "*": 200},
    ),
    # --- the spreadsheet form: upload and confirm --------------------------------------------
    get("formulir_unggah", FORMULIR_URL + GARBAGE_QUERY, expect={**FORMULIR, "*": 200}),
    get("formulir_unggah", "/rencana-aksi/{tahun}/tw/0/formulir/", expect=NO_QUARTER, routes=False),
    post("formulir_unggah", FORMULIR_URL, "no file", raw({}), expect={**FORMULIR, "*": 200}),
    formulir_upload("text instead of a file", "abc", "tidak boleh kosong"),
    formulir_upload("empty", upload("formulir.xlsx", b""), "kosong"),
    formulir_upload("random bytes", upload("formulir.xlsx", random_bytes), "bukan XLSX"),
    formulir_upload("zip bomb", upload("formulir.xlsx", zip_bomb), "terlalu besar"),
    formulir_upload("zip bomb lying sizes", upload("formulir.xlsx", zip_bomb_lying), "rusak"),
    formulir_upload("pdf named .xlsx", upload("formulir.xlsx", PDF), "bukan XLSX"),
    formulir_upload(
        "workbook named .pdf", upload("formulir.pdf", plain_workbook), "bukan formulir"
    ),
    formulir_upload("legacy xls", upload("formulir.xls", OLE2), "Excel lama"),
    *(
        post(
            "formulir_unggah",
            FORMULIR_URL,
            f"keuangan cell={label}",
            formulir_filled("keuangan", "keuangan", value),
            expect={**FORMULIR, "*": 200},
            says=to(EDITORS, says),
        )
        for label, value, says in (
            ("-5000", -5000, "tidak boleh negatif"),
            ("12.5", 12.5, "tanpa sen"),
            ("1.250.000,50 as text", "1.250.000,50", "tanpa sen"),
            ("a formula", "=1+1", "berisi rumus"),
            ("41 characters", "x" * 41, "angka rupiah"),
            ("1e300", 1e300, "terlalu besar"),
        )
    ),
    post(
        "formulir_unggah",
        FORMULIR_URL,
        "keuangan cell on a sasaran row",
        formulir_filled("sasaran", "keuangan", 5000),
        expect={**FORMULIR, "*": 200},
        says=to(("admin",), "sub kegiatannya"),
    ),
    formulir_upload("over 5 MB", upload("formulir.xlsx", too_big_for_formulir), "terlalu besar"),
    formulir_upload("NUL file name", upload("for\x00mulir.xlsx", random_bytes), "bukan XLSX"),
    post(
        "formulir_unggah",
        "/rencana-aksi/{tahun}/tw/2/formulir/",
        "berkas=random bytes on a locked quarter",
        raw({"berkas": upload("formulir.xlsx", random_bytes)}),
        expect={**FORMULIR, "*": 409},
    ),
    post(
        "formulir_unggah",
        "/rencana-aksi/{tahun}/tw/5/formulir/",
        "berkas=random bytes",
        raw({"berkas": upload("formulir.xlsx", random_bytes)}),
        expect=NO_QUARTER,
        routes=False,
    ),
    payload("empty", raw({"payload": ""})),
    payload("abc", raw({"payload": "abc"})),
    payload("100k chars", raw({"payload": BIG})),
    payload("NUL", raw({"payload": NUL})),
    payload("three colons", raw({"payload": "a:b:c"})),
    payload(
        "signed with another salt",
        lambda w, user: {"payload": signing.dumps({"rencana": w.rencana.pk, "rows": []})},
    ),
    payload("signed for another user", signed([("keuangan", "5")], signer="kepala")),
    payload("signed for another quarter", signed([("keuangan", "5")], triwulan=2)),
    payload(
        "signed, NaN",
        signed([("keuangan", "NaN")]),
        expect={"staf_politik": 403},
        says=to(EDITORS, "Realisasi harus berupa angka"),
    ),
    payload(
        "signed, 1e999",
        signed([("keuangan", "1E+999")]),
        expect={"staf_politik": 403},
        says=to(EDITORS, "tidak boleh lebih dari 100"),
    ),
    payload("signed, negative", signed([("keuangan", "-1")]), expect={"staf_politik": 403}),
    payload(
        "signed, a row of another agency",
        lambda w, user: {
            "payload": inputs_sign(
                [RealisasiInput(w.keys["lain"], Decimal(5))],
                rencana=w.rencana,
                triwulan=1,
                user=user or User(pk=None),
            )
        },
        status=403,
    ),
    payload(
        "signed for this user, the keuangan row",
        signed([("keuangan", "5")]),
        status=302,
        expect={"staf_politik": 403},
        changes_for=EDITORS,
    ),
    # --- the realisation page ---------------------------------------------------------------
    get(
        "realisasi_form",
        ENTRY_URL + GARBAGE_QUERY,
        expect=PLAN_PAGE,
        hides={"staf_politik": "keuangan-tw1.pdf", "staf_sekretariat": "politik-tw1.pdf"},
    ),
    post(
        "realisasi_form",
        "/rencana-aksi/{tahun}/tw/3/",
        "versi=5 on a row never reported, with a file",
        entry(nilai="5", versi="5", bukti=upload("bukti.pdf", PDF)),
        expect={**ENTRY, "*": 200},
        says=to(EDITORS, "Belum tersimpan"),
    ),
    # The filter bar and the pager: junk, out of range and other agencies' or bidang's choices
    # show a page that says which filter it did not use, never an error.
    get(
        "realisasi_form",
        ENTRY_URL + "?bidang=abc&kegiatan=-1&halaman=x",
        "filter junk",
        expect=PLAN_PAGE,
        says=to(("admin", "kepala", "pemeriksa", "staf_sekretariat"), "tidak dipakai"),
        hides={"staf_politik": "Penyusunan Laporan Keuangan Uji"},
    ),
    get(
        "realisasi_form",
        ENTRY_URL + "?bidang={huge}&kegiatan={huge}&halaman={huge}",
        "filter huge",
        expect=PLAN_PAGE,
        says=to(("admin", "kepala", "pemeriksa", "staf_sekretariat"), "tidak dipakai"),
    ),
    get(
        "realisasi_form",
        ENTRY_URL + "?bidang={bidang_lain}&kegiatan={kegiatan_lain}",
        "another agency's bidang and kegiatan",
        expect=PLAN_PAGE,
        says=to(
            ("admin", "kepala", "pemeriksa", "staf_sekretariat", "staf_politik"), "tidak dipakai"
        ),
    ),
    get(
        "realisasi_form",
        ENTRY_URL + "?bidang={bidang_politik}",
        "another bidang",
        expect=PLAN_PAGE,
        # Staff of Sekretariat are told and keep their own rows; the admin sees Politik's only.
        says={"staf_sekretariat": "Saringan Bidang tidak dipakai", "admin": "Pemantauan Situasi"},
        hides={
            "admin": "Penyusunan Laporan Keuangan Uji",
            "staf_sekretariat": "Pemantauan Situasi",
        },
    ),
    get(
        "realisasi_form",
        ENTRY_URL + "?kegiatan={kegiatan_politik}",
        "a kegiatan of another bidang",
        expect=PLAN_PAGE,
        says={"staf_sekretariat": "Saringan Kegiatan tidak dipakai"},
        hides={
            "staf_sekretariat": "Pemantauan Situasi",
            "admin": "Penyusunan Laporan Keuangan Uji",
        },
    ),
    get(
        "realisasi_form",
        ENTRY_URL + "?halaman=99999",
        "page past the end",
        expect=PLAN_PAGE,
        says=to(("admin", "kepala", "staf_politik"), "Halaman yang diminta tidak ada"),
    ),
    get("realisasi_form", ENTRY_URL + "?halaman=0&halaman=2", "page twice", expect=PLAN_PAGE),
    get("realisasi_form", ENTRY_URL + "?halaman=%D9%A2", "page arabic digit", expect=PLAN_PAGE),
    get("realisasi_form", ENTRY_URL + "?halaman=1e3&bidang=1.0", "page 1e3", expect=PLAN_PAGE),
    get("realisasi_form", ENTRY_URL + "?bidang=&kegiatan=&halaman=", "empty", expect=PLAN_PAGE),
    get("realisasi_form", ENTRY_URL + "?kegiatan=" + "9" * 10_000, "10k digits", expect=PLAN_PAGE),
    get("realisasi_form", ENTRY_URL + "?halaman=%00", expect=NUL_QUERY),
    post(
        "realisasi_form",
        ENTRY_URL + "?bidang={bidang_lain}&kegiatan=x&halaman=//evil.example",
        "a save under a junk filter",
        entry(nilai="21"),
        expect={**ENTRY, "*": 302},
        changes_for=EDITORS,
    ),
    post(
        "realisasi_form",
        ENTRY_URL + "?kegiatan={kegiatan_politik}&halaman={huge}",
        "a refused save under a filter keeps what was typed",
        entry(nilai="abc"),
        expect={**ENTRY, "*": 200},
        says=SAYS_NOT_A_NUMBER,
    ),
    get("realisasi_form", "/rencana-aksi/{tahun}/tw/0/", expect=NO_QUARTER, routes=False),
    get("realisasi_form", "/rencana-aksi/{tahun}/tw/5/", expect=NO_QUARTER, routes=False),
    get("realisasi_form", "/rencana-aksi/0/tw/1/", expect=NOT_FOUND),
    get("realisasi_form", "/rencana-aksi/99999/tw/1/", expect=NOT_FOUND),
    get("realisasi_form", "/rencana-aksi/{tahun_lain}/tw/1/", expect=OTHER_AGENCY_PAGE),
    post(
        "realisasi_form",
        ENTRY_URL,
        "empty body",
        raw({}),
        expect={**OWN, "kepala": 403, "pemeriksa": 403, "*": 302},
    ),
    bad_nilai("100k chars", BIG),
    bad_nilai("NUL", NUL),
    bad_nilai("1e999", "1e999"),
    bad_nilai("NaN", "NaN"),
    bad_nilai("Infinity", "Infinity"),
    bad_nilai("26,5,5", "26,5,5"),
    bad_nilai("0x1A", "0x1A"),
    bad_nilai("1_000", "1_000"),
    bad_nilai("-1", "-1", "tidak boleh negatif"),
    bad_nilai("26,555", "26,555", "dua angka di belakang koma"),
    bad_nilai("39 digits", "9" * 39, "tidak boleh lebih dari 100"),
    # Digits are ASCII only, on the page as in the spreadsheet (renaksi.numbers).
    bad_nilai("arabic digits", "٢٦"),
    bad_nilai("full-width digits", "２６"),
    post(
        "realisasi_form",
        ENTRY_URL,
        "nilai=-0 (read as 0)",
        entry(nilai="-0"),
        expect={**ENTRY, "*": 302},
        changes_for=EDITORS,
    ),
    post(
        "realisasi_form",
        ENTRY_URL,
        "nilai twice, the last NUL",
        lambda w, user: {**entry()(w, user), f"{w.keys['keuangan']}-nilai": ["5", NUL]},
        expect={**ENTRY, "*": 200},
        says=SAYS_NOT_A_NUMBER,
    ),
    post(
        "realisasi_form",
        ENTRY_URL,
        "ket=100k chars",
        entry(ket=BIG),
        expect={**ENTRY, "*": 200},
        says=to(EDITORS, "4000"),
    ),
    post("realisasi_form", ENTRY_URL, "ket=NUL", entry(ket="a\x00b"), expect={**ENTRY, "*": 200}),
    post(
        "realisasi_form",
        ENTRY_URL,
        "initial-nilai=garbage only",
        lambda w, user: {f"initial-{w.keys['keuangan']}-nilai": BIG},
        expect={**ENTRY, "*": 200},
    ),
    bad_keuangan("100k chars", BIG),
    bad_keuangan("NUL", NUL),
    bad_keuangan("1e999", "1e999"),
    bad_keuangan("NaN", "NaN"),
    bad_keuangan("-5.000", "-5.000", "tidak boleh negatif"),
    bad_keuangan("1.250.000,50", "1.250.000,50", "tanpa sen"),
    bad_keuangan("12,5", "12,5", "tanpa sen"),
    bad_keuangan("1.250,000", "1.250,000"),
    bad_keuangan("16 digits", "9" * 16, "terlalu besar"),
    bad_keuangan("arabic digits", "٢٦"),
    bad_keuangan("full-width digits", "２６"),
    post(
        "realisasi_form",
        ENTRY_URL,
        "keuangan=Rp 1.250.000 (accepted)",
        entry(keuangan="Rp 1.250.000"),
        expect={**ENTRY, "*": 302},
        changes_for=EDITORS,
    ),
    post(
        "realisasi_form",
        ENTRY_URL,
        "keuangan on a sasaran row (no such field: ignored)",
        entry("sasaran", keuangan="5000"),
        expect={**OWN, "admin": 302, "*": 403},
    ),
    post(
        "realisasi_form",
        ENTRY_URL,
        "faktor_pendorong=100k chars",
        entry(faktor_pendorong=BIG),
        expect={**ENTRY, "*": 200},
        says=to(EDITORS, "4000"),
    ),
    bad_versi("-1", "-1"),
    bad_versi("abc", "abc"),
    bad_versi("1e999", "1e999"),
    bad_versi("empty", ""),
    bad_versi("missing", OMIT),
    bad_versi("huge", HUGE_INT),
    bad_versi("٢ (arabic two)", "٢"),
    bad_versi("NUL", NUL),
    post(
        "realisasi_form",
        ENTRY_URL,
        "row of Bidang Politik",
        entry("politik", nilai="5"),
        expect={**OWN, "kepala": 403, "pemeriksa": 403, "staf_sekretariat": 403, "*": 302},
        changes_for=frozenset({"admin", "staf_politik"}),
    ),
    post(
        "realisasi_form",
        ENTRY_URL,
        "sasaran row",
        entry("sasaran", nilai="5"),
        expect={**OWN, "admin": 302, "*": 403},
        changes_for=frozenset({"admin"}),
    ),
    post(
        "realisasi_form",
        ENTRY_URL,
        "row of another agency",
        entry("lain", nilai="5"),
        expect={**OWN, "*": 403},
    ),
    post(
        "realisasi_form",
        ENTRY_URL,
        "row key beyond any integer",
        raw({f"sub-{HUGE_INT}-nilai": "5", f"sub-{HUGE_INT}-versi": "0"}),
        expect={**OWN, "*": 403},
    ),
    post(
        "realisasi_form",
        ENTRY_URL,
        "row key in arabic digits",
        raw({"sub-٢٦-nilai": "5", "sub-٢٦-versi": "0"}),
        expect={**OWN, "*": 403},
    ),
    post(
        "realisasi_form",
        ENTRY_URL,
        "formset management form tampered",
        lambda w, user: {
            "form-TOTAL_FORMS": "100000",
            "form-INITIAL_FORMS": "-1",
            "form-MAX_NUM_FORMS": "abc",
        },
        expect={**OWN, "kepala": 403, "pemeriksa": 403, "*": 302},
    ),
    post(
        "realisasi_form",
        "/rencana-aksi/{tahun}/tw/2/",
        "nilai=5 on a locked quarter",
        entry(nilai="5"),
        expect={**OWN, "*": 403, "admin": 200, "staf_sekretariat": 200, "staf_politik": 200},
        says=to(EDITORS, "Belum tersimpan"),
    ),
    post(
        "realisasi_form",
        "/rencana-aksi/{tahun}/tw/5/",
        "nilai=5",
        entry(nilai="5"),
        expect=NO_QUARTER,
        routes=False,
    ),
    evidence_upload("empty", upload("kosong.pdf", b""), says="kosong"),
    evidence_upload("random bytes", upload("acak.pdf", random_bytes), says="bukan jenis"),
    evidence_upload("png named .pdf", upload("gambar.pdf", PNG), says="tidak sesuai"),
    evidence_upload("pdf named .exe", upload("program.exe", PDF), says="tidak sesuai"),
    # A text field where the file input was: no file, nothing else changed ("no change").
    evidence_upload("text instead of a file", "abc", status=302),
    evidence_upload(
        "zip without [Content_Types].xml",
        upload(
            "bom.xlsx", lambda: zip_bomb().replace(b"[Content_Types].xml", b"[Content_Typez].xml")
        ),
        says="bukan jenis",
    ),
    # An XLSX or DOCX is unpacked (and dropped) once to check it: a bomb would hit whoever
    # downloads it, and a damaged one would only fail on their computer.
    evidence_upload(
        "zip bomb shaped like xlsx", upload("bom.xlsx", big_zip_bomb), says="jauh lebih besar"
    ),
    evidence_upload(
        "zip bomb lying sizes, shaped like xlsx",
        upload("bom.xlsx", zip_bomb_lying),
        says="rusak dan tidak dapat dibuka",
    ),
    evidence_upload(
        "pdf with a path and NUL in its name",
        upload("../../etc/pass\x00wd.pdf", PDF),
        accepted=True,
    ),
    evidence_upload(
        "pdf with a 300-char name and a right-to-left override",
        upload("\u202e" + "n" * 300 + ".pdf", PDF),
        accepted=True,
    ),
    post(
        "realisasi_form",
        ENTRY_URL,
        "bukti=101 files",
        entry(bukti=[upload(f"{i}.pdf", PDF) for i in range(101)]),
        # Django refuses more than 100 files; read-only roles are refused before that.
        expect={**ENTRY, "staf_politik": 400, "*": 400},
    ),
    post(
        "realisasi_form",
        ENTRY_URL,
        "bukti=pdf over 10 MB",
        entry(bukti=upload("besar.pdf", lambda: PDF + b"\x00" * (10 * 1024 * 1024))),
        expect={"admin": 200},
        says={"admin": "paling besar 10 MB"},
        roles=("admin", "staf_politik"),
    ),
    evidence_upload(
        "three files, one bad",
        [upload("a.pdf", PDF), upload("b.pdf", b""), upload("c.png", PNG)],
        says="kosong",
    ),
    post(
        "realisasi_form",
        "/rencana-aksi/{tahun}/tw/2/",
        "bukti=pdf on a locked quarter",
        entry(bukti=upload("bukti.pdf", PDF)),
        expect={**OWN, "*": 403, "admin": 200, "staf_sekretariat": 200, "staf_politik": 200},
    ),
    post(
        "realisasi_form",
        ENTRY_URL,
        "malformed multipart body",
        content_type="multipart/form-data; boundary=abc",
        body=b"--xyz\r\nContent-Disposition: form-data; name\r\n\r\n\x00\x00--",
        expect={"anonim": LOGIN},
    ),
    post(
        "realisasi_form",
        "/rencana-aksi/{tahun}/tw/1",
        "no trailing slash",
        entry(nilai="5"),
        expect={"*": 301},
        routes=False,
    ),
    other(
        "put",
        "realisasi_form",
        ENTRY_URL,
        content_type="application/x-www-form-urlencoded",
        body=b"nilai=5",
        expect={"anonim": LOGIN, "*": 405},
    ),
    other("delete", "bukti_download", "/bukti/{bukti}/", expect=WRONG_METHOD),
    other("delete", "bukti_hapus", "/bukti/{bukti}/hapus/", expect=WRONG_METHOD),
    other("options", "home", "/", expect={"anonim": LOGIN}),
    other("head", "rencana_aksi_xlsx", "/rencana-aksi/{tahun}/xlsx/", expect=PLAN_PAGE),
    other(
        "patch",
        "formulir_unggah",
        FORMULIR_URL,
        content_type="multipart/form-data; boundary=x",
        body=b"--x--",
        expect={**FORMULIR, "*": 200},
    ),
    post(
        "realisasi_form",
        ENTRY_URL,
        "json body",
        content_type="application/json",
        body=b'{"nilai": [1e999]}',
        expect={**OWN, "kepala": 403, "pemeriksa": 403, "*": 302},
    ),
    post(
        "realisasi_form",
        ENTRY_URL,
        "40,001 fields",
        content_type="application/x-www-form-urlencoded",
        body=("&".join(f"f{i}=" for i in range(40_001))).encode(),
        # Read-only roles are refused before the view reads the body (in production the CSRF
        # check reads it first and answers 400 to everyone).
        expect={**OWN, "kepala": 403, "pemeriksa": 403, "*": 400},
    ),
    # --- the kepala's review ----------------------------------------------------------------
    get("triwulan_ajukan", "/rencana-aksi/{tahun}/tw/1/status/ajukan/", expect=WRONG_METHOD),
    post(
        "triwulan_ajukan",
        "/rencana-aksi/{tahun}/tw/0/status/ajukan/",
        expect=NO_QUARTER,
        routes=False,
    ),
    post(
        "triwulan_ajukan",
        "/rencana-aksi/{tahun}/tw/5/status/ajukan/",
        expect=NO_QUARTER,
        routes=False,
    ),
    post("triwulan_ajukan", "/rencana-aksi/0/tw/1/status/ajukan/", expect=NOT_FOUND),
    post(
        "triwulan_ajukan",
        "/rencana-aksi/{tahun_lain}/tw/1/status/ajukan/",
        expect={"anonim": LOGIN, "instansi_lain": 302, "*": 404},
        changes_for=frozenset({"instansi_lain"}),
    ),
    post(
        "triwulan_ajukan",
        "/rencana-aksi/{tahun}/tw/1/status/ajukan/",
        "junk body",
        raw({"status": "disetujui", "triwulan": "2", "x": BIG}),
        expect={**OWN, "admin": 302, "*": 403},
        changes_for=frozenset({"admin"}),
    ),
    post(
        "triwulan_ajukan",
        "/rencana-aksi/{tahun}/tw/2/status/ajukan/",
        "already submitted",
        expect={**OWN, "admin": 302, "*": 403},
    ),
    get("triwulan_setujui", "/rencana-aksi/{tahun}/tw/2/status/setujui/", expect=WRONG_METHOD),
    post(
        "triwulan_setujui",
        "/rencana-aksi/{tahun}/tw/2/status/setujui/",
        "junk body",
        raw({"status_dilihat": NUL, "catatan": BIG}),
        expect={**OWN, "kepala": 302, "*": 403},
        changes_for=frozenset({"kepala"}),
    ),
    post(
        "triwulan_setujui",
        "/rencana-aksi/{tahun}/tw/1/status/setujui/",
        "quarter not submitted",
        expect={**OWN, "kepala": 302, "*": 403},
    ),
    post(
        "triwulan_setujui",
        "/rencana-aksi/{tahun}/tw/5/status/setujui/",
        expect=NO_QUARTER,
        routes=False,
    ),
    post("triwulan_setujui", "/rencana-aksi/{huge}/tw/2/status/setujui/", expect=NOT_FOUND),
    get(
        "triwulan_kembalikan", "/rencana-aksi/{tahun}/tw/2/status/kembalikan/", expect=WRONG_METHOD
    ),
    kembalikan("no fields", {}, says={"kepala": "Tulis catatan untuk admin"}),
    kembalikan("catatan=100k chars", {"catatan": BIG, "status_dilihat": "diajukan"}),
    kembalikan("catatan=NUL", {"catatan": "salah\x00", "status_dilihat": "diajukan"}),
    kembalikan("catatan=blank", {"catatan": " \r\n\t ", "status_dilihat": "diajukan"}),
    kembalikan("status_dilihat=100k chars", {"catatan": "perbaiki", "status_dilihat": BIG}),
    kembalikan("status_dilihat=NUL", {"catatan": "perbaiki", "status_dilihat": NUL}),
    kembalikan("status_dilihat=diisi", {"catatan": "perbaiki", "status_dilihat": "diisi"}),
    kembalikan("status_dilihat=stale", {"catatan": "perbaiki", "status_dilihat": "disetujui"}),
    kembalikan(
        "valid",
        {"catatan": "perbaiki ٢٦", "status_dilihat": "diajukan"},
        expect={"kepala": 302},
        changes_for=frozenset({"kepala"}),
    ),
    kembalikan(
        "quarter not submitted",
        {"catatan": "perbaiki", "status_dilihat": "diajukan"},
        triwulan=1,
        expect={"kepala": 302},
    ),
    post(
        "triwulan_kembalikan",
        "/rencana-aksi/{tahun}/tw/5/status/kembalikan/",
        data=raw({"catatan": "x", "status_dilihat": "diajukan"}),
        expect=NO_QUARTER,
        routes=False,
    ),
    # --- signing the plan -------------------------------------------------------------------
    get("rencana_tandatangani", "/rencana-aksi/{tahun}/tandatangani/", expect=WRONG_METHOD),
    post(
        "rencana_tandatangani",
        "/rencana-aksi/{tahun}/tandatangani/",
        "junk body",
        raw({"nama": BIG, "nip": NUL, "x": "٢٦"}),
        expect={**OWN, "kepala": 302, "*": 403},
        changes_for=frozenset({"kepala"}),
    ),
    post(
        "rencana_tandatangani",
        "/rencana-aksi/{tahun_lain}/tandatangani/",
        expect={"anonim": LOGIN, "instansi_lain": 403, "*": 404},
    ),
    post("rencana_tandatangani", "/rencana-aksi/{huge}/tandatangani/", expect=NOT_FOUND),
    # --- the public verification page ---------------------------------------------------------
    get("verifikasi", "/verifikasi/{kode}/", expect=PUBLIC, hides=to(ROLES, "Penyusunan")),
    get("verifikasi", "/verifikasi/{kode}/" + GARBAGE_QUERY, expect=PUBLIC),
    get("verifikasi", "/verifikasi/{kode}/?x=%00", expect=NUL_QUERY),
    get("verifikasi", "/verifikasi/ZZZZZZZZZZZZ/", "unknown", expect={"*": 404}),
    get("verifikasi", "/verifikasi/" + "A" * 2000 + "/", "long code", expect={"*": 404}),
    get("verifikasi", "/verifikasi/٢٦٢٦/", "arabic digits", expect={"*": 404}),
    get("verifikasi", "/verifikasi/%25%00/", "percent NUL", expect={"*": 404}),
    post(
        "verifikasi",
        "/verifikasi/{kode}/",
        "wrong pdf",
        raw({"berkas": upload("laporan.pdf", PDF)}),
        expect=PUBLIC,
        says=to(ROLES, "Tidak cocok"),
    ),
    post(
        "verifikasi",
        "/verifikasi/{kode}/",
        "random bytes",
        raw({"berkas": upload("laporan.pdf", random_bytes)}),
        expect=PUBLIC,
    ),
    post("verifikasi", "/verifikasi/{kode}/", "no file", raw({"berkas": "abc"}), expect=PUBLIC),
    post(
        "verifikasi",
        "/verifikasi/{kode}/",
        "empty file",
        raw({"berkas": upload("laporan.pdf", b"")}),
        expect=PUBLIC,
    ),
    post(
        "verifikasi",
        "/verifikasi/ZZZZZZZZZZZZ/",
        "unknown code with a file",
        raw({"berkas": upload("laporan.pdf", PDF), "x": BIG}),
        expect={"*": 404},
    ),
    other("put", "verifikasi", "/verifikasi/{kode}/", expect={"*": 405}),
    # --- evidence ---------------------------------------------------------------------------
    get(
        "bukti_download",
        "/bukti/{bukti}/?next=//evil.example",
        "keuangan",
        expect={**OWN, "staf_politik": 404, "*": 200},
    ),
    get(
        "bukti_download",
        "/bukti/{bukti_politik}/",
        "politik",
        expect={**OWN, "staf_sekretariat": 404, "*": 200},
    ),
    get("bukti_download", "/bukti/{bukti_lain}/", "other agency", expect=OTHER_AGENCY_PAGE),
    get("bukti_download", "/bukti/0/", expect=NOT_FOUND),
    get("bukti_download", "/bukti/{huge}/", expect=NOT_FOUND),
    get("bukti_download", "/bukti/٢٦/", expect={"*": 404}, routes=False),
    post("bukti_download", "/bukti/{bukti}/", expect=WRONG_METHOD),
    get("bukti_hapus", "/bukti/{bukti}/hapus/", expect=WRONG_METHOD),
    post(
        "bukti_hapus",
        "/bukti/{bukti}/hapus/",
        "keuangan",
        raw({"next": "//evil.example"}),
        expect={**OWN, "kepala": 403, "pemeriksa": 403, "staf_politik": 404, "*": 302},
        changes_for=EDITORS,
    ),
    post(
        "bukti_hapus",
        "/bukti/{bukti_lain}/hapus/",
        "other agency",
        expect={"anonim": LOGIN, "instansi_lain": 302, "*": 404},
        changes_for=frozenset({"instansi_lain"}),
    ),
    post(
        "bukti_hapus",
        "/bukti/{bukti_terkunci}/hapus/",
        "locked quarter",
        expect={**OWN, "kepala": 403, "pemeriksa": 403, "staf_politik": 404, "*": 302},
    ),
    post(
        "bukti_hapus",
        "/bukti/{bukti}/hapus/?bidang=//evil.example&kegiatan=%0d%0aX:1&halaman={huge}",
        "junk filter to return to",
        expect={**OWN, "kepala": 403, "pemeriksa": 403, "staf_politik": 404, "*": 302},
        changes_for=EDITORS,
    ),
    post("bukti_hapus", "/bukti/0/hapus/", expect=NOT_FOUND),
    post("bukti_hapus", "/bukti/{huge}/hapus/", expect=NOT_FOUND),
    # --- accounts ---------------------------------------------------------------------------
    get("login", "/accounts/login/?next=//evil.example", expect=PUBLIC),
    post("login", "/accounts/login/", "no fields", raw({}), expect=PUBLIC),
    post(
        "login",
        "/accounts/login/",
        "100k chars",
        raw({"username": BIG, "password": BIG}),
        expect=PUBLIC,
    ),
    post(
        "login", "/accounts/login/", "NUL", raw({"username": NUL, "password": NUL}), expect=PUBLIC
    ),
    post(
        "login",
        "/accounts/login/?next=//evil.example",
        "valid, next off site",
        lambda w, user: {
            "username": w.users["pemeriksa"].username,
            "password": PASSWORD,
            "next": "//evil.example/",
        },
        expect={"*": 302},
    ),
    # --- locks of django-axes: the agency admins (ours and the other agency's) lift them -------
    get("lockout_list", "/akun/terkunci/", expect=LOCKS),
    post("lockout_list", "/akun/terkunci/", "no attempt", raw({}), expect=LOCK_NOT_FOUND),
    post(
        "lockout_list",
        "/akun/terkunci/",
        "huge attempt",
        raw({"attempt": HUGE_INT}),
        expect=LOCK_NOT_FOUND,
    ),
    post("lockout_list", "/akun/terkunci/", "NUL", raw({"attempt": NUL}), expect=LOCK_NOT_FOUND),
    post("lockout_list", "/akun/terkunci/", "100k", raw({"attempt": BIG}), expect=LOCK_NOT_FOUND),
    other("put", "lockout_list", "/akun/terkunci/", expect={"anonim": LOGIN, "*": 405}),
    # --- health: no login, one database query --------------------------------------------------
    get("healthz", "/healthz", expect=PUBLIC),
    get("healthz", "/healthz" + GARBAGE_QUERY, "garbage query", expect=PUBLIC),
    post("healthz", "/healthz", expect={"*": 405}),
    get("logout", "/accounts/logout/", expect={"*": 405}),
    post("logout", "/accounts/logout/?next=//evil.example", expect={"*": 302}),
    get("password_change", "/accounts/password_change/", expect={"anonim": LOGIN, "*": 200}),
    post(
        "password_change",
        "/accounts/password_change/",
        "100k chars and NUL",
        raw({"old_password": BIG, "new_password1": NUL, "new_password2": BIG}),
        expect={"anonim": LOGIN, "*": 200},
    ),
    post(
        "password_change",
        "/accounts/password_change/",
        "right old password, NUL new one",
        raw(
            {"old_password": PASSWORD, "new_password1": "a\x00b" * 5, "new_password2": "a\x00b" * 5}
        ),
        expect={"anonim": LOGIN, "*": 200},
    ),
    get(
        "password_change_done",
        "/accounts/password_change/done/",
        expect={"anonim": LOGIN, "*": 200},
    ),
    get("password_reset", "/accounts/password_reset/", expect=PUBLIC),
    post("password_reset", "/accounts/password_reset/", "NUL", raw({"email": NUL}), expect=PUBLIC),
    post(
        "password_reset",
        "/accounts/password_reset/",
        "100k chars",
        raw({"email": BIG}),
        expect=PUBLIC,
    ),
    post(
        "password_reset",
        "/accounts/password_reset/",
        "unknown address",
        raw({"email": "tidak-ada@contoh.go.id"}),
        expect={"*": 302},
    ),
    get("password_reset_done", "/accounts/password_reset/done/", expect=PUBLIC),
    get("password_reset_confirm", "/accounts/reset/%00/set-password/", expect=PUBLIC),
    get("password_reset_confirm", "/accounts/reset/MQ/set-password/", expect=PUBLIC),
    get("password_reset_confirm", "/accounts/reset/" + "A" * 5000 + "/x-y/", expect=PUBLIC),
    get(
        "password_reset_confirm",
        "/accounts/reset/OTk5OTk5OTk5OTk5OTk5OTk5OTk5OTk/x-y/",
        expect=PUBLIC,
    ),
    post(
        "password_reset_confirm",
        "/accounts/reset/MQ/abc-def/",
        "bogus token",
        raw({"new_password1": BIG, "new_password2": NUL}),
        expect=PUBLIC,
    ),
    get("password_reset_complete", "/accounts/reset/done/", expect=PUBLIC),
    # --- language -----------------------------------------------------------------------------
    post(
        "set_language",
        "/i18n/setlang/",
        "unknown language, next off site",
        raw({"language": "xx", "next": "//evil.example/"}),
        expect={"*": 302},
    ),
    post(
        "set_language",
        "/i18n/setlang/",
        "NUL",
        raw({"language": NUL, "next": NUL}),
        expect={"*": 302},
    ),
    post("set_language", "/i18n/setlang/", "100k chars", raw({"language": BIG}), expect={"*": 302}),
    get("set_language", "/i18n/setlang/?language=en&next=//evil.example", expect={"*": 302}),
    # --- a few admin pages ------------------------------------------------------------------
    get(
        "admin",
        "/admin/renaksi/realisasi/?o=99.-x.1&p=-1&q=x&triwulan__exact=abc&all=",
        expect={**ADMIN_PAGE, "*": 302},
    ),
    get("admin", "/admin/renaksi/realisasi/?p=99999&o=-1", expect={**ADMIN_PAGE, "*": 200}),
    get("admin", "/admin/renaksi/realisasi/?q=%00", expect=NUL_QUERY),
    get("admin", "/admin/renaksi/realisasi/?e=1&o=", expect={**ADMIN_PAGE, "*": 200}),
    # Django refuses to redirect to a URL over 2,048 characters: a 400 instead of the login.
    get(
        "admin",
        "/admin/renaksi/realisasi/?q=" + "x" * 20_000,
        expect={**dict.fromkeys(ADMIN_PAGE, 400), "*": 200},
    ),
    get(
        "admin",
        "/admin/renaksi/rencanaaksi/?tahun__exact={huge}&instansi__id__exact={instansi}",
        expect={**ADMIN_PAGE, "*": 200},
    ),
    get("admin", "/admin/auth/user/?profile__peran=kepala", expect={**ADMIN_PAGE, "*": 400}),
    get(
        "admin",
        "/admin/renaksi/rencanaaksi/{rencana_lain}/change/",
        expect={**ADMIN_PAGE, "admin": 404, "instansi_lain": 200},
    ),
    get("admin", "/admin/renaksi/rencanaaksi/%00/change/", expect={**ADMIN_PAGE, "*": 404}),
    get("admin", "/admin/renaksi/rencanaaksi/{huge}/change/", expect={**ADMIN_PAGE, "*": 404}),
    post(
        "admin",
        "/admin/renaksi/instansi/{instansi}/change/",
        "TOTAL_FORMS=100000",
        management_form("100000"),
        expect={**ADMIN_PAGE, "admin": 200, "instansi_lain": 404},
    ),
    post(
        "admin",
        "/admin/renaksi/instansi/{instansi}/change/",
        "TOTAL_FORMS=-1",
        management_form("-1"),
        # Django reads a negative count as no inline forms: the unchanged agency is "saved".
        expect={**ADMIN_PAGE, "admin": 302, "instansi_lain": 404},
    ),
    post(
        "admin",
        "/admin/renaksi/instansi/{instansi}/change/",
        "efisiensi bawah above atas",
        management_form("0", efisiensi_batas_atas="-10", efisiensi_batas_bawah="-5"),
        expect={**ADMIN_PAGE, "admin": 200, "instansi_lain": 404},
        says=to(("admin",), "Batas bawah efisiensi"),
    ),
    post(
        "admin",
        "/admin/renaksi/instansi/{instansi}/change/",
        "efisiensi bounds NUL and 1e999",
        management_form("0", efisiensi_batas_atas="1e999", efisiensi_batas_bawah=NUL),
        expect={**ADMIN_PAGE, "admin": 200, "instansi_lain": 404},
    ),
    post(
        "admin",
        "/admin/renaksi/instansi/{instansi}/change/",
        "TOTAL_FORMS=abc",
        management_form("abc"),
        expect={**ADMIN_PAGE, "admin": 200, "instansi_lain": 404},
    ),
    post(
        "admin",
        "/admin/renaksi/instansi/{instansi}/change/",
        "management form missing",
        management_form(OMIT, initial=OMIT),
        expect={**ADMIN_PAGE, "admin": 200, "instansi_lain": 404},
    ),
    post(
        "admin",
        "/admin/renaksi/instansi/{instansi}/change/",
        "INITIAL_FORMS=100000 without ids",
        management_form("100000", initial="100000"),
        expect={**ADMIN_PAGE, "admin": 200, "instansi_lain": 404},
    ),
    post(
        "admin",
        "/admin/renaksi/instansi/{instansi}/change/",
        "inline row naming another agency's bidang",
        management_form(
            "1",
            initial="1",
            **{
                "bidang-0-id": "{huge}",
                "bidang-0-instansi": "{instansi}",
                "bidang-0-urutan": "٢",
                "bidang-0-nama": "a\x00b",
            },
        ),
        expect={**ADMIN_PAGE, "admin": 200, "instansi_lain": 404},
    ),
    get(
        "admin",
        "/admin/renaksi/realisasi/{realisasi}/change/",
        expect={**ADMIN_PAGE, "admin": 200, "instansi_lain": 404},
        hides={"instansi_lain": "keuangan-tw1.pdf"},
    ),
    get(
        "admin",
        "/admin/renaksi/rencanaaksi/?instansi__id__exact={instansi}&q=Uji",
        "filtered to another agency",
        expect={**ADMIN_PAGE, "*": 200},
        hides={"instansi_lain": "Badan Kesbangpol Uji"},
    ),
    # Filter values go straight into the query: PostgreSQL refuses a NUL in a text parameter,
    # so these were a 500 there until the middleware refused them.
    *(
        get("admin", path, expect=NUL_QUERY)
        for path in (
            "/admin/renaksi/statustriwulan/?status__exact=%00&triwulan__exact=5",
            "/admin/renaksi/indikatorsasaran/?arah__exact=%00",
            "/admin/renaksi/bidang/?nama=%00",
            "/admin/auth/user/?username=%00",
        )
    ),
    get(
        "admin",
        "/admin/auth/user/{user_kepala}/change/",
        "the kepala's account",
        expect={**ADMIN_PAGE, "*": 404},
    ),
    post(
        "admin",
        "/admin/auth/user/{user_kepala}/password/",
        "the kepala's password",
        raw({"password1": "Kunci-Baru-2024!", "password2": "Kunci-Baru-2024!"}),
        expect={**ADMIN_PAGE, "*": 404},
    ),
    post(
        "admin",
        "/admin/auth/user/{user_staf_politik}/password/",
        "a staff password (allowed)",
        raw({"password1": "Kunci-Baru-2024!", "password2": "Kunci-Baru-2024!"}),
        expect={**ADMIN_PAGE, "admin": 302, "instansi_lain": 404},
        changes_for=frozenset({"admin"}),
    ),
    post(
        "admin",
        "/admin/auth/user/{user_admin}/change/",
        "own account made superuser, kepala, other agency",
        lambda w, user: {
            "username": "admin-uji",
            "is_active": "on",
            "is_staff": "on",
            "is_superuser": "on",
            "profile-TOTAL_FORMS": "1",
            "profile-INITIAL_FORMS": "1",
            "profile-MIN_NUM_FORMS": "0",
            "profile-MAX_NUM_FORMS": "1",
            "profile-0-id": str(w.refs["profile_admin"]),
            "profile-0-user": str(w.refs["user_admin"]),
            "profile-0-peran": "kepala",
            "profile-0-instansi": str(w.rencana_lain.instansi_id),
            "profile-0-nip": "٢" * 18,
        },
        expect={**ADMIN_PAGE, "instansi_lain": 404},
    ),
    post(
        "admin",
        "/admin/renaksi/bidang/add/",
        "into another agency",
        lambda w, user: {"instansi": str(agency_not_of(w, user)), "nama": "X", "urutan": "9"},
        expect={**ADMIN_PAGE, "*": 200},
    ),
    post(
        "admin",
        "/admin/renaksi/realisasi/{realisasi}/change/",
        "read-only realisation",
        raw({"nilai": "1", "versi": "99"}),
        expect={**ADMIN_PAGE, "admin": 403, "instansi_lain": 404},
    ),
    post(
        "admin",
        "/admin/renaksi/rencanaaksi/{rencana}/delete/",
        "plan under review",
        raw({"post": "yes"}),
        expect={**ADMIN_PAGE, "admin": 403, "instansi_lain": 404},
    ),
]

# --- The plan import, template, publish, copy and history (issue 8) ---------------------------

IMPOR_URL = "/rencana-aksi/impor/"
# The agency admin's pages: the other agency's admin has its own.
ADMIN_ONLY = {"anonim": LOGIN, "admin": 200, "instansi_lain": 200, "*": 403}
ADMINS = ("admin", "instansi_lain")


def rencana_upload(label: str, file, says: str, tahun="2040") -> Case:
    return post(
        "rencana_impor",
        IMPOR_URL,
        f"berkas={label}",
        raw({"tahun": tahun, "berkas": file}),
        expect=ADMIN_ONLY,
        says=to(ADMINS, says),
    )


@functools.cache
def deli_serdang() -> bytes:
    return (
        Path(__file__).resolve().parents[2]
        / "shared/realworld/evaluasi-renja-deli-serdang-2025.xlsx"
    ).read_bytes()


def plan_with_money(title: str, value) -> DataBuilder:
    """The world's plan as its XLSX export, with ``value`` in column ``title`` of the first sub
    kegiatan row of the Data sheet, uploaded for year 2040."""

    def build(w: World, user) -> dict:
        from renaksi.exports.download import export_rencana_aksi
        from tests.factories import data_cell, edit_xlsx

        rencana = RencanaAksi.objects.select_related("instansi").get(pk=w.rencana.pk)

        def edit(workbook):
            data_cell(workbook, "sub kegiatan", title).value = value

        content = edit_xlsx(export_rencana_aksi(rencana, fmt="xlsx").content, edit)
        return {"tahun": "2040", "berkas": SimpleUploadedFile("rencana.xlsx", content)}

    return build


def rencana_payload(
    *, signer: str | None = None, tahun: int = 2040, printed: bool = False, extra=None
) -> DataBuilder:
    """A preview payload of the world's plan, signed for the requesting user or ``signer``;
    ``printed``: as read from the printed layout, whose choices ``extra`` posts with it."""

    def build(w: World, user) -> dict:
        from renaksi.rencana_import.payload import payload_sign
        from renaksi.selectors import rencana_data

        who = w.users[signer] if signer else (user or User(pk=None))
        data = rencana_data(rencana=w.rencana)
        token = payload_sign(
            data,
            user=who,
            instansi_id=w.rencana.instansi_id,
            tahun=tahun,
            replace_targets=False,
            nama_berkas="x.xlsx",
            printed=printed,
        )
        return {"payload": token, **(extra or {})}

    return build


CASES += [
    get("rencana_impor", IMPOR_URL + GARBAGE_QUERY, expect=ADMIN_ONLY),
    get("rencana_impor", IMPOR_URL + "?x=%00", expect=NUL_QUERY),
    post("rencana_impor", IMPOR_URL, "no file", raw({}), expect=ADMIN_ONLY),
    rencana_upload("text instead of a file", "abc", "tidak boleh kosong"),
    rencana_upload("random bytes", upload("rencana.xlsx", random_bytes), "bukan XLSX"),
    rencana_upload("zip bomb", upload("rencana.xlsx", zip_bomb), "rusak"),
    rencana_upload("zip bomb lying sizes", upload("rencana.xlsx", zip_bomb_lying), "rusak"),
    rencana_upload("legacy xls", upload("rencana.xls", OLE2), "Excel lama"),
    rencana_upload("over 5 MB", upload("rencana.xlsx", too_big_for_formulir), "terlalu besar"),
    rencana_upload("a workbook that is no plan", upload("r.xlsx", plain_workbook), "bukan rencana"),
    rencana_upload("the Deli Serdang form", upload("r.xlsx", deli_serdang), "formulir evaluasi"),
    *(
        post(
            "rencana_impor",
            IMPOR_URL,
            f"berkas=export with {label}",
            plan_with_money(column, value),
            expect=ADMIN_ONLY,
            says={"admin": says},
        )
        for label, column, value, says in (
            ("pagu -5", "PAGU (RP)", -5, "tidak boleh negatif"),
            ("pagu 1.5", "PAGU (RP)", 1.5, "tanpa sen"),
            ("kas as text", "ANGGARAN KAS TW 1 (RP)", "satu juta", "bukan angka rupiah"),
            ("kas 1e300", "ANGGARAN KAS TW 2 (RP)", 1e300, "terlalu besar"),
            ("Renstra K -1", "TARGET RENSTRA (K)", -1, "tidak boleh negatif"),
        )
    ),
    rencana_upload("year 0", upload("r.xlsx", plain_workbook), "2000", tahun="0"),
    rencana_upload("huge year", upload("r.xlsx", plain_workbook), "2100", tahun=HUGE_INT),
    rencana_upload("year with NUL", upload("r.xlsx", plain_workbook), "angka 0–9", tahun=NUL),
    post(
        "rencana_impor",
        IMPOR_URL,
        "payload=garbage",
        raw({"payload": BIG}),
        expect={**ADMIN_ONLY, "admin": 400, "instansi_lain": 400},
    ),
    post(
        "rencana_impor",
        IMPOR_URL,
        "payload=signed for another user",
        rencana_payload(signer="kepala"),
        expect={**ADMIN_ONLY, "admin": 400, "instansi_lain": 400},
    ),
    post(
        "rencana_impor",
        IMPOR_URL,
        "payload=signed for the user (agency admin: imports a draft)",
        rencana_payload(),
        # The other agency's admin: the payload names our agency, not its own.
        expect={**ADMIN_ONLY, "admin": 302, "instansi_lain": 400},
        changes_for=frozenset({"admin"}),
    ),
    post(
        "rencana_impor",
        IMPOR_URL,
        "payload=onto a year that has a plan",
        rencana_payload(tahun=TAHUN),
        expect={**ADMIN_ONLY, "admin": 409, "instansi_lain": 400},
    ),
    *(
        post(
            "rencana_impor",
            IMPOR_URL,
            f"printed-layout choices: {label}",
            rencana_payload(printed=True, extra=extra),
            expect={**ADMIN_ONLY, "admin": status, "instansi_lain": 400},
            says=to(("admin",), says) if says else {},
        )
        for label, extra, status, says in (
            ("refreshed", {"aksi": "pratinjau", "arah-sk-1.1": "turun"}, 200, ""),
            ("arah of 100k chars", {"aksi": "pratinjau", "arah-sk-1.1": BIG}, 400, "arah"),
            ("metode with NUL", {"aksi": "impor", "metode-is-1.1": NUL}, 400, "metode"),
            ("unknown bidang", {"aksi": "impor", "bidang-sk-1.1": BIG}, 400, "bidang"),
            ("every row, junk", {"aksi": "semua", "semua-persen": "maybe"}, 400, "target"),
            ("unknown action", {"aksi": BIG, "bulat-sk-1.1": "x"}, 400, "realisasi"),
        )
    ),
    get("rencana_templat", "/rencana-aksi/impor/templat.xlsx", expect=ADMIN_ONLY),
    post(
        "rencana_templat",
        "/rencana-aksi/impor/templat.xlsx",
        "junk",
        raw({"x": BIG}),
        expect=ADMIN_ONLY,
    ),
    get("rencana_terbitkan", "/rencana-aksi/{tahun}/terbitkan/", expect={"*": 405}),
    post(
        "rencana_terbitkan",
        "/rencana-aksi/{tahun}/terbitkan/",
        "already published",
        expect={"anonim": LOGIN, "admin": 302, "instansi_lain": 404, "*": 403},
    ),
    post("rencana_terbitkan", "/rencana-aksi/{huge}/terbitkan/", expect=NOT_FOUND),
    post(
        "rencana_terbitkan",
        "/rencana-aksi/{tahun_lain}/terbitkan/",
        "published plan of the other agency",
        expect={"anonim": LOGIN, "instansi_lain": 302, "*": 404},
    ),
    *(
        post(
            "rencana_salin",
            "/rencana-aksi/{tahun}/salin/",
            f"ke={label}",
            raw({"ke": value}),
            expect={"anonim": LOGIN, "admin": 302, "instansi_lain": 404, "*": 403},
        )
        for label, value in (
            ("100k chars", BIG),
            ("NUL", NUL),
            ("the same year", str(TAHUN)),
            ("huge", HUGE_INT),
            ("٢٠٢٤", "٢٠٢٤"),
        )
    ),
    post(
        "rencana_salin",
        "/rencana-aksi/{tahun}/salin/",
        "ke=2045 (the admin copies)",
        raw({"ke": "2045", "tanpa_target": "on"}),
        expect={"anonim": LOGIN, "admin": 302, "instansi_lain": 404, "*": 403},
        changes_for=frozenset({"admin"}),
    ),
    get("rencana_salin", "/rencana-aksi/{tahun}/salin/", expect={"*": 405}),
    get(
        "rencana_riwayat",
        "/rencana-aksi/{tahun}/riwayat/" + GARBAGE_QUERY,
        expect={**OWN, "staf_sekretariat": 403, "staf_politik": 403, "*": 200},
    ),
    get(
        "rencana_riwayat",
        "/rencana-aksi/{tahun}/riwayat/?page=99999999999999999999",
        expect={**OWN, "staf_sekretariat": 403, "staf_politik": 403, "*": 200},
    ),
    get("rencana_riwayat", "/rencana-aksi/{huge}/riwayat/", expect=NOT_FOUND),
]

# (case id, role) → why it fails today; each stays a strict xfail until fixed.


def params() -> list:
    """Every (case, role), named after both; a known defect carries its xfail mark."""
    return [
        pytest.param(
            case,
            role,
            id=f"{case.id}-{role}",
            marks=[case.defects[role]] if role in case.defects else [],
        )
        for case in CASES
        for role in case.roles
    ]


# --------------------------------------------------------------------------------------------
# Sending and judging
# --------------------------------------------------------------------------------------------


def client_for(world: World, role: str) -> Client:
    """A client logged in as ``role`` (with the session made once for the module)."""
    client = Client(raise_request_exception=False)
    if role != "anonim":
        client.cookies[settings.SESSION_COOKIE_NAME] = world.sessions[role]
    return client


def send(client: Client, case: Case, world: World, role: str):
    path = case.path.format(**world.refs)
    for name, value in case.cookies.items():
        client.cookies[name] = value
    method = getattr(client, case.method)
    if case.content_type:
        return method(path, data=case.body, content_type=case.content_type)
    data = materialize(case.data(world, world.user(role))) if case.data else None
    return method(path, data=data) if data is not None else method(path)


def stays_on_site(location: str) -> bool:
    """Whether a Location header (empty: no redirect) leads to this site."""
    split = urlsplit(location)
    return split.scheme in ("", "http", "https") and split.netloc in ("", "testserver")


def server_error(response) -> str:
    if response.exc_info:
        return "".join(traceback.format_exception(*response.exc_info))
    return f"status {response.status_code}"


@pytest.mark.parametrize(("case", "role"), params())
def test_no_server_error_and_no_unallowed_change(case: Case, role: str, world: World):
    client = client_for(world, role)
    before = snapshot(world.media)

    response = send(client, case, world, role)

    assert response.status_code < 500, server_error(response)
    location = response.get("Location", "")
    assert stays_on_site(location), f"redirected off site: {location}"
    changed = differences(before, snapshot(world.media))
    if role in case.changes_for:
        # The input was acceptable to this role: seeing the change proves the snapshot sees.
        assert changed, f"{role} changed nothing (status {response.status_code})"
    else:
        assert not changed, f"{role} changed {', '.join(changed)} (status {response.status_code})"
    expected = case.expected(role)
    if expected == LOGIN:
        assert response.status_code == 302 and "login" in location, (response.status_code, location)
    elif expected is not None:
        assert response.status_code == expected, server_error(response)
    if role in case.says:
        assert case.says[role] in response.content.decode(), "the page does not say why"
    if role in case.hides:
        assert case.hides[role] not in response.content.decode(), "shows what it must hide"


# --------------------------------------------------------------------------------------------
# The table covers every URL
# --------------------------------------------------------------------------------------------


def url_names(patterns) -> set[str]:
    names = set()
    for pattern in patterns:
        if hasattr(pattern, "url_patterns"):
            if pattern.app_name != "admin":
                names |= url_names(pattern.url_patterns)
        elif pattern.name:
            names.add(pattern.name)
    return names


def test_every_url_pattern_has_cases():
    covered = {case.name for case in CASES}
    assert url_names(get_resolver().url_patterns) - covered == set()
    assert "admin" in covered


@pytest.mark.parametrize("case", [c for c in CASES if c.name != "admin"], ids=lambda c: c.id)
def test_each_case_reaches_the_pattern_it_names(case: Case):
    refs = {"tahun": TAHUN, "tahun_lain": TAHUN_LAIN, "huge": HUGE_INT, "kode": "ABCDEFGHJKLM"}
    refs.update(dict.fromkeys(("bukti", "bukti_politik", "bukti_terkunci", "bukti_lain"), 1))
    refs.update(dict.fromkeys(("bidang_politik", "bidang_lain", "kegiatan_politik"), 1))
    refs.update(dict.fromkeys(("bidang_sekretariat", "kegiatan", "kegiatan_lain"), 1))
    path = case.path.format(**refs).split("?")[0]
    if not case.routes:
        with pytest.raises(Resolver404):
            resolve(path)
        return
    assert resolve(path).url_name == case.name
