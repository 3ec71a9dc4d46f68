"""Writing files so that they are complete or absent."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable
from pathlib import Path


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
