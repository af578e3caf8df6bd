"""A document is judged by its content: real files of other formats, renamed, are refused."""

import pytest
from django.core.exceptions import ValidationError

from accounts.certificates.documents import check_document
from accounts.tests.factories import document_file


@pytest.mark.parametrize(
    ("kind", "extension"), [("pdf", ".pdf"), ("png", ".png"), ("jpeg", ".jpg")]
)
def test_accepted_formats_are_recognised_whatever_their_name(kind, extension):
    upload = document_file(kind, name="scan.docx", content_type="application/octet-stream")

    assert check_document(upload) == extension
    assert upload.tell() == 0  # the caller stores the whole file afterwards


@pytest.mark.parametrize(
    ("kind", "name", "claimed"),
    [
        ("xlsx", "giay-chung-nhan.pdf", "application/pdf"),
        ("gif", "anh.png", "image/png"),
        ("html", "chung-nhan.jpg", "image/jpeg"),
    ],
)
def test_other_formats_renamed_are_refused(kind, name, claimed):
    with pytest.raises(ValidationError) as caught:
        check_document(document_file(kind, name=name, content_type=claimed))

    assert caught.value.error_dict["document"][0].code == "wrong_type"
    assert "PDF, JPEG hoặc PNG" in caught.value.message_dict["document"][0]  # in Vietnamese


def test_a_file_over_the_limit_is_refused(settings):
    upload = document_file("pdf")
    settings.CERTIFICATE_MAX_BYTES = upload.size - 1

    with pytest.raises(ValidationError) as caught:
        check_document(upload)

    assert caught.value.error_dict["document"][0].code == "too_large"


def test_an_empty_file_is_refused():
    upload = document_file("pdf")
    upload.file.truncate(0)
    upload.size = 0

    with pytest.raises(ValidationError) as caught:
        check_document(upload)

    assert caught.value.error_dict["document"][0].code == "empty"
