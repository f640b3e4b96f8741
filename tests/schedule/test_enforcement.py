"""The calendar enforced day by day (schedule/enforcement.py): reminders, overdue flags, locks,
selection closing and the county quota, each idempotent. Runs on SQLite and PostgreSQL."""

import io
from types import SimpleNamespace

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command

from accounts.models import AuditEvent, Notice, Role
from positions import services as posts
from positions.models import Post
from schedule import selectors
from schedule.enforcement import enforce_calendar
from schedule.models import (
    CountyQuota,
    Dispatch,
    Milestone,
    ProgrammeYear,
    year_in_force,
    years_enforced,
)
from schedule.services import (
    extension_grant,
    onboarding_confirm,
    programme_year_create,
    unit_excuse,
)
from students import rounds
from students import services as students
from students.models import Application
from tests.factories import HostUnitFactory, PostFactory, region, staff
from tests.race import race
from tests.schedule.support import (
    day,
    on,
    post_fields,
    run,
    standing,
    student_of,
    summer_post,
    texts,
)

pytestmark = pytest.mark.django_db

POSTS = "发布暑假岗位"
POSTS_LOCKED = "2030年度暑假（2030年7—8月）岗位发布已于 2030年05月31日 截止，如需延期请联系团省委。"
MATCH_LOCKED = (
    "2030年度暑假（2030年7—8月）选拔录用已于 2030年06月30日 截止，不能再报名、录用或确认。"
)


def reminder(days: int, due: str = "05月31日", milestone: str = POSTS) -> str:
    return f"提醒：“{milestone}”将于 {due} 截止（还有 {days} 天），请按时完成。"


def refusal(error: pytest.ExceptionInfo) -> list[str]:
    return error.value.messages


def lock(cal, *codes: str) -> None:
    """The province ticks 截止后锁定 for these milestones (off by default)."""
    Milestone.objects.filter(programme_year=cal.programme_year, code__in=codes).update(
        hard_lock=True
    )


# Reminders -------------------------------------------------------------------------------------


def test_units_not_done_are_reminded_seven_three_and_one_days_before_the_due_date(cal):
    summer_post(cal, "yx")  # 越秀区 has published its summer posts

    for date in (day(5, 23), day(5, 24), day(5, 25), day(5, 28), day(5, 30), day(5, 31)):
        run(date)

    assert texts(cal.th_staff, POSTS) == [reminder(7), reminder(3), reminder(1)]
    assert texts(cal.hz_staff, POSTS) == [reminder(7), reminder(3), reminder(1)]
    assert texts(cal.yx_staff, POSTS) == []
    assert texts(cal.gz_staff, POSTS) == []  # reminders go to the unit, not the city


def test_running_the_same_day_twice_sends_nothing_more(cal):
    first = run(day(5, 24))
    notices, dispatches = Notice.objects.count(), Dispatch.objects.count()

    second = run(day(5, 24))

    assert first["reminders"] == 4  # the four counties' summer posts
    assert second["reminders"] == 0
    assert (Notice.objects.count(), Dispatch.objects.count()) == (notices, dispatches)
    assert texts(cal.th_staff, POSTS) == [reminder(7)]


def test_a_missed_beat_day_still_gets_the_nearest_reminder_once(cal):
    run(day(5, 26))  # the beat missed 5/24 and 5/25
    run(day(5, 27))
    run(day(5, 29))  # and 5/28

    assert texts(cal.th_staff, POSTS) == [reminder(5), reminder(2)]
    kinds = standing(cal.m["summer_posts"], cal.tianhe).dispatches.values_list("kind", flat=True)
    assert sorted(kinds) == ["remind_3", "remind_7"]


