"""Writing files so that they are complete or absent."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable
from pathlib import Path

from narod.errors import NarodError


def write_atomic(path: Path, write: Callable[[str], object]) -> None:
    """Write ``path`` through ``write(temporary_path)`` and a rename.

    A reader (or a resumed experiment) never sees half a file: a crash leaves only a hidden
    ``.name.*`` temporary. The file gets the usual permissions (0666 less the umask), not the
    owner-only ones of a temporary file.
    """
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    os.close(fd)
    try:
        write(tmp)
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)
        os.replace(tmp, path)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)


def read_parquet(path: Path):
    """A Parquet file as an Arrow table; a missing or damaged file is a :class:`NarodError`
    naming it."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    try:
        return pq.read_table(path)
    except (pa.ArrowException, OSError) as exc:
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise NarodError(f"{path}: cannot read it as Parquet ({first})") from None


def read_text(path: Path) -> str:
    """A text file of a run folder; a missing or damaged one is a :class:`NarodError`."""
    try:
        return Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise NarodError(f"{path}: cannot read it as text ({exc})") from None


def read_csv_rows(path: Path) -> list[dict[str, str]]:
    """The rows of a CSV file of a run folder, as text; a damaged one is a :class:`NarodError`."""
    from narod.world.places import read_rows

    return read_rows(Path(path), ())
