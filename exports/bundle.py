"""The export as a zip: the edit's file and, when asked, the chosen takes' media under
`media/`, where the edit's relative references point, so the folder opens as it is.

The zip is written to a temporary file and handed back open at its start, for the response to
stream: a project's media can be far larger than a worker's memory. Its names are on one line
(exports/plain_text.py): an unzip tool lists them, and some write them to a terminal.
"""

import tempfile
import zipfile
from pathlib import Path
from typing import IO

from exports.edit import MEDIA_DIR
from exports.plain_text import one_line

# Past this size a zip in memory would be a risk; the temporary file spills to disk.
SPOOL_MAX_BYTES = 8 * 1024 * 1024


def media_files(reel: dict) -> list[tuple[Path, str]]:
    """(file on disk, name in the zip) of each take the edit references."""
    files = []
    for sequence in reel["sequences"]:
        take = sequence["take"]
        if take is not None and Path(take["path"]).is_file():
            files.append((Path(take["path"]), f"{MEDIA_DIR}/{take['media_name']}"))
    return files


def bundle(reel: dict, edit_name: str, edit_text: str, with_media: bool) -> IO[bytes]:
    """The zip, open for reading from its start; closing it deletes it."""
    # Not a `with`: the response closes it once it is sent.
    out = tempfile.SpooledTemporaryFile(max_size=SPOOL_MAX_BYTES)  # noqa: SIM115
    try:
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
            archive.writestr(one_line(edit_name), edit_text)
            if with_media:
                for path, name in media_files(reel):
                    # Video is compressed already: deflating it again costs time for nothing.
                    archive.write(path, one_line(name), compress_type=zipfile.ZIP_STORED)
    except BaseException:
        out.close()
        raise
    out.seek(0)
    return out