def test_excused_units_get_no_reminders_and_are_never_overdue(cal):
    with on(day(5, 20)):
        unit_excuse(
            unit=standing(cal.m["summer_posts"], cal.tianhe),
            reason="镇街机构调整，本年度不单独设岗",
            actor=cal.province_staff,
        )

    for date in (day(5, 24), day(5, 28), day(5, 30), day(6, 1)):
        run(date)

    assert texts(cal.th_staff, POSTS) == []
    assert standing(cal.m["summer_posts"], cal.tianhe).status == "excused"
    [digest] = texts(cal.gz_staff, POSTS)
    assert "海珠区" in digest and "越秀区" in digest and "天河区" not in digest


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_four_runs_for_the_same_day_at_the_same_moment_tell_everyone_once(cal):
    """A redelivered task, a second worker and the command typed by hand, all at once: the
    milestone's row lock queues them and the later ones find the dispatches."""
    race([lambda: enforce_calendar(day=day(6, 1))] * 4)  # raises what any of them raised
    assert len(texts(cal.gz_staff, POSTS)) == 1
    assert len(texts(cal.gz_staff, "报到人数预警")) == 1
    assert len(texts(cal.th_staff, "预计报到")) == 1
    assert Dispatch.objects.filter(kind="overdue").count() == 14


# Overdue ---------------------------------------------------------------------------------------


def test_the_day_after_the_due_date_units_not_done_are_overdue_and_the_city_gets_one_digest(cal):
    summer_post(cal, "yx")

    run(day(5, 31))
    assert standing(cal.m["summer_posts"], cal.tianhe).status == "pending"
    run(day(6, 1))
    run(day(6, 1))
    run(day(6, 2))

    tianhe = standing(cal.m["summer_posts"], cal.tianhe)
    assert (tianhe.status, tianhe.overdue_since) == ("overdue", day(6, 1))
    assert standing(cal.m["summer_posts"], cal.yuexiu).status == "done"
    [digest] = texts(cal.gz_staff, POSTS)
    assert digest.startswith(f"逾期：2 个单位未在截止日期前完成“{POSTS}”：")
    assert "天河区" in digest and "海珠区" in digest and "越秀区" not in digest
    assert texts(cal.mz_staff, POSTS) == [f"逾期：1 个单位未在截止日期前完成“{POSTS}”：梅县区"]
    assert texts(cal.th_staff, "逾期") == []  # the level above is told, not the county


def test_a_unit_done_late_keeps_its_overdue_date_and_shows_done(cal):
    run(day(4, 16))  # onboarding was due 4/15
    with on(day(4, 18)):
        onboarding_confirm(
            programme_year=cal.programme_year,
            region=cal.tianhe,
            actor=cal.th_staff,
            contact_name="李明",
            contact_phone="13800138000",
        )
    run(day(4, 19))

    tianhe = standing(cal.m["onboard"], cal.tianhe)
    assert (tianhe.status, tianhe.overdue_since) == ("done", day(4, 16))
    assert tianhe.done_late
    _milestones, rows = selectors.matrix(cal.programme_year, [cal.tianhe])
    [(_region, cells)] = rows
    [shown] = [u for m, u, _applies in cells if m.code == "onboard"]
    assert shown.status == "done" and shown.overdue_since == day(4, 16)
    assert len(texts(cal.gz_staff, "入驻平台")) == 1  # the one digest of 4/16, nothing after


def test_summer_posts_is_done_once_a_published_post_exists(cal):
    draft = summer_post(cal, "th", status=Post.Status.DRAFT, published_at=None)

    run(day(5, 20))
    assert standing(cal.m["summer_posts"], cal.tianhe).status == "pending"

    with on(day(5, 21)):
        posts.post_publish(actor=None, post=draft)
    run(day(5, 22))

    tianhe = standing(cal.m["summer_posts"], cal.tianhe)
    assert tianhe.status == "done" and tianhe.done_at is not None
    run(day(5, 24))
    assert texts(cal.th_staff, POSTS) == []


# Extensions ------------------------------------------------------------------------------------


