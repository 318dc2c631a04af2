"""Numbers read as typed and shown rounded, in the active language's way: Indonesian with a
decimal comma and dots for thousands ("1.234,5"), English with a decimal point and commas
("1,234.5")."""

import re
from decimal import ROUND_HALF_UP, Decimal

from django.utils.translation import get_language
from django.utils.translation import gettext as _

# ASCII digits only: "٢٦" or "２６" are digits to Python's \d and to Decimal, but no one here
# types them, and the page and the spreadsheet must agree on what a number is.
PLAIN_NUMBER = re.compile(r"^[+-]?(?:[0-9]+(?:[.,][0-9]+)?|[.,][0-9]+)$")  # 26 · 26,5 · 26.5 · ,5
GROUPED_NUMBER = re.compile(r"^[+-]?[0-9]{1,3}(?:\.[0-9]{3})+(?:,[0-9]+)?$")  # 1.234.567 · 1.234,5
# "1.500" is 1500 to whoever reads our pages (thousands grouped with dots) and 1.5 to whoever
# types a decimal point: refused rather than guessed, since a wrong guess is off by 1000.
AMBIGUOUS_NUMBER = re.compile(r"^[+-]?[1-9][0-9]{0,2}\.[0-9]{3}$")


class AmbiguousNumber(ValueError):
    """A number like "1.500" that reads as 1500 or as 1.5."""


def ambiguous_message(text: str) -> str:
    return _("«%(v)s» bisa berarti %(ribuan)s atau %(desimal)s; tulis salah satunya.") % {
        "v": text,
        "ribuan": text.replace(".", ""),
        "desimal": text.replace(".", ",").rstrip("0").rstrip(","),
    }


# (decimal separator, thousands separator) per language; any other language shows Indonesian.
SEPARATORS = {"id": (",", "."), "en": (".", ",")}


def separators(language: str | None = None) -> tuple[str, str]:
    """The decimal and thousands separators of ``language`` (default: the active one)."""
    code = (language or get_language() or "id").split("-")[0].lower()
    return SEPARATORS.get(code, SEPARATORS["id"])


def format_number(
    value: Decimal | int | float, decimals: int = 2, language: str | None = None
) -> str:
    """``Decimal("26.50")`` → ``"26,5"``; ``1234.5`` → ``"1.234,5"`` (in English ``"26.5"``,
    ``"1,234.5"``), in the active language unless ``language`` is given.

    Rounding is for display only; stored values keep their precision.
    """
    decimal_sep, group_sep = separators(language)
    quantum = Decimal(1).scaleb(-decimals)
    rounded = Decimal(str(value)).quantize(quantum, rounding=ROUND_HALF_UP)
    sign = "-" if rounded < 0 else ""
    whole, _, fraction = f"{abs(rounded):f}".partition(".")
    groups = []
    while len(whole) > 3:
        groups.insert(0, whole[-3:])
        whole = whole[:-3]
    groups.insert(0, whole)
    fraction = fraction.rstrip("0")
    return sign + group_sep.join(groups) + (decimal_sep + fraction if fraction else "")


def number_parse(text: str) -> Decimal | None:
    """Typed text as a Decimal, the same rule on the page and in the spreadsheet; "" is None.

    Both "26,5" and "26.5" mean 26.5. A single dot is a decimal point (people type "26.5" as
    often as "26,5"); dots only group thousands when there are several or a comma follows, as
    in "1.234.567" or "1.234,5"; "1.500", which could be either, raises AmbiguousNumber.
    Spaces and a trailing "%" are ignored: the unit is shown beside the field. "-0" is 0.
    Anything else raises ValueError; range and decimals are the caller's.
    """
    text = text.strip().replace("\u00a0", "").replace(" ", "").removesuffix("%")
    if not text:
        return None
    if AMBIGUOUS_NUMBER.match(text):
        raise AmbiguousNumber(text)
    if GROUPED_NUMBER.match(text) and (text.count(".") > 1 or "," in text):
        value = Decimal(text.replace(".", "").replace(",", "."))
    elif PLAIN_NUMBER.match(text):
        value = Decimal(text.replace(",", "."))
    else:
        raise ValueError(text)
    return value if value != 0 else Decimal(0)  # no "-0"


def more_than_two_decimals(number: Decimal) -> bool:
    """Whether a digit other than 0 follows the second decimal ("1.234"; not "1.230").

    Read from the digits themselves: ``normalize`` would first round to the context's 28 digits
    and let "1.0000000000000000000000000000001" pass.
    """
    _sign, digits, exponent = number.as_tuple()
    if not isinstance(exponent, int) or exponent >= -2:
        return False
    return any(digits[max(0, len(digits) + exponent + 2) :])


# --- The rules of a realisation, whichever way it is entered -----------------------------------

MAX_NILAI = Decimal("999999999999.99")
NILAI_MAX_CHARS = 40  # longer input is no realisation; refusing it early keeps Decimal bounded


class NilaiRefused(ValueError):
    """A realisation that breaks a rule; ``message`` says which, for the person who typed it."""

    def __init__(self, message: str, code: str):
        super().__init__(message)
        self.message = message
        self.code = code


def nilai_parse(text: str) -> Decimal | None:
    """A realisation typed on the page; "" is None (not reported), which is not 0.

    ``NilaiRefused`` for anything that is no number by ``number_parse``, and for more than two
    decimals; the other rules are ``nilai_check``'s, with the row's indicator.
    """
    text = text or ""
    invalid = _("Realisasi harus berupa angka, misalnya 26,5.")
    if len(text.strip()) > NILAI_MAX_CHARS:
        raise NilaiRefused(invalid, "invalid")
    try:
        value = number_parse(text)
    except AmbiguousNumber as error:
        raise NilaiRefused(ambiguous_message(str(error)), "ambiguous") from None
    except ValueError:
        raise NilaiRefused(invalid, "invalid") from None
    if value is not None and more_than_two_decimals(value):
        raise _too_many_decimals()
    return value


def _too_many_decimals() -> NilaiRefused:
    return NilaiRefused(_("Realisasi paling banyak dua angka di belakang koma."), "decimals")


def nilai_check(
    nilai: Decimal | None, *, percent: bool, bulat: bool = False, satuan: str = ""
) -> None:
    """The rules every realisation obeys; ``NilaiRefused`` names the one broken.

    ``bulat``: the indicator counts whole things (incidents, documents, people), so 3,5 is
    refused; ``satuan`` only names the unit in that message.
    """
    if nilai is None:
        return
    if not nilai.is_finite():
        raise NilaiRefused(_("Realisasi harus berupa angka."), "invalid")
    if nilai < 0:
        raise NilaiRefused(_("Realisasi tidak boleh negatif."), "negative")
    if percent and nilai > 100:
        raise NilaiRefused(_("Realisasi dalam persen tidak boleh lebih dari 100."), "above_100")
    # Before any arithmetic on it: a number of 30 digits overflows the decimal context.
    if nilai > MAX_NILAI:
        raise NilaiRefused(_("Realisasi terlalu besar."), "too_large")
    if more_than_two_decimals(nilai):
        raise _too_many_decimals()
    if bulat and nilai != nilai.to_integral_value():
        unit = f" {satuan}" if satuan else ""
        raise NilaiRefused(
            _(
                "Realisasi indikator ini harus bilangan bulat (tanpa koma), "
                "misalnya %(contoh)s%(satuan)s."
            )
            % {"contoh": format_number(nilai.to_integral_value()), "satuan": unit},
            "not_whole",
        )
