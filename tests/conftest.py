import io

import pytest
from django.core.management import call_command
from django.db import connection
from wagtail.models import Site


def pytest_collection_modifyitems(config, items):
    """A `postgres` test run on another database skips, and says why in the summary."""
    for item in items:
        if "postgres" in item.keywords:
            item.add_marker(
                pytest.mark.usefixtures("_require_postgres"),
            )


@pytest.fixture
def _require_postgres(db):
    if connection.vendor != "postgresql":
        pytest.skip(
            f"needs PostgreSQL, the database is {connection.vendor}: "
            "`make test` runs these tests against a private cluster (scripts/with-postgres.sh)"
        )


@pytest.fixture
def home_page(db):
    return Site.objects.get(is_default_site=True).root_page.specific


@pytest.fixture
def demo_content(db):
    """The demo pages and accounts that `make run` loads."""
    call_command("load_demo", stdout=io.StringIO())
    return Site.objects.get(is_default_site=True).root_page.specific
