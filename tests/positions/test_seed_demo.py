"""The demo covers every role and every post state, and running it again adds nothing."""

from django.core.management import call_command

from accounts.models import Role, User
from positions.models import HostUnit, Post


def _counts():
    return User.objects.count(), HostUnit.objects.count(), Post.objects.count()


def test_seed_demo_covers_every_role_category_and_state_and_is_idempotent(db, capsys):
    call_command("load_regions")
    call_command("seed_demo")
    printed = capsys.readouterr().out
    first = _counts()
    call_command("seed_demo")
    assert _counts() == first
    assert {Role.PROVINCE, Role.CITY, Role.COUNTY, Role.HOST, Role.UNIVERSITY} <= set(
        User.objects.values_list("role", flat=True)
    )
    assert set(Post.objects.values_list("category", flat=True)) == set(Post.Category.values)
    assert set(Post.objects.values_list("status", flat=True)) >= {"draft", "published", "cancelled"}
    assert set(HostUnit.objects.values_list("kind", flat=True)) == set(HostUnit.Kind.values)
    assert "yuexiu" in printed and "Demo@2026fjx" in printed
    assert User.objects.get(username="humen").region.name == "虎门镇"
