import base64
import datetime
import io
import struct
import zlib

import factory
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile

from accounts.models import OFFICERS_GROUP, Certificate, Membership, Organization
from catalog.models import Certification
from catalog.tests.factories import ProvinceFactory

PASSWORD = "Kh0ng-de-doan!"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.vn")

    @factory.post_generation
    def password(self, create, extracted, **kwargs):
        self.set_password(extracted or PASSWORD)
        if create:
            self.save(update_fields=["password"])


class OrganizationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organization

    name = factory.Sequence(lambda n: f"Hợp tác xã số {n}")
    kind = Organization.Kind.COOPERATIVE
    province = factory.SubFactory(ProvinceFactory)
    contact_person = "Nguyễn Văn A"
    phone = "0262 3812 345"
    email = factory.Sequence(lambda n: f"lienhe{n}@example.vn")


def member_of(organization, user=None, role=Membership.Role.OWNER):
    user = user or UserFactory()
    Membership.objects.get_or_create(user=user, organization=organization, defaults={"role": role})
    return user


def make_officer(username="officer"):
    user = UserFactory(username=username, is_staff=True)
    group, _ = Group.objects.get_or_create(name=OFFICERS_GROUP)
    user.groups.add(group)
    return user


# --- certificates: real files of each accepted format, and real files of other formats ------


def signup_data(**overrides) -> dict:
    """A valid POST of the sign-up page (an English-speaking cooperative)."""
    data = {
        "username": "htx_eatu",
        "email": "lienhe@eatu.vn",
        "password1": "Ca-phe-Ea-Tu-2025",
        "password2": "Ca-phe-Ea-Tu-2025",
        "preferred_language": "en",
    }
    data.update(overrides)
    return data


def _png() -> bytes:
    """A real 1×1 PNG (signature, IHDR, IDAT, IEND with their CRCs)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    pixels = zlib.compress(b"\x00\xff\x00\x00")
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")
    )


def _pdf() -> bytes:
    """A real one-page PDF with its cross-reference table."""
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 100] >>",
    ]
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)


# The smallest complete baseline JPEG (1×1, grey), as commonly published.
_JPEG = base64.b64decode(
    "/9j/4AAQSkZJRgABAQEASABIAAD/2wBDAP//////////////////////////////////////////////////"
    "////////////////////////////////////wgALCAABAAEBAREA/8QAFBABAAAAAAAAAAAAAAAAAAAAAP/a"
    "AAgBAQABPxA="
)


def _xlsx() -> bytes:
    """A real spreadsheet (an Office Open XML zip), the kind of file sent by mistake."""
    from openpyxl import Workbook

    book = Workbook()
    book.active["A1"] = "Giấy chứng nhận"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _gif() -> bytes:
    """A real 1×1 GIF: an image, but not one of the accepted formats."""
    return (
        b"GIF89a\x01\x00\x01\x00\x80\x00\x00\x00\x00\x00\xff\xff\xff!\xf9\x04\x01\x00\x00\x00"
        b"\x00,\x00\x00\x00\x00\x01\x00\x01\x00\x00\x02\x02D\x01\x00;"
    )


DOCUMENTS = {
    "pdf": (_pdf, "application/pdf"),
    "png": (_png, "image/png"),
    "jpeg": (lambda: _JPEG, "image/jpeg"),
    "xlsx": (_xlsx, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    "gif": (_gif, "image/gif"),
    "html": (lambda: b"<!DOCTYPE html><html><body>VietGAP</body></html>", "text/html"),
}


def document_file(kind: str = "pdf", name: str | None = None, content_type: str | None = None):
    """An upload of a real file of ``kind``; ``name``/``content_type`` may lie about it."""
    make, real_type = DOCUMENTS[kind]
    return SimpleUploadedFile(
        name or f"chung-nhan.{kind}", make(), content_type=content_type or real_type
    )


class CertificateFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Certificate
        skip_postgeneration_save = True

    organization = factory.SubFactory(OrganizationFactory)
    scheme = factory.LazyFunction(
        lambda: Certification.objects.get_or_create(
            code="vietgap", defaults={"name": "VietGAP", "name_en": "VietGAP"}
        )[0]
    )
    number = factory.Sequence(lambda n: f"VietGAP-TT-{n:04d}")
    issuer = "Trung tâm Chứng nhận Phù hợp (QUACERT)"
    issued_on = factory.LazyFunction(lambda: datetime.date.today() - datetime.timedelta(days=200))
    valid_until = factory.LazyFunction(lambda: datetime.date.today() + datetime.timedelta(days=500))
    document = factory.LazyFunction(lambda: document_file("pdf"))
    state = Certificate.State.SUBMITTED
