"""manage.py backup / restore: a consistent archive taken while people save, and a restore that
refuses what it cannot trust."""

import gzip
import hashlib
import io
import json
import os
import sqlite3
import subprocess
import sys
import tarfile
import threading
import time
import uuid
from decimal import Decimal
from pathlib import Path
from urllib.parse import quote

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.db import connection, connections

from renaksi.backup import MANIFEST, backup_create, installation_has_data
from renaksi.services import RealisasiInput, bukti_add, realisasi_save_many

PDF = b"%PDF-1.4\n% bukti uji\n" + os.urandom(2048) + b"\n%%EOF\n"


def pdf_upload(name: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF + name.encode(), content_type="application/pdf")


def number(value) -> Decimal | None:
    # SQLite hands a decimal column back as int, float or text, PostgreSQL as Decimal.
    return None if value is None else Decimal(str(value)).normalize()


# --- Restoring into a second, empty installation --------------------------------------------


class FreshInstallation:
    """An empty database of the same kind as the test database, and an empty media folder."""

    def __init__(self, tmp_path: Path):
        self.media = tmp_path / "restored-media"
        params = connection.settings_dict
        if connection.vendor == "sqlite":
            self.path = tmp_path / "restored.sqlite3"
            self.url = f"sqlite:///{self.path}"
        else:
            self.name = f"renaksi_restore_{uuid.uuid4().hex[:8]}"
            with connection.cursor() as cursor:
                cursor.execute(f'CREATE DATABASE "{self.name}"')
            host = quote(params["HOST"] or "", safe="")
            port = params["PORT"] or 5432
            self.url = f"postgres://{params['USER']}@{host}:{port}/{self.name}"

    def manage(self, *args: str) -> subprocess.CompletedProcess:
        env = {
            **os.environ,
            "DJANGO_DEBUG": "1",
            "DATABASE_URL": self.url,
            "DJANGO_MEDIA_ROOT": str(self.media),
        }
        env.pop("DJANGO_SECRET_KEY_FILE", None)
        return subprocess.run(
            [sys.executable, "manage.py", *args],
            cwd=settings.BASE_DIR,
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
        )

    def query(self, sql: str) -> list[tuple]:
        if connection.vendor == "sqlite":
            with sqlite3.connect(self.path) as db:
                return db.execute(sql).fetchall()
        import psycopg

        params = connection.settings_dict
        with psycopg.connect(
            host=params["HOST"], port=params["PORT"], user=params["USER"], dbname=self.name
        ) as db:
            return db.execute(sql).fetchall()

    def tables(self) -> list[str]:
        if connection.vendor == "sqlite":
            sql = "SELECT name FROM sqlite_master WHERE type = 'table'"
        else:
            sql = "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'"
        return [name for (name,) in self.query(sql)]

    def drop(self) -> None:
        if connection.vendor != "sqlite":
            with connection.cursor() as cursor:
                cursor.execute(f'DROP DATABASE IF EXISTS "{self.name}"')


@pytest.fixture
def fresh(tmp_path, transactional_db):
    installation = FreshInstallation(tmp_path)
    yield installation
    installation.drop()


