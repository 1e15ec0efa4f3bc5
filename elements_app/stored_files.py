"""Files written alongside a transaction: kept if it commits, removed if it does not.

A checked upload is saved under its final name inside the transaction that creates its row;
should the transaction fail, the file goes too, so no file is left without a row. Files a
change replaces are removed only after the commit, so no row is left without its file.
"""

from collections.abc import Iterator
from contextlib import contextmanager

from django.core.files.base import ContentFile, File
from django.core.files.storage import default_storage
from django.db import transaction


class FileBatch:
    def __init__(self) -> None:
        self.saved: list[str] = []

    def save(self, field_file, name: str, content: bytes) -> None:
        """Store `content` in a model's FileField (not saving the row) and remember it."""
        field_file.save(name, ContentFile(content), save=False)
        self.saved.append(field_file.name)

    def save_from_path(self, field_file, name: str, path: str) -> None:
        """Like `save`, streaming from a file on disk (large uploads stay out of memory)."""
        with open(path, "rb") as source:
            field_file.save(name, File(source), save=False)
        self.saved.append(field_file.name)

    def remove_after_commit(self, name: str) -> None:
        remove_after_commit(name)


def remove_after_commit(name: str) -> None:
    """Delete a stored file once the current transaction commits (not at all if it fails)."""
    if name:
        transaction.on_commit(lambda: default_storage.delete(name))


@contextmanager
def file_batch() -> Iterator[FileBatch]:
    """Use inside `transaction.atomic()`: files saved through the batch vanish on failure."""
    batch = FileBatch()
    try:
        yield batch
    except BaseException:
        for name in batch.saved:
            default_storage.delete(name)
        raise
