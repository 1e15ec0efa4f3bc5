"""User text as the export files may carry it: on one line, with nothing a reader takes for
structure, and the Content-Disposition header of a download.

A title is typed by a person (or sent through the API), so it may hold CR, LF or any other
control character. In a CMX 3600 EDL every line is a record: a title "A\\n* FROM CLIP NAME: x"
would add a comment line, or a whole event, to the edit. XML escapes markup but cannot carry
most C0 controls at all (XML 1.0 forbids them: the file would not parse), and a header value
cannot carry a line break. So every writer in exports/ passes user text through `one_line`
here, at the boundary, whatever the storyboard's own checks let in.

Pure: no settings, so the timeline and sheet builders stay testable from plain data.
"""

import re

from django.utils.http import content_disposition_header

# Each run of these becomes one space: every Unicode control character (category Cc: C0 with
# \t \n \v \f \r and the separators \x1c-\x1e, DEL, and C1 with NEL \x85), the line and
# paragraph separators \u2028 and \u2029 (which str.splitlines and JavaScript break on), lone
# surrogates and the non-characters U+FFFE and U+FFFF (none of which XML 1.0 allows).
LINE_BREAKING = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff\ufffe\uffff]+")


def one_line(text: str | None) -> str:
    """The text with each run of control characters and line separators folded to a space."""
    return LINE_BREAKING.sub(" ", text or "")


def attachment(file_name: str) -> str:
    """The Content-Disposition value of a download named `file_name`: one line, quoted, and a
    UTF-8 `filename*` for names beyond ASCII (a raw one would be MIME-encoded by Django, which
    browsers do not read in this header)."""
    return content_disposition_header(as_attachment=True, filename=one_line(file_name))
