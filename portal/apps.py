from django.apps import AppConfig


class PortalConfig(AppConfig):
    name = "portal"
    verbose_name = "门户与基础数据"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        # Publishing forgets the cached public pages that show the content (portal/caching.py).
        from portal import caching

        caching.connect_signals()