@pytest.mark.django_db(transaction=True)
def test_it_restores_every_save_made_before_the_backup_while_saves_go_on(
    users, rencana, subs, tmp_path, media, fresh
):
    staf = users["staf_sekretariat"]
    rows = [subs["Penyusunan Laporan Keuangan Uji"], subs["Penyediaan Peralatan Kantor Uji"]]
    stored = bukti_add(
        user=staf,
        rencana=rencana,
        triwulan=1,
        uploads={f"sub-{row.pk}": [pdf_upload(f"bukti-{row.pk}.pdf")] for row in rows},
    )
    originals = {bukti.berkas.name: (media / bukti.berkas.name).read_bytes() for bukti in stored}

    acknowledged: list[
        tuple[int, int, Decimal | None]
    ] = []  # (sub kegiatan, versi, nilai) once saved
    lock = threading.Lock()
    stop = threading.Event()
    enough = threading.Event()
    errors: list[BaseException] = []

    def keep_saving() -> None:
        versions = {row.pk: 1 for row in rows}  # bukti_add made each realisation at version 1
        try:
            n = 0
            while not stop.is_set() and n < 2000:
                row = rows[n % 2]
                nilai = Decimal(n)
                realisasi_save_many(
                    user=staf,
                    rencana=rencana,
                    triwulan=1,
                    inputs=[RealisasiInput(f"sub-{row.pk}", nilai, versi=versions[row.pk])],
                )
                versions[row.pk] += 1
                with lock:
                    acknowledged.append((row.pk, versions[row.pk], number(nilai)))
                n += 1
                if n >= 20:
                    enough.set()
        except BaseException as exc:
            errors.append(exc)
            enough.set()
        finally:
            connections.close_all()

    writer = threading.Thread(target=keep_saving)
    writer.start()
    try:
        assert enough.wait(60), "the writer saved nothing"
        with lock:
            before = list(acknowledged)
        summary = backup_create(dest=tmp_path / "nightly.tar.gz")
        # The stream goes on past the backup: it ran in the middle of it, not after its end.
        deadline = time.monotonic() + 30
        while len(acknowledged) < len(before) + 10 and time.monotonic() < deadline and not errors:
            time.sleep(0.01)
    finally:
        stop.set()
        writer.join(60)
    assert not errors, errors
    assert len(acknowledged) >= len(before) + 10, "the saves stopped with the backup"
    assert summary.files == 2

    result = fresh.manage("restore", str(summary.path))
    assert result.returncode == 0, result.stderr
    history = set(
        fresh.query(
            "SELECT r.sub_kegiatan_id, h.versi, h.nilai FROM renaksi_realisasiriwayat h "
            "JOIN renaksi_realisasi r ON r.id = h.realisasi_id"
        )
    )
    history = {(sub, versi, number(nilai)) for sub, versi, nilai in history}
    missing = [save for save in before if save not in history]
    assert not missing, f"{len(missing)} of {len(before)} acknowledged saves missing"
    # What a row shows is its latest restored version, with the value of that version.
    for sub, versi, nilai in fresh.query(
        "SELECT sub_kegiatan_id, versi, nilai FROM renaksi_realisasi WHERE triwulan = 1"
    ):
        assert (sub, versi, number(nilai)) in history
    restored_files = fresh.query("SELECT berkas FROM renaksi_bukti ORDER BY berkas")
    assert sorted(name for (name,) in restored_files) == sorted(originals)
    for name, content in originals.items():
        assert (fresh.media / name).read_bytes() == content

    # And the restored installation is no longer empty: a second restore is refused.
    again = fresh.manage("restore", str(summary.path))
    assert again.returncode == 1
    assert again.stderr.strip() == (
        "CommandError: this installation already holds data: restore only into an empty one"
    )


# --- Refusing what cannot be trusted ----------------------------------------------------------


@pytest.fixture
def archive(users, rencana, subs, tmp_path):
    row = subs["Penyusunan Laporan Keuangan Uji"]
    bukti_add(
        user=users["admin"],
        rencana=rencana,
        triwulan=2,
        uploads={f"sub-{row.pk}": [pdf_upload("laporan.pdf")]},
    )
    return backup_create(dest=tmp_path).path


def members_of(path: Path) -> dict[str, bytes]:
    with tarfile.open(path, "r:gz") as tar:
        return {m.name: tar.extractfile(m).read() for m in tar}


def write_archive(path: Path, members: dict[str, bytes]) -> Path:
    with tarfile.open(path, "w:gz") as tar:
        for name, data in members.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
    return path


