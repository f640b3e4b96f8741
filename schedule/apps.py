from django.apps import AppConfig


class ScheduleConfig(AppConfig):
    name = "schedule"
    default_auto_field = "django.db.models.BigAutoField"
    verbose_name = "活动日程"
