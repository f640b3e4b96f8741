"""The demo's five tasks (五个一): in December every status shows on the province's matrix, and
越秀区's exchange has its photo and minutes."""

import pytest
import time_machine
from django.core.management import call_command
from django.urls import reverse

from accounts.models import User
from ledger.models import EventMaterial


@pytest.mark.django_db
def test_the_demo_matrix_shows_every_status(client):
    call_command("load_regions", stdout=open("/dev/null", "w"))  # noqa: SIM115
    with time_machine.travel("2027-12-07 10:00 +0800", tick=False):
        call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
        client.force_login(User.objects.get(username="gd_province"))
        page = client.get(reverse("summary:five"))
        assert page.status_code == 200
        statuses = {task.status for row in page.context["rows"] for task in row.tasks}
        assert statuses == {"done", "in_progress", "not_started", "overdue"}
        client.force_login(User.objects.get(username="yuexiu"))
        own = client.get(reverse("summary:five_county", args=["440104"]))
        assert "集中交流合影.png" in own.content.decode()
    names = set(EventMaterial.objects.values_list("original_name", flat=True))
    assert names == {"集中交流合影.png", "集中交流会议纪要.pdf"}