def test_an_extension_moves_the_due_date_reopens_an_overdue_unit_and_is_audited(cal):
    run(day(6, 1))
    with on(day(6, 2)):
        extension_grant(
            unit=standing(cal.m["summer_posts"], cal.tianhe),
            new_due=day(6, 10),
            reason="汛期抢险，延后发布",
            actor=cal.province_staff,
        )

    tianhe = standing(cal.m["summer_posts"], cal.tianhe)
    assert (tianhe.status, tianhe.due) == ("pending", day(6, 10))
    event = AuditEvent.objects.get(action="calendar.extend")
    assert (event.actor, event.target_id) == (cal.province_staff, tianhe.pk)
    assert event.data["due"] == "2030-06-10"
    assert texts(cal.th_staff, "延期") == [
        "团省委同意“发布暑假岗位”延期至 2030-06-10。原因：汛期抢险，延后发布"
    ]

    for date in (day(6, 2), day(6, 3), day(6, 7), day(6, 9), day(6, 10), day(6, 11), day(6, 11)):
        run(date)

    due = "06月10日"
    assert texts(cal.th_staff, "提醒") == [reminder(7, due), reminder(3, due), reminder(1, due)]
    digests = texts(cal.gz_staff, POSTS)
    assert len(digests) == 2  # 6/1 for the original date, 6/11 for the extended one
    assert digests[1] == f"逾期：1 个单位未在截止日期前完成“{POSTS}”：天河区"
    assert standing(cal.m["summer_posts"], cal.tianhe).status == "overdue"


def test_an_extension_must_end_after_the_original_due_date(cal):
    with on(day(5, 20)), pytest.raises(ValidationError) as error:
        extension_grant(
            unit=standing(cal.m["summer_posts"], cal.tianhe),
            new_due=day(5, 30),
            reason="人手不足",
            actor=cal.province_staff,
        )

    assert refusal(error) == ["延期日期须晚于原截止日期（2030-05-31）且不早于今天。"]
    assert standing(cal.m["summer_posts"], cal.tianhe).extended_to is None


# Late work: the dates are completion dates ---------------------------------------------------


def test_without_a_lock_a_late_county_still_publishes_and_is_shown_done_late(cal):
    draft = summer_post(cal, "th", status=Post.Status.DRAFT, published_at=None)
    run(day(6, 1))
    assert standing(cal.m["summer_posts"], cal.tianhe).status == "overdue"

    with on(day(6, 8)):
        posts.post_publish(actor=None, post=draft)
        created = posts.post_create(
            actor=None, host_unit=cal.unit_th, season=cal.summer, **post_fields(cal.summer)
        )
    run(day(6, 9))
    run(day(6, 9))

    draft.refresh_from_db()
    assert draft.status == Post.Status.PUBLISHED and created.pk is not None
    tianhe = standing(cal.m["summer_posts"], cal.tianhe)
    assert (tianhe.status, tianhe.overdue_since, tianhe.done_late) == ("done", day(6, 1), True)
    assert len(texts(cal.gz_staff, POSTS)) == 1  # the city was told once, on 6/1


def test_without_a_lock_a_late_county_still_selects_and_nothing_is_closed(cal):
    s = selection_under_way(cal)
    assert run(day(7, 1))["applications_closed"] == 0
    assert standing(cal.m["summer_match"], cal.tianhe).status == "overdue"
    [digest] = texts(cal.gz_staff, "暑假选拔录用")
    assert "天河区" in digest

    with on(day(7, 2)):
        late = students.application_submit(actor=None, student=student_of(cal.tianhe), post=s.post)
        students.application_shortlist(actor=None, application=s.applied)
        students.offer_confirm(actor=None, application=s.offer)
        for application in (s.applied, late):
            students.application_offer(actor=None, application=application)
            students.offer_confirm(actor=None, application=application)
    run(day(7, 3))
    again = run(day(7, 3))

    statuses = set(Application.objects.values_list("status", flat=True))
    assert statuses == {"confirmed"}
    tianhe = standing(cal.m["summer_match"], cal.tianhe)
    assert (tianhe.status, tianhe.overdue_since, tianhe.done_late) == ("done", day(7, 1), True)
    assert set(again.values()) <= {0}
    assert not AuditEvent.objects.filter(action="calendar.close").exists()


@pytest.mark.parametrize("locked", [False, True])
def test_a_matching_round_after_the_selection_deadline_publishes_unless_locked(cal, locked):
    if locked:
        lock(cal, "summer_match")
    s = selection_under_way(cal)
    with on(day(7, 2)):
        matching_round = rounds.round_run(actor=None, county=cal.tianhe, season=cal.summer)
        if locked:
            with pytest.raises(ValidationError) as refused:
                rounds.round_publish(actor=None, matching_round=matching_round)
        else:
            offers = rounds.round_publish(actor=None, matching_round=matching_round)

    s.applied.refresh_from_db()
    if locked:
        assert refusal(refused) == [MATCH_LOCKED]
        assert s.applied.status == "applied"
    else:
        assert offers == 1 and s.applied.status == "offered"


