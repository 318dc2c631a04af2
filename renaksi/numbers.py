"""Numbers the Indonesian way: decimal comma, dot for thousands, at most two decimals shown."""

from decimal import ROUND_HALF_UP, Decimal


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
