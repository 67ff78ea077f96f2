"""The standalone site's static files storage for production."""

from django.contrib.staticfiles.storage import ManifestStaticFilesStorage as Manifest
from whitenoise.storage import CompressedManifestStaticFilesStorage


def _without_source_maps(patterns):
    return tuple(
        (extension, tuple(p for p in rules if "sourceMappingURL" not in str(p)))
        for extension, rules in patterns
    )


class ManifestStaticFilesStorage(CompressedManifestStaticFilesStorage):
    """whitenoise's hashed, compressed files, leaving source-map comments as they are.

    NHS.UK frontend's CSS and JavaScript end with a sourceMappingURL to a .map file
    that wagtail-nhsuk-frontend does not ship; Django would stop collectstatic
    with a MissingFileError trying to hash it. Only browser developer tools follow
    those comments, so they are left unhashed.
    """

    patterns = _without_source_maps(Manifest.patterns)