def test_the_programme_year_in_force_turns_over_in_april(cal):
    assert [year_in_force(day(m, d)) for m, d in ((1, 15), (3, 31), (4, 1), (12, 31))] == [
        2029,
        2029,
        2030,
        2030,
    ]
    # The daily run also looks after the year next to it: the next year's plans from January,
    # the previous year's summary (flagged 4/1) and late units from April.
    assert years_enforced(day(3, 24)) == (2029, 2030)
    assert years_enforced(day(4, 1)) == (2029, 2030)
    # With the next year already made, January still shows the year whose winter is under way.
    programme_year_create(province=cal.province, year=2031)
    with on(day(1, 15, year=2031)):
        january = selectors.current_programme_year(cal.province_staff)
    with on(day(4, 1, year=2031)):
        april = selectors.current_programme_year(cal.province_staff)
    assert (january.year, april.year) == (2030, 2031)


def test_a_lock_switched_on_after_the_deadline_closes_at_the_next_run_once(cal):
    s = selection_under_way(cal)
    run(day(7, 1))
    lock(cal, "summer_match")

    first = run(day(7, 2))
    second = run(day(7, 2))

    assert (first["applications_closed"], second["applications_closed"]) == (2, 0)
    s.applied.refresh_from_db()
    assert s.applied.status == "rejected"


# Locks: posts ----------------------------------------------------------------------------------


def test_after_a_locked_posts_deadline_counties_can_neither_create_nor_publish_posts(cal):
    lock(cal, "summer_posts", "winter_posts")
    draft = summer_post(cal, "th", status=Post.Status.DRAFT, published_at=None)
    with on(day(5, 31)):  # the deadline day itself is still open
        posts.post_create(
            actor=None, host_unit=cal.unit_th, season=cal.summer, **post_fields(cal.summer)
        )

    with on(day(6, 1)):
        with pytest.raises(ValidationError) as created:
            posts.post_create(
                actor=None, host_unit=cal.unit_th, season=cal.summer, **post_fields(cal.summer)
            )
        with pytest.raises(ValidationError) as published:
            posts.post_publish(actor=None, post=draft)
        winter = posts.post_create(
            actor=None,
            host_unit=cal.unit_th,
            season=cal.winter,
            **post_fields(cal.winter, "寒假岗位"),
        )

    assert refusal(created) == refusal(published) == [POSTS_LOCKED]
    draft.refresh_from_db()
    assert draft.status == Post.Status.DRAFT
    assert winter.pk is not None  # the winter season's posts are still open


def test_a_county_with_an_extension_may_still_publish_after_the_locked_posts_deadline(cal):
    lock(cal, "summer_posts")
    draft = summer_post(cal, "th", status=Post.Status.DRAFT, published_at=None)
    late = summer_post(cal, "th", status=Post.Status.DRAFT, published_at=None)
    with on(day(6, 2)):
        extension_grant(
            unit=standing(cal.m["summer_posts"], cal.tianhe),
            new_due=day(6, 10),
            reason="新设社区站点",
            actor=cal.province_staff,
        )

    with on(day(6, 5)):
        posts.post_publish(actor=None, post=draft)
        with pytest.raises(ValidationError):  # 越秀区 has no extension
            posts.post_create(
                actor=None, host_unit=cal.unit_yx, season=cal.summer, **post_fields(cal.summer)
            )
    with on(day(6, 11)), pytest.raises(ValidationError) as error:
        posts.post_publish(actor=None, post=late)

    draft.refresh_from_db()
    assert draft.status == Post.Status.PUBLISHED
    assert refusal(error) == [
        "2030年度暑假（2030年7—8月）岗位发布已于 2030年06月10日 截止，如需延期请联系团省委。"
    ]


