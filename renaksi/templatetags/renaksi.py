"""Template filters that say things the way ``renaksi.presentation`` does."""

from django import template
from django.utils.html import escape
from django.utils.safestring import mark_safe

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


@register.filter
def pecah_ribuan(text: str) -> str:
    """``{{ cell.display|pecah_ribuan }}``: a long figure may wrap after a thousands dot.

    "1.250.000.000" in a narrow column of the Renja evaluation breaks as "1.250." and
    "000.000" rather than at any digit, or not at all and over the next column.
    """
    return mark_safe(escape(text).replace(".", ".<wbr>"))
