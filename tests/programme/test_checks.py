from culture_cms.programme.checks import translations_start_as_drafts


def test_a_host_that_publishes_translations_at_once_is_warned(settings):
    settings.WAGTAILLOCALIZE_SYNC_LIVE_STATUS_ON_TRANSLATE = True
    [warning] = translations_start_as_drafts(None)
    assert warning.id == "culture_cms.W001"
    assert "WAGTAILLOCALIZE_SYNC_LIVE_STATUS_ON_TRANSLATE = False" in warning.hint


def test_translations_that_start_as_drafts_pass(settings):
    settings.WAGTAILLOCALIZE_SYNC_LIVE_STATUS_ON_TRANSLATE = False
    assert translations_start_as_drafts(None) == []
