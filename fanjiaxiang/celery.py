import logging
import os

from celery import Celery
from celery.signals import worker_ready

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "fanjiaxiang.settings")

app = Celery("fanjiaxiang")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@worker_ready.connect
def resend_waiting_on_start(**kwargs) -> None:
    """A worker that starts after a broker outage sends what requests recorded meanwhile,
    without waiting for beat's next minute."""
    from fanjiaxiang.outbox import resend_waiting

    try:
        resend_waiting()
    except Exception:  # the database may be down too; beat tries again every minute
        logging.getLogger(__name__).exception("could not re-send waiting tasks")
