"""Why a wagtail-localize translation is not ready, next to the string a translator typed.

CultureCMSPage.full_clean calls `translation_errors` each time wagtail-localize
saves a translated page.
"""

from django.core.exceptions import NON_FIELD_ERRORS
from wagtail_localize.segments import StringSegmentValue
from wagtail_localize.segments.extract import extract_segments

from .editor_checks import problems


def translation_errors(instance, field_names, values):
    """Problems in a translated object's strings, keyed by wagtail-localize's path for each.

    A path such as "title" or "body.<block id>.heading" is the one
    wagtail-localize's translation editor uses, so the message shows next to
    the string a translator typed. Paragraphs of one rich text share a path,
    and the editor cannot tell them apart: their messages are the object's own.
    """

    segments = [
        segment
        for segment in extract_segments(instance)
        if isinstance(segment, StringSegmentValue) and segment.path.split(".")[0] in field_names
    ]
    paths = [segment.path for segment in segments]
    errors = {}
    for segment in segments:
        found = problems(segment.string.render_text(), values)
        if found:
            key = segment.path if paths.count(segment.path) == 1 else NON_FIELD_ERRORS
            errors.setdefault(key, []).extend(found)
    return errors