def test_a_post_cannot_be_moved_into_a_season_whose_locked_posts_deadline_has_passed(cal):
    lock(cal, "summer_posts")
    winter = PostFactory(host_unit=cal.unit_th, season=cal.winter)

    with on(day(6, 5)), pytest.raises(ValidationError) as error:
        posts.post_update(
            actor=None, post=winter, season=cal.summer, starts_on=day(7, 1), ends_on=day(7, 20)
        )

    assert refusal(error) == [POSTS_LOCKED]


# Locks: selection ------------------------------------------------------------------------------


def selection_under_way(cal, county: str = "th"):
    """At the end of June: one student applied, one holds an offer, one confirmed a place."""
    region_ = getattr(cal, {"th": "tianhe", "yx": "yuexiu"}[county])
    post = summer_post(cal, county, title=f"{region_.name}阅读推广员", headcount=5)
    applicant, holder, placed = (student_of(region_) for _ in range(3))
    with on(day(6, 20)):
        applied = students.application_submit(actor=None, student=applicant, post=post)
        confirmed = students.application_offer(
            actor=None,
            application=students.application_submit(actor=None, student=placed, post=post),
        )
        students.offer_confirm(actor=None, application=confirmed)
    with on(day(6, 29)):
        offer = students.application_offer(
            actor=None,
            application=students.application_submit(actor=None, student=holder, post=post),
        )
    return SimpleNamespace(
        post=post, applied=applied, offer=offer, confirmed=confirmed, applicant=applicant
    )


def test_after_a_locked_selection_deadline_no_one_can_apply_offer_or_confirm(cal):
    lock(cal, "summer_match")
    s = selection_under_way(cal)

    with on(day(7, 1)):
        with pytest.raises(ValidationError) as submit:
            students.application_submit(actor=None, student=student_of(cal.tianhe), post=s.post)
        with pytest.raises(ValidationError) as offer:
            students.application_offer(actor=None, application=s.applied)
        with pytest.raises(ValidationError) as confirm:
            students.offer_confirm(actor=None, application=s.offer)

    assert refusal(submit) == refusal(offer) == refusal(confirm) == [MATCH_LOCKED]
    s.applied.refresh_from_db()
    s.offer.refresh_from_db()
    assert (s.applied.status, s.offer.status) == ("applied", "offered")


def test_the_day_after_a_locked_selection_deadline_open_applications_close_and_offers_expire(
    cal,
):
    lock(cal, "summer_match")
    s = selection_under_way(cal)

    counts = run(day(7, 1))
    notices = Notice.objects.count()
    again = run(day(7, 1))
    run(day(7, 2))

    statuses = {a.pk: a.status for a in Application.objects.all()}
    assert statuses == {
        s.applied.pk: "rejected",
        s.offer.pk: "expired",
        s.confirmed.pk: "confirmed",
    }
    assert counts["applications_closed"] == 2 and again["applications_closed"] == 0
    assert Notice.objects.count() == notices
    assert texts(s.applied.student.user, "截止") == [
        "2030年度暑假（2030年7—8月）选拔录用已于 06月30日 截止，你报名的“天河区阅读推广员”未被录用。"
    ]
    assert texts(s.offer.student.user, "截止") == [
        "2030年度暑假（2030年7—8月）选拔录用已于 06月30日 截止，“天河区阅读推广员”的录用未确认，已过期。"
    ]
    assert texts(s.confirmed.student.user, "截止") == []
    assert texts(cal.th_staff, "选拔录用已截止") == [
        "2030年度暑假（2030年7—8月）选拔录用已截止：2 个未决意向已关闭、录用已过期。"
    ]
    assert AuditEvent.objects.filter(action="calendar.close").count() == 2


def test_a_county_with_a_selection_extension_keeps_selecting_until_its_new_date(cal):
    lock(cal, "summer_match")
    s = selection_under_way(cal)
    with on(day(6, 30)):
        extension_grant(
            unit=standing(cal.m["summer_match"], cal.tianhe),
            new_due=day(7, 5),
            reason="补录",
            actor=cal.province_staff,
        )

    run(day(7, 1))
    with on(day(7, 1)):
        students.offer_confirm(actor=None, application=s.offer)
    s.applied.refresh_from_db()
    assert s.applied.status == "applied"

    run(day(7, 6))
    s.applied.refresh_from_db()
    assert s.applied.status == "rejected"


