"""Backups: one archive with the database and the evidence files, and its restore.

An archive is a ``.tar.gz`` holding

- ``database.sqlite3``: a copy made through SQLite's online backup API (one consistent snapshot
  taken while the application keeps writing; a plain ``cp`` of a WAL database loses what is
  still in the WAL), or ``database.pgdump``: ``pg_dump --format=custom`` of PostgreSQL (one
  repeatable-read snapshot);
- ``media/…``: every evidence file, read through Django's default storage;
- ``manifest.json``, last: the format marker and version, and the SHA-256 and size of every
  other member.

The database is copied first and the files after it, so every file a backed-up row names is
in the archive (a file uploaded meanwhile is in it too, unreferenced and harmless). A restore
reads the whole archive and checks every checksum before it writes anything, and only into an
installation that holds no data yet.
"""

import datetime
import hashlib
import io
import json
import os
import re
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
import zlib
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from django.apps import apps
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.files import File
from django.core.files.storage import default_storage
from django.db import connections

FORMAT = "renaksi-backup"
VERSION = 1
MANIFEST = "manifest.json"
DB_MEMBER = {"sqlite": "database.sqlite3", "postgresql": "database.pgdump"}
MEDIA_PREFIX = "media/"
CHUNK = 1024 * 1024


class BackupError(Exception):
    """A backup or restore refused or failed; the message is one line for the operator."""


@dataclass(frozen=True)
class BackupSummary:
    path: Path
    vendor: str
    files: int
    size: int


# --- Helpers -----------------------------------------------------------------------------------


class _HashingReader:
    """Reads a file object through, keeping the SHA-256 and the byte count of what was read."""

    def __init__(self, fileobj):
        self.fileobj = fileobj
        self.sha256 = hashlib.sha256()
        self.size = 0

    def read(self, size=-1):
        data = self.fileobj.read(size)
        self.sha256.update(data)
        self.size += len(data)
        return data


def _sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def _storage_names(storage, folder: str = "") -> list[str]:
    """Every file name under ``folder`` of ``storage``, sorted; none when the folder is missing."""
    try:
        folders, files = storage.listdir(folder)
    except FileNotFoundError:
        return []
    names = [f"{folder}{name}" for name in files]
    for sub in folders:
        names += _storage_names(storage, f"{folder}{sub}/")
    return sorted(names)


def pg_tool(name: str) -> str:
    """pg_dump / pg_restore: from RENAKSI_PG_BINDIR, else PATH, else Debian's PostgreSQL 15."""
    if settings.PG_BINDIR:
        return str(Path(settings.PG_BINDIR) / name)
    found = shutil.which(name)
    if found:
        return found
    debian = Path("/usr/lib/postgresql/15/bin") / name
    if debian.exists():
        return str(debian)
    raise BackupError(f"{name} not found: install PostgreSQL's client or set RENAKSI_PG_BINDIR")


def _pg_env(settings_dict: dict) -> dict:
    env = dict(os.environ)
    for key, var in (("HOST", "PGHOST"), ("PORT", "PGPORT"), ("USER", "PGUSER")):
        if settings_dict.get(key):
            env[var] = str(settings_dict[key])
    if settings_dict.get("PASSWORD"):
        env["PGPASSWORD"] = settings_dict["PASSWORD"]
    return env


def _run(command: list[str], env: dict) -> None:
    result = subprocess.run(command, env=env, capture_output=True, text=True)
    if result.returncode != 0:
        message = " ".join(result.stderr.split())[:500] or f"exit status {result.returncode}"
        raise BackupError(f"{Path(command[0]).name} failed: {message}")


# --- Backup ------------------------------------------------------------------------------------


def _regexp(pattern: str, value) -> bool:
    return value is not None and re.search(pattern, str(value)) is not None


def sqlite_integrity_check(db: sqlite3.Connection) -> list[str]:
    """SQLite's integrity check: ["ok"], or what is wrong.

    The check evaluates the CHECK constraints too, and Django writes regex lookups in them as
    REGEXP, a function Django's own connections define: define it here as well.
    """
    db.create_function("REGEXP", 2, _regexp, deterministic=True)
    return [row[0] for row in db.execute("PRAGMA integrity_check")]


def _sqlite_snapshot(source: str, target: Path) -> None:
    src = sqlite3.connect(source, timeout=20)
    try:
        dst = sqlite3.connect(target)
        try:
            # One step (pages=-1): one read transaction, so one consistent snapshot. Under WAL
            # the writers carry on meanwhile.
            src.backup(dst)
            # The copy is one self-contained file, not a WAL database with side files.
            dst.execute("PRAGMA journal_mode=DELETE")
            check = sqlite_integrity_check(dst)[0]
        finally:
            dst.close()
    finally:
        src.close()
    if check != "ok":  # the first problem is enough to name
        raise BackupError(f"the database copy fails SQLite's integrity check: {check}")


