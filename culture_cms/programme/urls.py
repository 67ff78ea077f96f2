from django.urls import path

from culture_cms.signups import views as signup_views

from . import views

app_name = "culture_cms"
urlpatterns = [
    path("search/", views.search, name="search"),
    # The link in a participant's emails that cancels their place.
    path("signups/cancel/<str:token>/", signup_views.cancel, name="cancel"),
    # Every upcoming focus group, for calendar apps to subscribe to.
    path("focus-groups.ics", signup_views.calendar_feed, name="calendar_feed"),
]
