"""Template filters that say things the way ``renaksi.presentation`` does."""

from django import template

from renaksi import presentation

register = template.Library()


@register.filter
def nama(user) -> str:
    """``{{ user|nama }}``: full name, else username."""
    return presentation.user_display(user)
