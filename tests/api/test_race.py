"""Two clicks at once, on PostgreSQL: a token is revoked once (one audit row), and a draft is
published once through the API however many county systems ask at the same moment."""

import pytest
from django.test import Client
from django.urls import reverse

from accounts.models import AuditEvent
from api import services
from api.models import ApiToken
from tests.race import OK, race

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def test_two_revokes_at_once_revoke_once(world):
    token, _secret = services.token_create(
        actor=world.yx_staff, scope_key="county:440104", name="同步", days=30
    )
    outcomes = race(
        [
            lambda actor=actor: services.token_revoke(
                token=ApiToken.objects.get(pk=token.pk), actor=actor
            )
            for actor in (world.yx_staff, world.gz_staff)
        ]
    )
    assert sorted(outcomes) == sorted([OK, "该令牌已撤销。"])
    assert AuditEvent.objects.filter(action="api_token.revoke").count() == 1


def test_two_systems_publishing_one_draft_at_once_publish_it_once(world):
    _token, secret = services.token_create(
        actor=world.yx_staff, scope_key="county:440104", name="同步", days=30, can_write=True
    )
    url = reverse("api:county_post_publish", args=[world.draft_yx.pk])
    headers = {"Authorization": f"Bearer {secret}"}
    statuses = race([lambda: Client().post(url, headers=headers).status_code] * 3, returns=True)
    assert sorted(statuses) == [200, 400, 400]
