"""A county's matching round, from the database to offers."""

import time

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from positions.models import Post
from students import rounds, services
from students.models import Application, MatchingOutcome, MatchingRound
from tests.factories import HostUnitFactory, PostFactory, StudentFactory, region
from tests.race import race


@pytest.fixture
def county_season(world):
    """Two posts of one seat each in 越秀; three students; the host units rank them."""
    x = PostFactory(host_unit=world.unit_yx, title="岗位甲", headcount=1)
    y = PostFactory(host_unit=world.unit_yx, title="岗位乙", headcount=1)
    a, b, c = [StudentFactory(hometown=world.yuexiu, name=n) for n in ("甲生", "乙生", "丙生")]
    apps = {}
    for student, choices in ((a, [x, y]), (b, [x, y]), (c, [x])):
        for post in choices:
            apps[(student.name, post.title)] = services.application_submit(
                actor=None, student=student, post=post
            )
    # 岗位甲 ranks 丙 first, then 乙; it did not rank 甲 (last, by application time).
    services.application_host_rank(
        actor=None, application=apps[("丙生", "岗位甲")], rank=1, unsuitable=False
    )
    services.application_host_rank(
        actor=None, application=apps[("乙生", "岗位甲")], rank=2, unsuitable=False
    )
    # 岗位乙 finds 乙 unsuitable.
    services.application_host_rank(
        actor=None, application=apps[("乙生", "岗位乙")], rank=None, unsuitable=True
    )
    return world.yuexiu, x.season, apps


def _outcome(matching_round, application):
    return MatchingOutcome.objects.get(round=matching_round, application=application)


def test_a_round_places_students_stably_and_says_why(county_season):
    county, season, apps = county_season
    matching_round = rounds.round_run(actor=None, county=county, season=season)
    assert _outcome(matching_round, apps[("丙生", "岗位甲")]).placed
    assert _outcome(matching_round, apps[("甲生", "岗位乙")]).placed
    assert not _outcome(matching_round, apps[("甲生", "岗位甲")]).placed
    assert "排序更靠前" in _outcome(matching_round, apps[("甲生", "岗位甲")]).reason
    assert "不合适" in _outcome(matching_round, apps[("乙生", "岗位乙")]).reason
    assert not _outcome(matching_round, apps[("乙生", "岗位甲")]).placed
    assert Application.objects.filter(status="offered").count() == 0  # only a preview


def test_running_again_replaces_the_preview(county_season):
    county, season, _apps = county_season
    first = rounds.round_run(actor=None, county=county, season=season)
    second = rounds.round_run(actor=None, county=county, season=season)
    assert not MatchingRound.objects.filter(pk=first.pk).exists()
    assert MatchingRound.objects.get(status="preview") == second


def test_publishing_sends_the_offers_once(county_season):
    county, season, apps = county_season
    matching_round = rounds.round_run(actor=None, county=county, season=season)
    assert rounds.round_publish(actor=None, matching_round=matching_round) == 2
    offered = set(Application.objects.filter(status="offered").values_list("pk", flat=True))
    assert offered == {apps[("丙生", "岗位甲")].pk, apps[("甲生", "岗位乙")].pk}
    with pytest.raises(ValidationError, match="已发布"):
        rounds.round_publish(actor=None, matching_round=matching_round)
    from accounts.models import AuditEvent

    audited = AuditEvent.objects.filter(action="application.offer", region=county)
    assert set(audited.values_list("target_id", flat=True)) == offered  # one event per offer
    assert AuditEvent.objects.filter(action="matching.publish").count() == 1


def test_publishing_is_all_or_nothing(county_season):
    county, season, apps = county_season
    matching_round = rounds.round_run(actor=None, county=county, season=season)
    services.application_withdraw(
        actor=None, application=apps[("甲生", "岗位乙")]
    )  # changed since the preview
    with pytest.raises(ValidationError):
        rounds.round_publish(actor=None, matching_round=matching_round)
    assert not Application.objects.filter(status="offered").exists()
    assert MatchingRound.objects.get(pk=matching_round.pk).status == "preview"


def test_seats_already_taken_or_offered_are_not_matched_again(county_season):
    county, season, apps = county_season
    services.application_offer(actor=None, application=apps[("丙生", "岗位甲")])  # offered by hand
    Post.objects.filter(title="岗位乙").update(headcount=1)
    matching_round = rounds.round_run(actor=None, county=county, season=season)
    assert not MatchingOutcome.objects.filter(
        round=matching_round, placed=True, application__post__title="岗位甲"
    ).exists()


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_officers_publishing_at_once_publish_once():
    county = region("440104")
    unit = HostUnitFactory(county=county)
    post = PostFactory(host_unit=unit, headcount=3)
    for _ in range(3):
        services.application_submit(actor=None, student=StudentFactory(hometown=county), post=post)
    matching_round = rounds.round_run(actor=None, county=county, season=post.season)
    outcomes = race(
        [lambda: rounds.round_publish(actor=None, matching_round=matching_round)] * 2, returns=True
    )
    assert sorted(outcomes, key=str) == [3, "该匹配结果已发布或已被新的匹配替换。"]
    assert Application.objects.filter(status="offered").count() == 3


