"""Write a file so that a failure at any point leaves the old file whole.

The data goes to a temporary file beside the target (same folder, so same file system), is
flushed and fsynced, and only then renamed over the target with ``os.replace``, which is atomic
on POSIX and Windows. A crash before the rename leaves at worst a stray ``.name.*.tmp`` file,
which the next save of the same file removes once it is a minute old.
A device or a pipe (``/dev/null``, ``/dev/stdout``) has no old contents to keep: it is written in
place, never replaced.
"""

from __future__ import annotations

import os
import re
import stat
import tempfile
import time

from .errors import FormatError


class SaveError(FormatError):
    """A file could not be written; the old file, if any, is unchanged."""


def _reason(err: OSError) -> str:
    text = err.strerror or str(err) or type(err).__name__
    return text[:1].lower() + text[1:]


def _kept(target: str) -> str:
    return "the existing file is unchanged" if os.path.exists(target) else "nothing was written"


def _mode_for(target: str) -> int:
    try:
        return stat.S_IMODE(os.stat(target).st_mode)
    except OSError:  # a new file: what open() would give it under the current umask
        mask = os.umask(0)
        os.umask(mask)
        return 0o666 & ~mask


def write_atomic(path, data: str | bytes, what: str = "file") -> None:
    """Replace ``path`` with ``data`` atomically. Raises ``SaveError`` saying what happened."""
    shown = os.fspath(path)
    if "\0" in (shown if isinstance(shown, str) else shown.decode("utf-8", "replace")):
        raise SaveError(f"cannot save {what} {shown!r}: a file name cannot contain a NUL character; "
                        "nothing was written")
    # Write through a symlink rather than replacing the link with a plain file.
    target = os.path.realpath(shown)
    folder = os.path.dirname(target) or "."
    try:
        payload = data.encode("utf-8") if isinstance(data, str) else data
    except UnicodeEncodeError as err:  # a lone surrogate (U+D800) is text Python holds but UTF-8 cannot
        raise SaveError(f"cannot save {what} {shown}: the text contains {err.object[err.start]!r}, which is "
                        f"not a character UTF-8 can write; {_kept(target)}") from None
    if os.path.isdir(target):
        raise SaveError(f"cannot save {shown}: it is a folder")
    if _is_stream(shown):
        _write_stream(shown, payload, what)
        return
    tmp = None
    try:
        fd, tmp = tempfile.mkstemp(dir=folder, prefix="." + os.path.basename(target) + ".", suffix=".tmp")
        with os.fdopen(fd, "wb") as f:
            f.write(payload)
            f.flush()
            os.fsync(f.fileno())
        os.chmod(tmp, _mode_for(target))
        os.replace(tmp, target)
        tmp = None
        _remove_stale(folder, os.path.basename(target))
    except OSError as err:
        raise SaveError(f"cannot save {what} {shown}: {_reason(err)}; {_kept(target)}") from None
    finally:
        if tmp is not None:
            try:
                os.unlink(tmp)
            except OSError:
                pass
    _sync_folder(folder)


STALE_SECONDS = 60  # a temporary file this old is left by a save that was killed, not one under way
_TMP_NAME = re.compile(r"\.(?P<base>.+)\.[A-Za-z0-9_]{8}\.tmp")  # what mkstemp makes from our prefix


def _remove_stale(folder: str, base: str) -> None:
    """Remove what killed saves of ``base`` left beside it (``.NAME.json.x1y2z3w4.tmp``): only
    regular files of that exact pattern, our own, untouched for ``STALE_SECONDS``. Best effort."""
    prefix = "." + base + "."
    try:
        entries = [e for e in os.scandir(folder) if e.name.startswith(prefix) and e.name.endswith(".tmp")]
    except OSError:
        return
    now = time.time()
    for entry in entries:
        match = _TMP_NAME.fullmatch(entry.name)
        if match is None or match["base"] != base:
            continue
        try:
            info = entry.stat(follow_symlinks=False)
            if (stat.S_ISREG(info.st_mode) and now - info.st_mtime > STALE_SECONDS
                    and (not hasattr(os, "getuid") or info.st_uid == os.getuid())):
                os.unlink(entry.path)
        except OSError:
            pass


def _is_stream(path: str) -> bool:
    """A device, pipe or socket (``/dev/null``, ``/dev/stdout``, a FIFO): written in place. Renaming
    a file over it would replace ``/dev/null`` itself for every program on the machine (as root),
    and ``/dev/stdout`` resolves to a pipe that has no folder to put a temporary file in."""
    try:
        mode = os.stat(path).st_mode
    except (OSError, ValueError):
        return False
    return not (stat.S_ISREG(mode) or stat.S_ISDIR(mode))


def _write_stream(path: str, payload: bytes, what: str) -> None:
    try:
        with open(path, "wb") as f:
            f.write(payload)
    except OSError as err:
        raise SaveError(f"cannot save {what} {path}: {_reason(err)}") from None


def _sync_folder(folder: str) -> None:
    """Make the rename itself durable (POSIX); best effort, the data is already safe."""
    if os.name != "posix":
        return
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)
