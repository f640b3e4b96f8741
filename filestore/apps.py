from django.apps import AppConfig


class FilestoreConfig(AppConfig):
    name = "filestore"
    default_auto_field = "django.db.models.BigAutoField"
    verbose_name = "上传文件"
