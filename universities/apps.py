from django.apps import AppConfig


class UniversitiesConfig(AppConfig):
    name = "universities"
    default_auto_field = "django.db.models.BigAutoField"
    verbose_name = "高校工作"
