from django.apps import AppConfig
from django.db.models.signals import post_migrate


class PositionsConfig(AppConfig):
    name = "positions"
    default_auto_field = "django.db.models.BigAutoField"
    verbose_name = "岗位"

    def ready(self):
        from positions.triggers import install_after_migrate

        post_migrate.connect(install_after_migrate, sender=self, dispatch_uid="post_season_trigger")
