from django.apps import AppConfig


class PortalConfig(AppConfig):
    name = "portal"
    verbose_name = "门户与基础数据"
    default_auto_field = "django.db.models.BigAutoField"
