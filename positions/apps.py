from django.apps import AppConfig
from django.db.models.signals import post_migrate, pre_migrate


class PositionsConfig(AppConfig):
    name = "positions"
    default_auto_field = "django.db.models.BigAutoField"
    verbose_name = "岗位"

    def ready(self):
        from positions import triggers

        pre_migrate.connect(
            triggers.remove_before_migrate, sender=self, dispatch_uid="triggers_off"
        )
        post_migrate.connect(
            triggers.install_after_migrate, sender=self, dispatch_uid="triggers_on"
        )
