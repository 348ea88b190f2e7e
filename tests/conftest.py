import io
import os

import pytest
from django.core.management import call_command
from django.db import connection
from wagtail.models import Site


@pytest.fixture(autouse=True)
def _postgres_only(request):
    """A `postgres` test on another database skips and says why; where the run was meant
    to be on PostgreSQL (PORTAL_REQUIRE_POSTGRES, set by scripts/with-postgres.sh) it fails."""
    if request.node.get_closest_marker("postgres") is None or connection.vendor == "postgresql":
        return
    reason = (
        f"needs PostgreSQL, the database is {connection.vendor}: "
        "`make test` runs these tests against a private cluster (scripts/with-postgres.sh)"
    )
    if os.environ.get("PORTAL_REQUIRE_POSTGRES"):
        pytest.fail(reason)
    pytest.skip(reason)


@pytest.fixture(autouse=True)
def _fresh_client_counters():
    """Every test starts with no per-client counts (portal/throttle.py): account ids and the
    test client's address repeat from test to test."""
    from django.core.cache import caches

    caches["ratelimit"].clear()


@pytest.fixture
def home_page(db):
    return Site.objects.get(is_default_site=True).root_page.specific


@pytest.fixture
def demo_content(db):
    """The demo pages and accounts that `make run` loads."""
    call_command("load_demo", stdout=io.StringIO())
    return Site.objects.get(is_default_site=True).root_page.specific
