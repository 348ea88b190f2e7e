from django.apps import AppConfig


class SearchConfig(AppConfig):
    """Search over published content (engine in production, embedded by default)."""

    name = "search"
    verbose_name = "站内搜索"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from search import indexing

        indexing.connect()
