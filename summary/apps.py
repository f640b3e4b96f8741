from django.apps import AppConfig


class SummaryConfig(AppConfig):
    name = "summary"
    default_auto_field = "django.db.models.BigAutoField"
    verbose_name = "总结表扬"
