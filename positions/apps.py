from django.apps import AppConfig
from django.core import checks
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
        checks.register(_check_shared_cache, checks.Tags.caches, deploy=True)


def _check_shared_cache(app_configs, **kwargs):
    """Several web processes (gunicorn -w 4, more hosts) each with a cache of their own: a
    post closed through one is still open in the others' caches for up to a minute. Asked
    where Redis is there for Celery (a production stack) and no cache names it."""
    from django.conf import settings

    if settings.CACHE_URL or not settings.REDIS_URL:
        return []
    return [
        checks.Warning(
            "CACHE_URL is not set: each web process caches the public pages on its own.",
            hint="Set CACHE_URL to a Redis database of its own (redis://redis:6379/1) so a "
            "closed or edited post leaves every process's cache at once.",
            id="positions.W001",
        )
    ]
