"""The API's JSON parser: a body nested too deeply for Python's decoder is a 400 (issue 9)."""

from django.utils.translation import gettext as _
from rest_framework import parsers
from rest_framework.exceptions import ParseError


class JSONParser(parsers.JSONParser):
    """DRF's parser, which turns a ValueError into a 400 but let the decoder's RecursionError
    (a few thousand nested brackets) through as a server error."""

    def parse(self, stream, media_type=None, parser_context=None):
        try:
            return super().parse(stream, media_type, parser_context)
        except RecursionError:
            raise ParseError(_("JSON parse error - the body is nested too deeply.")) from None