def test_a_province_whose_milestones_do_not_apply_has_no_lock(cal):
    """Guangxi runs only a winter programme: its summer dates lock nothing, Guangdong's do."""
    lock(cal, "summer_posts")
    xingning = region("450102")
    gx_year = programme_year_create(province=region("450000"), year=2030)
    gx_year.milestones.filter(code__in=("summer_posts", "summer_match")).update(applies=False)
    gx_summer = gx_year.seasons.get(kind="summer")
    gx_unit = HostUnitFactory(county=xingning, name="兴宁区图书馆")
    gx_post = PostFactory(host_unit=gx_unit, season=gx_summer)
    gx_staff = staff(Role.COUNTY, region=xingning, username="xingning")

    run(day(5, 28))
    run(day(7, 2))
    with on(day(7, 2)):
        posts.post_create(actor=None, host_unit=gx_unit, season=gx_summer, **post_fields(gx_summer))
        application = students.application_submit(
            actor=None, student=student_of(xingning), post=gx_post
        )
        with pytest.raises(ValidationError):
            posts.post_create(
                actor=None, host_unit=cal.unit_th, season=cal.summer, **post_fields(cal.summer)
            )

    assert application.status == "applied"
    assert texts(gx_staff, POSTS) == []
    milestone = gx_year.milestones.get(code="summer_posts")
    assert not milestone.units.filter(status="overdue").exists()


# County quota ----------------------------------------------------------------------------------


def quota(cal, county) -> CountyQuota:
    return CountyQuota.objects.get(programme_year=cal.programme_year, region=county)


def set_quota(cal, n: int) -> None:
    ProgrammeYear.objects.filter(pk=cal.programme_year.pk).update(quota_per_county=n)


def test_projected_students_are_the_reported_plus_confirmed_plus_offered(cal):
    set_quota(cal, 5)
    summer = summer_post(cal, "yx")
    winter = PostFactory(host_unit=cal.unit_yx, season=cal.winter)
    reporter, confirmer, holder = (student_of(cal.yuexiu) for _ in range(3))
    with on(day(6, 20)):
        first = students.application_offer(
            actor=None,
            application=students.application_submit(actor=None, student=reporter, post=summer),
        )
        placement = students.offer_confirm(actor=None, application=first)
    with on(day(7, 2)):
        students.placement_report(actor=None, placement=placement)
    with on(day(12, 18)):
        second = students.application_offer(
            actor=None,
            application=students.application_submit(actor=None, student=confirmer, post=winter),
        )
        students.offer_confirm(actor=None, application=second)
        students.application_offer(
            actor=None,
            application=students.application_submit(actor=None, student=holder, post=winter),
        )

    run(day(12, 20))

    yuexiu = quota(cal, cal.yuexiu)
    assert (yuexiu.quota, yuexiu.reported, yuexiu.projected) == (5, 1, 3)
    assert yuexiu.at_risk and yuexiu.percent == 20
    tianhe = quota(cal, cal.tianhe)
    assert (tianhe.reported, tianhe.projected, tianhe.at_risk) == (0, 0, True)


def test_counties_below_quota_are_flagged_only_from_the_first_posts_deadline_and_warned_once(cal):
    set_quota(cal, 1)
    post = summer_post(cal, "yx")
    with on(day(5, 30)):
        students.offer_confirm(
            actor=None,
            application=students.application_offer(
                actor=None,
                application=students.application_submit(
                    actor=None, student=student_of(cal.yuexiu), post=post
                ),
            ),
        )

    run(day(5, 31))
    assert not CountyQuota.objects.filter(at_risk=True).exists()
    assert (quota(cal, cal.yuexiu).projected, quota(cal, cal.tianhe).projected) == (1, 0)
    assert texts(cal.gz_staff, "报到人数预警") == []

    for date in (day(6, 1), day(6, 1), day(6, 2), day(6, 15)):
        run(date)

    tianhe = quota(cal, cal.tianhe)
    assert (tianhe.at_risk, tianhe.at_risk_since) == (True, day(6, 1))
    assert not quota(cal, cal.yuexiu).at_risk
    warning = "天河区预计报到 0 人，低于 1 人的要求，请加强动员。"
    assert texts(cal.th_staff, "预计报到") == [warning]
    assert texts(cal.yx_staff, "预计") == []
    [digest] = texts(cal.gz_staff, "报到人数预警")
    assert digest.startswith("报到人数预警：2 个县（市、区）预计达不到 1 人：")
    assert "天河区（0）" in digest and "海珠区（0）" in digest and "越秀区" not in digest
    assert texts(cal.mz_staff, "报到人数预警") == [
        "报到人数预警：1 个县（市、区）预计达不到 1 人：梅县区（0）"
    ]


