from django.apps import AppConfig


class HelpcentreConfig(AppConfig):
    name = "helpcentre"
    default_auto_field = "django.db.models.BigAutoField"
    verbose_name = "帮助中心"
