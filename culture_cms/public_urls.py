"""The plugin's public URLs that are not pages: a host includes this module once
(README, "Installing in a Wagtail intranet"); the standalone site's urls.py does too."""

from django.urls import path

from culture_cms.focus_groups import views as focus_group_views
from culture_cms.programme import views as programme_views

app_name = "culture_cms"
urlpatterns = [
    path("search/", programme_views.search, name="search"),
    # The link in a participant's emails that cancels their place.
    path("signups/cancel/<str:token>/", focus_group_views.cancel, name="cancel"),
    # Every upcoming focus group, for calendar apps to subscribe to.
    path("focus-groups.ics", focus_group_views.calendar_feed, name="calendar_feed"),
]