def _default_name() -> str:
    return datetime.datetime.now().strftime("renaksi-%Y%m%d-%H%M%S.tar.gz")


def backup_create(*, dest: Path, using: str = "default") -> BackupSummary:
    """Write one archive of the database ``using`` and the evidence files to ``dest``.

    ``dest`` is the archive's path, or an existing folder to put ``renaksi-<when>.tar.gz`` in.
    An existing file is never overwritten. The archive is written beside its final name and
    renamed when complete, so a failed or interrupted backup leaves no half archive there.
    """
    dest = Path(dest)
    if dest.is_dir():
        dest = dest / _default_name()
    if dest.exists():
        raise BackupError(f"{dest} already exists")
    if not dest.parent.is_dir():
        raise BackupError(f"{dest.parent} is not a folder")
    connection = connections[using]
    vendor = connection.vendor
    if vendor not in DB_MEMBER:
        raise BackupError(f"cannot back up a {vendor} database")

    members: dict[str, dict] = {}
    with tempfile.TemporaryDirectory(dir=dest.parent, prefix=".renaksi-backup-") as work:
        database = Path(work) / DB_MEMBER[vendor]
        if vendor == "sqlite":
            _sqlite_snapshot(str(connection.settings_dict["NAME"]), database)
        else:
            _run(
                [
                    pg_tool("pg_dump"),
                    "--format=custom",
                    "--no-owner",
                    "--no-privileges",
                    f"--file={database}",
                    str(connection.settings_dict["NAME"]),
                ],
                _pg_env(connection.settings_dict),
            )
        partial = Path(work) / "archive.tar.gz"
        with tarfile.open(partial, "w:gz") as tar:
            members[database.name] = {
                "sha256": _sha256_of(database),
                "size": database.stat().st_size,
            }
            tar.add(database, arcname=database.name)
            for name in _storage_names(default_storage):
                info = tarfile.TarInfo(MEDIA_PREFIX + name)
                info.size = default_storage.size(name)
                info.mtime = int(datetime.datetime.now().timestamp())
                with default_storage.open(name, "rb") as handle:
                    reader = _HashingReader(handle)
                    tar.addfile(info, reader)
                if reader.size != info.size:
                    raise BackupError(f"{name} changed while it was being copied")
                members[info.name] = {"sha256": reader.sha256.hexdigest(), "size": reader.size}
            manifest = json.dumps(
                {
                    "format": FORMAT,
                    "version": VERSION,
                    "created": datetime.datetime.now(datetime.UTC).isoformat(),
                    "database": {"vendor": vendor, "member": database.name},
                    "members": members,
                },
                indent=1,
                sort_keys=True,
            ).encode()
            info = tarfile.TarInfo(MANIFEST)
            info.size = len(manifest)
            info.mtime = int(datetime.datetime.now().timestamp())
            tar.addfile(info, io.BytesIO(manifest))
        os.replace(partial, dest)
    return BackupSummary(path=dest, vendor=vendor, files=len(members) - 1, size=dest.stat().st_size)


# --- Restore -----------------------------------------------------------------------------------


def _safe_member_name(name: str) -> str:
    path = PurePosixPath(name)
    if path.is_absolute() or ".." in path.parts or not path.parts or str(path) != name:
        raise BackupError(f"not a Renaksi backup: unexpected member {name!r}")
    if name != MANIFEST and name not in DB_MEMBER.values() and not name.startswith(MEDIA_PREFIX):
        raise BackupError(f"not a Renaksi backup: unexpected member {name!r}")
    return name


