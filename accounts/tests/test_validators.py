import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from accounts.validators import validate_phone, validate_tax_code

# Messages are compared in English; the Vietnamese one is checked on its own.
pytestmark = pytest.mark.usefixtures("english")

TAX_MESSAGE = "A tax code is 10 digits, or 13 digits for a branch (e.g. 0301234567-001)."
PHONE_MESSAGE = "Enter a phone number of 8 to 15 digits, e.g. 028 3823 6767 or +84 28 3823 6767."


@pytest.mark.parametrize("value", ["0301234567", "0301234567-001", "0301234567001"])
def test_tax_code_accepts_10_or_13_digits(value):
    validate_tax_code(value)


@pytest.mark.parametrize(
    "value",
    [
        "",
        "030123456",  # 9 digits
        "03012345678",  # 11 digits
        "0301234567-01",  # branch suffix too short
        "0301234567-0011",
        "03012345670011",  # 14 digits
        "030123456a",
        "0301 234 567",
        " 0301234567",
        "0301234567-",
    ],
)
def test_tax_code_rejects_anything_else_with_the_message(value):
    with pytest.raises(ValidationError) as exc:
        validate_tax_code(value)
    assert exc.value.code == "invalid_tax_code"
    assert exc.value.messages == [TAX_MESSAGE]


@pytest.mark.parametrize(
    "value",
    ["028 3823 6767", "+84 28 3823 6767", "0905.123.456", "(0262) 3812 345", "0912345678"],
)
def test_phone_accepts_common_vietnamese_formats(value):
    validate_phone(value)


@pytest.mark.parametrize(
    "value",
    [
        "",
        "1234567",  # 7 digits
        "12-34-56",
        "+84 (0) --- ---",  # punctuation, too few digits
        "0905 123 456 ext 2",  # letters
        "0905123456789012345678",  # too long
        "+84 28 3823 6767 #",
    ],
)
def test_phone_rejects_with_the_message(value):
    with pytest.raises(ValidationError) as exc:
        validate_phone(value)
    assert exc.value.code == "invalid_phone"
    assert exc.value.messages == [PHONE_MESSAGE]


def test_an_organization_with_a_bad_tax_code_does_not_validate():
    from accounts.models import Organization

    organization = Organization(name="HTX", kind="cooperative", tax_code="123")
    with pytest.raises(ValidationError) as exc:
        organization.full_clean(exclude=["province"])
    assert exc.value.message_dict["tax_code"] == [TAX_MESSAGE]


def test_the_tax_code_message_is_vietnamese_by_default():
    with translation.override("vi"):
        with pytest.raises(ValidationError) as exc:
            validate_tax_code("123")
        assert exc.value.messages[0].startswith("Mã số thuế")
