"""Multipart parsing that refuses hostile file names instead of quietly repairing them.

Django's parser strips folders and control characters from upload names. A name like
``../../x.jpg`` or one with a right-to-left override is never an accident, so the client gets a
400 that says what is wrong (and nothing is stored), as for any other bad input.
"""

from __future__ import annotations

import html
from typing import Any

from django.http.multipartparser import MultiPartParser as DjangoMultiPartParser
from django.http.multipartparser import MultiPartParserError
from rest_framework.exceptions import ParseError
from rest_framework.parsers import (  # type: ignore[attr-defined]  # not in the stubs
    DataAndFiles,
    MultiPartParser,
    get_encoding,
)

from projects.filenames import clean_filename


class _NameCheckingParser(DjangoMultiPartParser):
    def sanitize_file_name(self, file_name: str) -> str | None:
        clean_filename(html.unescape(file_name))  # raises UploadRejected with the reason
        return super().sanitize_file_name(file_name)  # type: ignore[no-any-return]


class StrictMultiPartParser(MultiPartParser):
    def parse(
        self, stream: Any, media_type: str | None = None, parser_context: Any = None
    ) -> DataAndFiles:
        # DRF's MultiPartParser.parse with Django's parser swapped for the checking one.
        context = parser_context or {}
        request = context["request"]
        meta = request.META.copy()
        meta["CONTENT_TYPE"] = media_type
        encoding = get_encoding(context)
        try:
            parser = _NameCheckingParser(meta, stream, request.upload_handlers, encoding)
            data, files = parser.parse()
        except MultiPartParserError as exc:
            raise ParseError(f"Multipart form parse error - {exc}") from exc
        return DataAndFiles(data, files)
