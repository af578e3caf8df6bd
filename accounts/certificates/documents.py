"""A certificate's document is a PDF, a JPEG or a PNG by its content, and not too large.

The file's name and the browser's content type are the sender's word; the first bytes are
not. puremagic (a maintained, pure-Python reading of the file-signature tables ``file(1)``
uses) names the format from them, so "scan.pdf" that is really a Word file is refused.
"""

from __future__ import annotations

import puremagic
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

ACCEPTED = {
    "application/pdf": ".pdf",
    "image/jpeg": ".jpg",
    "image/png": ".png",
}
# Enough for every signature of the accepted formats (they sit at the start of the file).
HEAD_BYTES = 4096


def sniff(head: bytes) -> str | None:
    """The MIME type the first bytes say, or None when no signature matches."""
    if not head:
        return None
    try:
        return puremagic.from_string(head, mime=True) or None
    except puremagic.PureError:
        return None


def max_bytes() -> int:
    return settings.CERTIFICATE_MAX_BYTES


def _refuse(message: str, code: str) -> ValidationError:
    return ValidationError({"document": ValidationError(message, code=code)})


def check_document(upload) -> str:
    """Refuse a document that is empty, over the size limit or not PDF/JPEG/PNG by content.

    Returns the extension matching its content (the stored name uses it, never the sender's).
    """
    limit = max_bytes()
    if upload.size is not None and upload.size > limit:
        megabytes = f"{limit / (1024 * 1024):g}"
        raise _refuse(
            _("The document is larger than %(limit)s MB.") % {"limit": megabytes}, "too_large"
        )
    upload.seek(0)
    head = upload.read(HEAD_BYTES)
    upload.seek(0)
    if not head:
        raise _refuse(_("The document is empty."), "empty")
    kind = sniff(head)
    if kind not in ACCEPTED:
        raise _refuse(
            _("The document must be a PDF, JPEG or PNG file (judged by its content)."),
            "wrong_type",
        )
    return ACCEPTED[kind]


CONTENT_TYPES = {extension: kind for kind, extension in ACCEPTED.items()}


def document_response(certificate):
    """Stream the stored document through the storage API, typed by its checked extension."""
    from pathlib import PurePath

    from django.http import FileResponse, Http404

    name = certificate.document.name
    extension = PurePath(name).suffix.lower()
    if not name or extension not in CONTENT_TYPES:
        raise Http404
    try:
        handle = certificate.document.storage.open(name, "rb")
    except FileNotFoundError:
        raise Http404 from None
    from django.utils.text import slugify

    filename = (
        f"{certificate.scheme.code}-{slugify(certificate.number) or certificate.pk}{extension}"
    )
    return FileResponse(
        handle, content_type=CONTENT_TYPES[extension], filename=filename, as_attachment=False
    )
