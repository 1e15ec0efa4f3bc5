"""Request parsers of the API: DRF's, with a 400 rather than a 500 for JSON nested too deeply."""

from rest_framework import parsers
from rest_framework.exceptions import ParseError


class JSONParser(parsers.JSONParser):
    def parse(self, stream, media_type=None, parser_context=None):
        try:
            return super().parse(stream, media_type, parser_context)
        except RecursionError:
            # Python's decoder gives up on a few thousand nested arrays or objects.
            raise ParseError("JSON parse error - the document is nested too deeply.") from None
