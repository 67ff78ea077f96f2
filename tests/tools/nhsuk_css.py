"""The NHS.UK frontend stylesheet without its webfonts, as the plugin ships it.

NHS.UK frontend's CSS loads the Frutiger webfont from assets.nhs.uk, so every
page would fetch fonts from another domain (and the Content-Security-Policy
would have to allow it). The plugin ships the same stylesheet with the
@font-face rules and the source-map comment taken out: text falls back to
Arial, the NHS identity's alternative to Frutiger.

    .venv/bin/python tests/tools/nhsuk_css.py    # (re)write the shipped file

tests/test_static.py fails when the shipped file no longer matches the
installed wagtail-nhsuk-frontend.
"""

import re
import sys
from pathlib import Path

import wagtailnhsukfrontend

VERSION = "10.4.2"
PACKAGE_CSS = (
    Path(wagtailnhsukfrontend.__file__).parent
    / f"static/wagtailnhsukfrontend/css/nhsuk-frontend-{VERSION}.min.css"
)
SHIPPED_CSS = (
    Path(__file__).resolve().parents[2]
    / f"culture_cms/programme/static/culture_cms/nhsuk-frontend-{VERSION}-no-webfonts.min.css"
)
FONT_FACE = re.compile(r"@font-face\{[^}]*\}")
SOURCE_MAP = re.compile(r"/\*# sourceMappingURL=[^*]*\*/\s*$")


def without_webfonts(css):
    """The stylesheet with no @font-face rule and no source-map comment."""
    return SOURCE_MAP.sub("", FONT_FACE.sub("", css)).rstrip() + "\n"


if __name__ == "__main__":
    SHIPPED_CSS.write_text(without_webfonts(PACKAGE_CSS.read_text(encoding="utf-8")))
    sys.stdout.write(f"Wrote {SHIPPED_CSS}\n")
