"""File version keys for the loaders of users' dictionaries (cache once per file version)."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from newsevents.errors import Errors, NewsEventsError

__all__ = ["FileKey", "file_keys"]

FileKey = tuple[str, int, int]
"""(resolved path, modification time in ns, size): a changed file gets a new key."""


def file_keys(paths: Iterable[str | Path]) -> tuple[FileKey, ...]:
    """Keys for these files; ``E107`` names the first one that cannot be opened."""
    keys: list[FileKey] = []
    for path in paths:
        p = Path(path)
        try:
            st = p.stat()
        except OSError as exc:
            raise NewsEventsError(Errors.E107, path=str(p), detail=exc.strerror or str(exc)) from exc
        keys.append((str(p.resolve()), st.st_mtime_ns, st.st_size))
    return tuple(keys)