@pytest.mark.django_db
def test_it_writes_the_database_the_files_and_a_manifest_of_checksums(archive):
    members = members_of(archive)
    manifest = json.loads(members.pop(MANIFEST))
    assert manifest["format"] == "renaksi-backup" and manifest["version"] == 1
    database = {"sqlite": "database.sqlite3", "postgresql": "database.pgdump"}[connection.vendor]
    assert manifest["database"] == {"vendor": connection.vendor, "member": database}
    (evidence,) = [name for name in members if name.startswith("media/bukti/2/")]
    assert members[evidence].startswith(b"%PDF-1.4")
    assert set(manifest["members"]) == set(members)

    for name, data in members.items():
        assert manifest["members"][name] == {
            "sha256": hashlib.sha256(data).hexdigest(),
            "size": len(data),
        }


@pytest.mark.django_db
def test_it_refuses_to_overwrite_an_archive(archive):
    with pytest.raises(CommandError, match="already exists"):
        call_command("backup", str(archive))


@pytest.mark.django_db
def test_it_refuses_a_damaged_archive_before_looking_at_the_installation(archive, tmp_path):
    members = members_of(archive)
    evidence = next(name for name in members if name.startswith("media/"))
    members[evidence] = members[evidence][:-1] + b"X"
    changed = write_archive(tmp_path / "changed.tar.gz", members)
    truncated = tmp_path / "truncated.tar.gz"
    truncated.write_bytes(archive.read_bytes()[: archive.stat().st_size // 2])
    missing = write_archive(
        tmp_path / "missing.tar.gz",
        {name: data for name, data in members.items() if name != evidence},
    )
    # The installation holds data, yet the archive's damage is what each refusal names.
    assert installation_has_data()
    messages = {}
    for path in (changed, truncated, missing):
        with pytest.raises(CommandError) as refused:
            call_command("restore", str(path))
        messages[path.name] = str(refused.value)
    assert messages["changed.tar.gz"] == (
        f"damaged archive: the checksum of {evidence!r} does not match"
    )
    assert messages["truncated.tar.gz"].startswith("damaged archive (truncated or corrupt)")
    assert messages["missing.tar.gz"] == f"damaged archive: {evidence!r} is missing"


@pytest.mark.django_db
def test_it_refuses_a_foreign_archive(archive, tmp_path):
    members = members_of(archive)
    no_manifest = write_archive(
        tmp_path / "no-manifest.tar.gz",
        {name: data for name, data in members.items() if name != MANIFEST},
    )
    other = json.loads(members[MANIFEST])
    other["format"] = "something-else"
    foreign = write_archive(
        tmp_path / "foreign.tar.gz", {**members, MANIFEST: json.dumps(other).encode()}
    )
    escaping = write_archive(tmp_path / "escaping.tar.gz", {"../etc/passwd": b"x", **members})
    not_tar = tmp_path / "not-tar.tar.gz"
    not_tar.write_bytes(gzip.compress(b"just some text"))
    expected = {
        no_manifest: f"not a Renaksi backup: {no_manifest} has no manifest.json",
        foreign: "not a Renaksi backup: manifest.json does not say 'renaksi-backup'",
        escaping: "not a Renaksi backup: unexpected member '../etc/passwd'",
        not_tar: f"not a Renaksi backup: {not_tar} is not a tar.gz archive",
    }
    for path, message in expected.items():
        with pytest.raises(CommandError) as refused:
            call_command("restore", str(path))
        assert str(refused.value) == message


@pytest.mark.django_db(transaction=True)
def test_it_exits_1_with_one_line_on_a_damaged_archive(archive, tmp_path, fresh):
    damaged = tmp_path / "damaged.tar.gz"
    data = bytearray(archive.read_bytes())
    data[len(data) // 2] ^= 0xFF
    damaged.write_bytes(bytes(data))
    result = fresh.manage("restore", str(damaged))
    assert result.returncode == 1
    (line,) = result.stderr.strip().splitlines()
    assert line.startswith("CommandError: damaged archive"), line
    assert fresh.tables() == []
    assert not fresh.media.exists()
