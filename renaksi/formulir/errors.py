"""How a refused form says why: every fault found, each naming sheet, row and column."""

from django.utils.translation import gettext as _

from renaksi.formulir.spec import SHEET_TITLE
from renaksi.spreadsheets import FileRefused

MAX_ERRORS = 50


# The same exception as every spreadsheet upload's (``renaksi.spreadsheets``): a file refused
# while it is opened and one refused for its content reach the page the same way.
FormulirInvalid = FileRefused


class Errors:
    """Collects messages up to ``MAX_ERRORS``, each prefixed with where the fault is."""

    def __init__(self, titles: dict[str, str] | None = None):
        self.titles = titles or {}  # column headers, to name a column by its title too
        self.messages: list[str] = []
        self.dropped = 0

    def add(self, message: str, *, sheet: str = SHEET_TITLE, row=None, column=None) -> None:
        if len(self.messages) >= MAX_ERRORS:
            self.dropped += 1
            return
        where = _('Lembar "%(sheet)s"') % {"sheet": sheet}
        if row is not None:
            where += _(", baris %(row)d") % {"row": row}
        if column is not None:
            where += _(", kolom %(letter)s") % {"letter": column.letter}
            if column.key in self.titles:
                where += f" ({self.titles[column.key]})"
        self.messages.append(f"{where}: {message}")

    def raise_if_any(self) -> None:
        if self.messages:
            messages = list(self.messages)
            if self.dropped:
                messages.append(
                    _("… dan %(n)d kesalahan lain yang tidak ditampilkan.") % {"n": self.dropped}
                )
            raise FormulirInvalid(messages)


def refuse(message: str):
    """Refuse the file for one reason."""
    raise FormulirInvalid([message])
