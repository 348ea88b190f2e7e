"""Evidence files stored together with their rows, or not at all, whatever moment the
server process is killed at (SIGKILL, OOM killer, power cut).

A file cannot join a database transaction, so the order of steps makes the difference:

1. `stage()` writes the upload to `<name>.pending` (created exclusively, fsynced), then
   hard-links it to its final `<name>` (os.link never overwrites: a taken name is detected
   atomically) and fsyncs the folder. The file is complete under its name *before* the
   row that references it is committed, so a committed row always has its whole file.
2. The caller inserts the EvidenceFile row naming `<name>` in its transaction and
   registers `settle()` with transaction.on_commit: once the row is committed, the
   `.pending` marker is removed.

So at any moment, and after any crash:
- every row's file is complete under its name;
- a file without a row (its transaction rolled back or never committed) still has its
  `.pending` marker beside it: it is never mistaken for stored evidence.

A rollback that Python sees (an exception) removes the staged files at once (`discard()`).
What a killed process leaves behind is settled by `manage.py clean_pending_uploads` (cron,
see README): a marker older than N minutes whose row exists is removed (the crash hit
between the commit and `settle`), otherwise the file and its marker are deleted.

PRIVATE_MEDIA_ROOT must be on a local filesystem with hard links (ext4, xfs, …).
"""

import hashlib
import logging
import os
import time
from pathlib import Path

logger = logging.getLogger(__name__)

PENDING_SUFFIX = ".pending"


def _fsync_folder(folder):
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _alternative(storage, name, max_length):
    """`name` with a random suffix (Django's pattern), short enough for the field."""
    folder, base = os.path.split(name)
    root, ext = os.path.splitext(base)
    room = max_length - len(folder) - len(ext) - 9  # "/" + "_" + 7 random characters
    return os.path.join(folder, storage.get_alternative_name(root[: max(room, 1)], ext))


def stage(field, upload):
    """Write `upload` for the FileField `field` (evidence): returns (name, sha256 hex).
    The file is complete and durable under `name`, with its `.pending` marker, until
    `settle([name])` after the commit or `discard([name])` after a rollback."""
    storage = field.storage
    name = storage.get_available_name(field.generate_filename(None, upload.name), field.max_length)
    folder = Path(storage.path(name)).parent
    # Every new level with the storage's folder mode (0700 for private files), as its save() does.
    folder_mode = storage.directory_permissions_mode or 0o777
    for level in reversed([folder, *folder.parents]):
        if not level.exists():
            level.mkdir(mode=folder_mode, exist_ok=True)
    mode = storage.file_permissions_mode
    while True:
        final = storage.path(name)
        marker = final + PENDING_SUFFIX
        try:
            fd = os.open(marker, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), 0o666)
        except FileExistsError:  # another upload is staging the same name right now
            name = _alternative(storage, name, field.max_length)
            continue
        try:
            digest = hashlib.sha256()
            with os.fdopen(fd, "wb") as out:
                upload.seek(0)
                for chunk in upload.chunks():
                    digest.update(chunk)
                    out.write(chunk)
                out.flush()
                os.fsync(out.fileno())
            if mode is not None:
                os.chmod(marker, mode)
            os.link(marker, final)
        except FileExistsError:  # the name was taken (stored evidence): try another
            os.unlink(marker)
            name = _alternative(storage, name, field.max_length)
            continue
        except BaseException:
            Path(marker).unlink(missing_ok=True)
            raise
        _fsync_folder(folder)
        upload.seek(0)
        return name, digest.hexdigest()


def settle(storage, names):
    """The rows naming `names` are committed: remove their markers."""
    for name in names:
        try:
            Path(storage.path(name) + PENDING_SUFFIX).unlink(missing_ok=True)
        except OSError:
            # Harmless: clean_pending_uploads removes the marker of a committed row later.
            logger.exception("Could not remove the pending marker of %s", name)


def discard(storage, names):
    """The rows naming `names` were rolled back: remove the files and their markers."""
    for name in names:
        final = storage.path(name)
        Path(final).unlink(missing_ok=True)  # the file first: a marker alone is settled later
        Path(final + PENDING_SUFFIX).unlink(missing_ok=True)


def clean_pending(storage, is_stored, older_than_seconds):
    """Settle the markers older than `older_than_seconds` that a killed process left:
    `is_stored(name)` says whether a committed row names the file. Returns (kept, removed):
    files whose row exists (marker removed), and files deleted with their marker."""
    root = Path(storage.location)
    if not root.is_dir():
        return 0, 0
    cutoff = time.time() - older_than_seconds
    kept = removed = 0
    for marker in sorted(root.rglob("*" + PENDING_SUFFIX)):
        try:
            if marker.lstat().st_mtime > cutoff:
                continue  # possibly a request still in progress
        except FileNotFoundError:
            continue
        final = marker.with_name(marker.name[: -len(PENDING_SUFFIX)])
        name = final.relative_to(root).as_posix()
        if is_stored(name):
            kept += 1
        else:
            # Only the file this marker staged: the same inode (never another's evidence).
            if final.exists() and os.path.samefile(final, marker):
                final.unlink()
            removed += 1
        marker.unlink(missing_ok=True)
    return kept, removed
