"""What automatic blocks show, fetched once per request however many blocks ask."""


def once_per_request(request, key, fetch):
    """fetch() the first time `key` is asked for in this request; the same value after.
    Without a request (a preview in the block picker, say) it fetches every time."""
    if request is None:
        return fetch()
    cache = request.__dict__.setdefault("_culture_cms_lists", {})
    if key not in cache:
        cache[key] = fetch()
    return cache[key]
