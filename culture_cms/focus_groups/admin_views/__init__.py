"""The Signups admin, one module a job: the listings and inspect views (listing.py) with
their filters (filters.py) and spreadsheet exports (exports.py), cancel and move
(actions.py), the anonymised report (report.py) and each focus group's register
(register.py). wagtail_hooks.py registers them.

Every view checks Wagtail's permission policy for Signup (see permissions.py); the
register, can_keep_register. Nothing here decides a booking: cancel, move and the
register call services, and show the rules' refusals as they come. Nothing here counts
or orders signups either: the signups' queryset does (models/signups.py).
"""
