"""Request parsing: JSON within Django's request size limit, and multipart parsing that refuses
hostile file names instead of quietly repairing them.

REST framework's JSON parser reads the whole body whatever its size; Django's own limit
(DATA_UPLOAD_MAX_MEMORY_SIZE) only guards ``request.body`` and form fields. A JSON body over it
gets the same 413 as an oversized form.

Django's parser strips folders and control characters from upload names. A name like
``../../x.jpg`` or one with a right-to-left override is never an accident, so the client gets a
400 that says what is wrong (and nothing is stored), as for any other bad input.
"""

from __future__ import annotations

import html
from typing import Any

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.http.multipartparser import MultiPartParser as DjangoMultiPartParser
from django.http.multipartparser import MultiPartParserError
from rest_framework.exceptions import ParseError
from rest_framework.parsers import (  # type: ignore[attr-defined]  # not in the stubs
    DataAndFiles,
    JSONParser,
    MultiPartParser,
    get_encoding,
)

from projects.errors import ProjectsError, UploadRejected
from projects.filenames import clean_filename


class LimitedJSONParser(JSONParser):
    def parse(self, stream: Any, media_type: str | None = None, parser_context: Any = None) -> Any:
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        request = (parser_context or {}).get("request")
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0) if request else 0
        except ValueError:
            length = 0
        if limit is not None and length > limit:
            raise RequestDataTooBig("Request body exceeded settings.DATA_UPLOAD_MAX_MEMORY_SIZE.")
        return super().parse(stream, media_type, parser_context)


class _NameCheckingParser(DjangoMultiPartParser):
    def __init__(self, *args: Any, error: type[ProjectsError] = UploadRejected) -> None:
        super().__init__(*args)
        self.error = error  # the view's own kind of refusal: a photo's, a track's

    def sanitize_file_name(self, file_name: str) -> str | None:
        try:
            clean_filename(html.unescape(file_name))
        except UploadRejected as exc:
            raise self.error(exc.message, fields={"file": [exc.message]}) from None
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
            error = getattr(context.get("view"), "file_error", UploadRejected)
            parser = _NameCheckingParser(
                meta, stream, request.upload_handlers, encoding, error=error
            )
            data, files = parser.parse()
        except MultiPartParserError as exc:
            raise ParseError(f"Multipart form parse error - {exc}") from exc
        return DataAndFiles(data, files)
