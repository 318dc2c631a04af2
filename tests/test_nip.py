import pytest
from django.core.exceptions import ValidationError

from renaksi.nip import format_nip, validate_nip


def test_it_prints_a_nip_in_8_6_1_3_groups():
    assert format_nip("196812101989021002") == "19681210 198902 1 002"


def test_it_accepts_a_nip_typed_with_spaces():
    validate_nip("19681210 198902 1 002")


@pytest.mark.parametrize(
    ("nip", "code"),
    [
        ("19681210198902100", "nip_length"),  # 17 digits
        ("1968121019890210021", "nip_length"),  # 19 digits
        ("19681210198902100X", "nip_length"),
        ("196813101989021002", "nip_birth"),  # month 13
        ("196802301989021002", "nip_birth"),  # 30 February
        ("196812101989131002", "nip_tmt"),  # TMT month 13
        ("196812101960021002", "nip_tmt"),  # started work before birth
        ("196812101989023002", "nip_sex"),  # sex digit 3
        ("196812101989021000", "nip_sequence"),
    ],
)
def test_it_refuses_an_impossible_nip(nip, code):
    with pytest.raises(ValidationError) as caught:
        validate_nip(nip)
    assert caught.value.code == code


@pytest.mark.parametrize("nip", ["19681210 198⁹02 1 002", "１９６８１２１０１９８９０２１００２"])
def test_it_refuses_digits_that_are_not_plain_ascii(nip):
    with pytest.raises(ValidationError) as caught:
        validate_nip(nip)
    assert caught.value.code == "nip_length"
