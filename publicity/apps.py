from django.apps import AppConfig


class PublicityConfig(AppConfig):
    """Typical cases and news published by the court's propaganda staff."""

    name = "publicity"
    verbose_name = "宣传：典型案例与新闻"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from publicity import caching

        caching.connect_signals()
