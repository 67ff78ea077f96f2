"""The signup listing's CSV and XLSX exports, safe to open in a spreadsheet."""

import datetime
import re

from django.utils import timezone
from wagtail.admin.views.generic import IndexView

# A cell starting with one of these is run as a formula by Excel, LibreOffice and
# Google Sheets (OWASP's "CSV injection"); a leading quote makes it plain text.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


# What an XLSX file cannot hold (openpyxl refuses to write it): the C0 control
# characters but tab, line feed and carriage return. Vertical tab and form feed are
# how Word's line and page breaks paste, so they become line breaks; the rest, which
# nobody sees, go.
NOT_IN_XLSX = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
LINE_BREAK_IN_XLSX = {"\x0b": "\n", "\x0c": "\n"}


def for_xlsx(value):
    """Text as an XLSX cell can hold it."""
    if isinstance(value, str):
        return NOT_IN_XLSX.sub(lambda found: LINE_BREAK_IN_XLSX.get(found[0], ""), value)
    return value


def neutralise_formula(value):
    """Text a spreadsheet would run as a formula, made plain text with a leading quote."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


class FormulaSafeExportMixin:
    """Wagtail's CSV and XLSX export, with every text cell passed through neutralise_formula
    and times in UK time (Wagtail writes XLSX times in UTC); XLSX text without the
    control characters it cannot hold."""

    custom_value_preprocess = {
        **IndexView.custom_value_preprocess,
        datetime.datetime: {
            IndexView.FORMAT_XLSX: lambda value: timezone.make_naive(value),
            IndexView.FORMAT_CSV: lambda value: timezone.localtime(value).isoformat(" "),
        },
    }

    def preprocess_field_value(self, field, value, export_format):
        value = super().preprocess_field_value(field, value, export_format)
        if export_format == self.FORMAT_XLSX:
            value = for_xlsx(value)
        return neutralise_formula(value)
