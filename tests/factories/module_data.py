"""Test data made once for a module's rolled-back tests, as Django's TestCase.setUpTestData
makes it once for a class's tests.

A module-scoped fixture builds it inside a transaction that stays open while the
module's tests run: each test's own rolled-back transaction is then a savepoint
inside it, so every test starts from the data as built, and what one test changes
never reaches the next. After the module's last test the transaction is rolled back.
Each test gets its own copies of the built objects (`for_the_test`), as setUpTestData's
class attributes are copied for each test.

    @pytest.fixture(scope="module")
    def built(django_db_setup, django_db_blocker):
        yield from made_once(django_db_blocker, factories.site_tree)

    @pytest.fixture
    def tree(db, built):
        return for_the_test(built)

Only for rolled-back tests (the `db` fixture, `django_db` without transaction=True): a
transactional test commits, and empties the database after it. So before a
transactional test, roll_back_all() ends whatever is still kept (tests/conftest.py);
a module's transactional tests run after all its rolled-back ones, as pytest-django
orders them.
"""

import copy

import pytest
from django.core.cache import cache
from django.db import transaction

# The transactions kept open by made_once(), innermost last.
KEPT = []


def made_once(django_db_blocker, make):
    """Yield what make() makes, kept until the generator is closed, then rolled back.

    make() should return objects as the database holds them at its end (refreshed,
    where it changed them through other instances). It starts with an empty cache, as
    each test does (tests/conftest.py: fresh_cache): what the last test cached, Wagtail's
    site root paths say, was of data rolled back since.
    """
    cache.clear()
    with django_db_blocker.unblock():
        kept = transaction.atomic()
        kept.__enter__()
        KEPT.append(kept)
        try:
            made = make()
        except BaseException:
            roll_back(kept)
            raise
    try:
        yield made
    finally:
        with django_db_blocker.unblock():
            roll_back(kept)


def roll_back(kept):
    if kept in KEPT:
        KEPT.remove(kept)
        transaction.set_rollback(True)
        kept.__exit__(None, None, None)


def roll_back_all(django_db_blocker):
    """End every kept transaction, innermost first: a transactional test comes next."""
    with django_db_blocker.unblock():
        while KEPT:
            roll_back(KEPT[-1])


def for_the_test(made):
    """Copies of the built objects: a test may change its own, the next test's are as built."""
    return copy.deepcopy(made)


def built_once(make):
    """The two fixtures a module's rolled-back tests need to share what make() makes:
    `built`, made once for the module, and `made`, each test's own copy of it.

        built, made = built_once(build)
    """

    @pytest.fixture(scope="module", name="built")
    def built(django_db_setup, django_db_blocker):
        yield from made_once(django_db_blocker, make)

    @pytest.fixture(name="made")
    def made(db, built):
        return for_the_test(built)

    return built, made
