"""Template filters that say things the way ``renaksi.presentation`` does."""

from django import template

from renaksi import keuangan, presentation
from renaksi.numbers import format_number

register = template.Library()


@register.filter
def nama(user) -> str:
    """``{{ user|nama }}``: full name, else username."""
    return presentation.user_display(user)


@register.filter
def tw(value) -> str:
    """``{{ 2|tw }}``: a quarter's short name, "TW 2" (in English "Q2")."""
    return presentation.triwulan_label(value)


@register.filter
def angka(value) -> str:
    """``{{ value|angka }}``: a number the way the pages print it ("26,5", "1.234")."""
    if value is None or value == "":
        return "-"
    return format_number(value)


@register.filter
def rupiah(value) -> str:
    """``{{ amount|rupiah }}``: whole rupiah with thousands dots ("1.250.000"), "-" when unset."""
    return keuangan.format_rupiah(value)