def test_the_county_runs_adjusts_and_publishes_in_the_browser_terms(client, county_season, world):
    county, season, apps = county_season
    client.force_login(world.yx_staff)
    client.post(reverse("students:matching_run"), {"season": season.pk})
    page = client.get(reverse("students:matching"), {"season": season.pk}).content.decode()
    assert "2 人匹配成功" in page and "名额已由用人单位排序更靠前的报名者占满" in page
    preview = MatchingRound.objects.get(status="preview")
    unplace = _outcome(preview, apps[("甲生", "岗位乙")])
    client.post(reverse("students:matching_toggle", args=[unplace.pk]))
    assert not _outcome(preview, apps[("甲生", "岗位乙")]).placed
    client.post(reverse("students:matching_publish", args=[preview.pk]))
    assert set(Application.objects.filter(status="offered").values_list("pk", flat=True)) == {
        apps[("丙生", "岗位甲")].pk
    }


@pytest.mark.parametrize(
    ("user", "status"), [("gz_staff", 403), ("yx_host", 403), ("student", 404)]
)
def test_only_county_staff_run_rounds(client, county_season, world, user, status):
    _county, season, _apps = county_season
    client.force_login(getattr(world, user))
    assert client.get(reverse("students:matching")).status_code == status
    assert (
        client.post(reverse("students:matching_run"), {"season": season.pk}).status_code == status
    )
    assert not MatchingRound.objects.exists()


def test_another_county_cannot_publish_or_adjust_the_round(client, county_season, world):
    county, season, apps = county_season
    preview = rounds.round_run(actor=None, county=county, season=season)
    client.force_login(world.th_staff)
    assert client.post(reverse("students:matching_publish", args=[preview.pk])).status_code == 404
    outcome = _outcome(preview, apps[("丙生", "岗位甲")])
    assert client.post(reverse("students:matching_toggle", args=[outcome.pk])).status_code == 404
    assert MatchingRound.objects.get(pk=preview.pk).status == "preview"


def test_supplementary_round_lets_unplaced_students_choose_posts_with_free_seats(
    client, county_season, world
):
    county, season, apps = county_season
    spare = PostFactory(host_unit=world.unit_yx, title="岗位丙", headcount=2)
    full = PostFactory(host_unit=world.unit_yx, title="岗位丁", headcount=1)
    services.application_offer(
        actor=None,  # its one seat waits for another student's answer
        application=services.application_submit(
            actor=None, student=StudentFactory(hometown=county), post=full
        ),
    )
    rounds.round_publish(
        actor=None, matching_round=rounds.round_run(actor=None, county=county, season=season)
    )
    client.force_login(world.yx_staff)
    client.post(reverse("students:supplementary_open"), {"season": season.pk})
    # 乙生 was not placed: the main round's leftovers are closed and 乙生 is told.
    assert Application.objects.get(pk=apps[("乙生", "岗位甲")].pk).status == "rejected"
    unplaced = apps[("乙生", "岗位甲")].student
    assert unplaced.user.notices.filter(text__contains="补录").exists()
    client.force_login(unplaced.user)
    page = client.get(reverse("students:supplementary")).content.decode()
    assert (
        "岗位丙" in page
        and "空余 2 个名额" in page
        and "岗位甲" not in page
        and "岗位丁" not in page
    )
    with pytest.raises(ValidationError, match="空余名额"):
        services.application_submit(actor=None, student=unplaced, post=full)
    services.application_submit(actor=None, student=unplaced, post=spare)
    second = rounds.round_run(actor=None, county=county, season=season)
    assert second.outcomes.filter(placed=True, application__post=spare).count() == 1
    client.force_login(world.yx_staff)
    again = client.post(reverse("students:supplementary_open"), {"season": season.pk}, follow=True)
    assert "已经开启" in again.content.decode()


@pytest.mark.celery
@pytest.mark.django_db(transaction=True)
def test_a_large_county_round_runs_on_a_real_worker_and_shows_when_done(worker, client, settings):
    settings.MATCHING_INLINE_LIMIT = 0  # every round counts as large here
    county = region("440104")
    post = PostFactory(host_unit=HostUnitFactory(county=county), headcount=2)
    for _ in range(3):
        services.application_submit(actor=None, student=StudentFactory(hometown=county), post=post)
    from tests.factories import staff

    client.force_login(staff("county", region=county))
    client.post(reverse("students:matching_run"), {"season": post.season_id})
    deadline = time.monotonic() + 30
    while MatchingRound.objects.filter(status="running").exists() and time.monotonic() < deadline:
        time.sleep(0.2)
    matching_round = MatchingRound.objects.get()
    assert matching_round.status == "preview"
    assert matching_round.outcomes.filter(placed=True).count() == 2
    page = client.get(reverse("students:matching"), {"season": post.season_id}).content.decode()
    assert "2 人匹配成功" in page
    # Redelivered after it finished: nothing changes.
    assert rounds.round_compute(round_id=matching_round.pk) is None
    assert matching_round.outcomes.count() == 3
