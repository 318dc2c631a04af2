"""Numbers the Indonesian way (decimal comma, dot for thousands): read as typed, shown rounded."""

import re
from decimal import ROUND_HALF_UP, Decimal

# ASCII digits only: "٢٦" or "２６" are digits to Python's \d and to Decimal, but no one here
# types them, and the page and the spreadsheet must agree on what a number is.
PLAIN_NUMBER = re.compile(r"^[+-]?(?:[0-9]+(?:[.,][0-9]+)?|[.,][0-9]+)$")  # 26 · 26,5 · 26.5 · ,5
GROUPED_NUMBER = re.compile(r"^[+-]?[0-9]{1,3}(?:\.[0-9]{3})+(?:,[0-9]+)?$")  # 1.234.567 · 1.234,5


def format_number(value: Decimal | int | float, decimals: int = 2) -> str:
    """``Decimal("26.50")`` → ``"26,5"``; ``1234.5`` → ``"1.234,5"``.

    Rounding is for display only; stored values keep their precision.
    """
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
    return sign + ".".join(groups) + ("," + fraction if fraction else "")


def number_parse(text: str) -> Decimal | None:
    """Typed text as a Decimal, the same rule on the page and in the spreadsheet; "" is None.

    Both "26,5" and "26.5" mean 26.5. A single dot is a decimal point (people type "26.5" as
    often as "26,5"); dots only group thousands when there are several or a comma follows, as
    in "1.234.567" or "1.234,5". Spaces and a trailing "%" are ignored: the unit is shown
    beside the field. Anything else raises ValueError; range and decimals are the caller's.
    """
    text = text.strip().replace("\u00a0", "").replace(" ", "").removesuffix("%")
    if not text:
        return None
    if GROUPED_NUMBER.match(text) and (text.count(".") > 1 or "," in text):
        return Decimal(text.replace(".", "").replace(",", "."))
    if PLAIN_NUMBER.match(text):
        return Decimal(text.replace(",", "."))
    raise ValueError(text)


def more_than_two_decimals(number: Decimal) -> bool:
    """Whether a digit other than 0 follows the second decimal ("1.234"; not "1.230").

    Read from the digits themselves: ``normalize`` would first round to the context's 28 digits
    and let "1.0000000000000000000000000000001" pass.
    """
    _sign, digits, exponent = number.as_tuple()
    if not isinstance(exponent, int) or exponent >= -2:
        return False
    return any(digits[max(0, len(digits) + exponent + 2) :])