def _read_verified(archive: Path, staging: Path) -> dict:
    """Unpack ``archive`` into ``staging``, checking it whole; return its manifest.

    Refuses (BackupError) what is not a tar.gz, a truncated or otherwise damaged archive, an
    archive without our manifest or of another version, and any member missing, extra, or
    whose checksum differs.
    """
    found: dict[str, dict] = {}
    manifest_bytes = None
    try:
        # Opening reads the gzip header and the first tar header.
        tar = tarfile.open(archive, "r:gz")  # noqa: SIM115 (closed by the `with tar` below)
    except FileNotFoundError:
        raise BackupError(f"{archive} does not exist") from None
    except (tarfile.TarError, EOFError, zlib.error, OSError):
        raise BackupError(f"not a Renaksi backup: {archive} is not a tar.gz archive") from None
    try:
        with tar:
            for member in tar:
                name = _safe_member_name(member.name)
                if not member.isfile():
                    raise BackupError(f"not a Renaksi backup: {name!r} is not a plain file")
                if name in found or (name == MANIFEST and manifest_bytes is not None):
                    raise BackupError(f"damaged archive: {name!r} appears twice")
                source = tar.extractfile(member)
                if name == MANIFEST:
                    manifest_bytes = source.read()
                    continue
                target = staging / name
                target.parent.mkdir(parents=True, exist_ok=True)
                reader = _HashingReader(source)
                with target.open("wb") as out:
                    while chunk := reader.read(CHUNK):
                        out.write(chunk)
                found[name] = {"sha256": reader.sha256.hexdigest(), "size": reader.size}
            # tarfile stops quietly at a header it cannot read; reading the gzip stream to its
            # end makes gzip check its length and CRC, which a flipped byte or a cut fails.
            while tar.fileobj.read(CHUNK):
                pass
    except (tarfile.TarError, EOFError, zlib.error, OSError) as exc:
        raise BackupError(f"damaged archive (truncated or corrupt): {exc}") from None

    if manifest_bytes is None:
        raise BackupError(f"not a Renaksi backup: {archive} has no {MANIFEST}")
    try:
        manifest = json.loads(manifest_bytes)
    except ValueError:
        raise BackupError(f"not a Renaksi backup: {MANIFEST} is not JSON") from None
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise BackupError(f"not a Renaksi backup: {MANIFEST} does not say {FORMAT!r}")
    if manifest.get("version") != VERSION:
        raise BackupError(f"backup format version {manifest.get('version')!r} is not supported")
    listed = manifest.get("members")
    database = manifest.get("database") or {}
    if not isinstance(listed, dict) or database.get("member") not in listed:
        raise BackupError(f"damaged archive: {MANIFEST} lists no database")
    for name in sorted(set(listed) | set(found)):
        if name not in found:
            raise BackupError(f"damaged archive: {name!r} is missing")
        if name not in listed:
            raise BackupError(f"damaged archive: {name!r} is not in the manifest")
        if found[name] != listed[name]:
            raise BackupError(f"damaged archive: the checksum of {name!r} does not match")
    return manifest


def installation_has_data(using: str = "default") -> bool:
    """True when the database holds an account or any plan data, or an evidence file exists.

    Tables made by ``migrate`` and what it fills in itself (content types, permissions, the
    groups ``ensure_groups`` makes) do not count: a freshly migrated installation is empty.
    """
    connection = connections[using]
    tables = set(connection.introspection.table_names())
    models = [get_user_model(), *apps.get_app_config("renaksi").get_models()]
    for model in models:
        if model._meta.db_table in tables and model._default_manager.using(using).exists():
            return True
    return bool(_storage_names(default_storage))


def backup_restore(*, archive: Path, using: str = "default") -> BackupSummary:
    """Restore ``archive`` into this installation, which must hold no data yet.

    Everything is checked first (the archive whole, then that the installation is empty and of
    the same database kind); then the evidence files are written through the default storage
    and the database replaced. Run ``manage.py migrate`` afterwards when the archive comes from
    an older version of Renaksi.
    """
    archive = Path(archive)
    connection = connections[using]
    with tempfile.TemporaryDirectory(prefix="renaksi-restore-") as work:
        staging = Path(work)
        manifest = _read_verified(archive, staging)
        vendor = manifest["database"]["vendor"]
        if vendor != connection.vendor:
            raise BackupError(
                f"the archive holds a {vendor} database; this installation uses {connection.vendor}"
            )
        if installation_has_data(using):
            raise BackupError(
                "this installation already holds data: restore only into an empty one"
            )

        written: list[str] = []
        try:
            media = staging / MEDIA_PREFIX
            for path in (
                sorted(p for p in media.rglob("*") if p.is_file()) if media.exists() else []
            ):
                name = path.relative_to(media).as_posix()
                with path.open("rb") as handle:
                    stored = default_storage.save(name, File(handle))
                written.append(stored)
                if stored != name:
                    raise BackupError(f"the storage saved {name!r} as {stored!r}")
            _restore_database(connection, staging / manifest["database"]["member"])
        except BaseException:
            for name in written:
                default_storage.delete(name)
            raise
    return BackupSummary(
        path=archive, vendor=vendor, files=len(written), size=archive.stat().st_size
    )


def _restore_database(connection, source: Path) -> None:
    if connection.vendor == "sqlite":
        target = str(connection.settings_dict["NAME"])
        connection.close()
        src = sqlite3.connect(source)
        try:
            dst = sqlite3.connect(target, timeout=20)
            try:
                # Replaces the whole target database, tables made by migrate included.
                src.backup(dst)
                dst.execute("PRAGMA journal_mode=WAL")
            finally:
                dst.close()
        finally:
            src.close()
        return
    connection.close()
    _run(
        [
            pg_tool("pg_restore"),
            "--no-owner",
            "--no-privileges",
            # The target may hold migrate's empty tables: drop those first. One transaction:
            # a failed restore leaves the database as it was.
            "--clean",
            "--if-exists",
            "--single-transaction",
            "--exit-on-error",
            f"--dbname={connection.settings_dict['NAME']}",
            str(source),
        ],
        _pg_env(connection.settings_dict),
    )