def test_the_shortfall_is_recorded_once_the_last_practice_milestone_has_passed(cal):
    set_quota(cal, 5)
    post = summer_post(cal, "yx")
    with on(day(6, 20)):
        placement = students.offer_confirm(
            actor=None,
            application=students.application_offer(
                actor=None,
                application=students.application_submit(
                    actor=None, student=student_of(cal.yuexiu), post=post
                ),
            ),
        )
    with on(day(7, 2)):
        students.placement_report(actor=None, placement=placement)

    run(day(2, 28, year=2031))  # the winter practice's last day
    assert quota(cal, cal.yuexiu).shortfall is None

    first = run(day(3, 1, year=2031))
    second = run(day(3, 2, year=2031))

    yuexiu = quota(cal, cal.yuexiu)
    assert (yuexiu.reported, yuexiu.shortfall) == (1, 4)
    assert yuexiu.finalised_on == day(3, 1, year=2031)
    assert quota(cal, cal.tianhe).shortfall == 5
    assert first["quotas_finalised"] == 4 and second["quotas_finalised"] == 0


# The management command ------------------------------------------------------------------------


def enforce_command(*args: str) -> str:
    out = io.StringIO()
    with on(day(6, 1), hour=0):
        call_command("enforce_calendar", *args, stdout=out)
    return out.getvalue()


def figures(output: str) -> dict[str, int]:
    lines = [line.strip().rsplit(": ", 1) for line in output.splitlines()[1:]]
    return {label: int(n) for label, n in lines}


def test_the_command_prints_its_figures_and_a_second_run_for_the_same_day_prints_zeros(cal):
    summer_post(cal, "yx")

    first = enforce_command("--date", "2030-06-01", "--province", "440000")
    second = enforce_command("--date", "2030-06-01")

    assert first.splitlines()[0] == "calendar enforced for 2030-06-01"
    shown = figures(first)
    overdue = Dispatch.objects.filter(kind="overdue").count()
    # plan: 2 cities + 4 counties; onboarding: 4 counties; summer posts: 3 counties (越秀区 done)
    assert overdue == 13
    assert shown["units flagged overdue"] == overdue
    assert shown["units newly done"] == 1
    assert shown["counties warned about their quota"] == 4
    assert set(figures(second).values()) == {0}
    assert Milestone.objects.get(pk=cal.m["summer_posts"].pk).units.count() == 4


def test_the_command_refuses_a_malformed_date(cal):
    with pytest.raises(CommandError, match="YYYY-MM-DD"):
        call_command("enforce_calendar", "--date", "2030-6-1x")


def test_a_student_reported_in_summer_and_placed_again_in_winter_is_projected_once(cal):
    student = student_of(cal.yuexiu)
    summer = summer_post(cal, "yx")
    winter = PostFactory(host_unit=cal.unit_yx, season=cal.winter)
    with on(day(6, 20)):
        placement = students.offer_confirm(
            actor=None,
            application=students.application_offer(
                actor=None,
                application=students.application_submit(actor=None, student=student, post=summer),
            ),
        )
    with on(day(7, 2)):
        students.placement_report(actor=None, placement=placement)
    with on(day(12, 18)):
        students.offer_confirm(
            actor=None,
            application=students.application_offer(
                actor=None,
                application=students.application_submit(actor=None, student=student, post=winter),
            ),
        )

    run(day(12, 20))

    yuexiu = quota(cal, cal.yuexiu)
    assert (yuexiu.reported, yuexiu.projected) == (1, 1)
