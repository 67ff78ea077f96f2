"""The signup listing's CSV and XLSX exports, safe to open in a spreadsheet."""

import datetime

from django.utils import timezone
from wagtail.admin.views.generic import IndexView

# A cell starting with one of these is run as a formula by Excel, LibreOffice and
# Google Sheets (OWASP's "CSV injection"); a leading quote makes it plain text.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def neutralise_formula(value):
    """Text a spreadsheet would run as a formula, made plain text with a leading quote."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


class FormulaSafeExportMixin:
    """Wagtail's CSV and XLSX export, with every text cell passed through neutralise_formula
    and times in UK time (Wagtail writes XLSX times in UTC)."""

    custom_value_preprocess = {
        **IndexView.custom_value_preprocess,
        datetime.datetime: {
            IndexView.FORMAT_XLSX: lambda value: timezone.make_naive(value),
            IndexView.FORMAT_CSV: lambda value: timezone.localtime(value).isoformat(" "),
        },
    }

    def preprocess_field_value(self, field, value, export_format):
        value = super().preprocess_field_value(field, value, export_format)
        return neutralise_formula(value)
