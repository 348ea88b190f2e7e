import pytest
from django.core.management import call_command


@pytest.fixture
def indexed_demo(demo_content):
    """The demo portal with the embedded index rebuilt from its published pages.

    In these (transactional-rollback) tests the publish signals' on_commit callbacks never
    run, so the index is built once explicitly, as `manage.py search_rebuild_embedded` does.
    """
    import io

    call_command("search_rebuild_embedded", stdout=io.StringIO())
    return demo_content
