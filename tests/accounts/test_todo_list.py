"""Each role's home page is its to-do list (工作台): an item appears when there is work, says how
many and by when, links to the page where the work is done, goes when the work is done, and
never shows another county's, unit's or university's work (issue 16)."""

import datetime

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from outcomes.models import Outcome
from schedule.models import Milestone, Plan, UnitMilestone
from schedule.services import unit_milestones_ensure
from students import services
from students.models import Application, Clearance, Placement, PracticeLog
from summary.models import Briefing, TypicalCase
from tests.factories import PostFactory, Role, StudentFactory, UniversityFactory, staff


def _at(day: datetime.date):
    """Noon in China on `day` (the portal's dates are China's)."""
    return time_machine.travel(
        datetime.datetime.combine(day, datetime.time(4), tzinfo=datetime.UTC), tick=False
    )


def _todos(client, user) -> dict:
    client.force_login(user)
    response = client.get(reverse("home"))
    assert response.status_code == 200
    return {todo.key: todo for todo in response.context["todos"]}


def _apply(post, **student):
    student = StudentFactory(hometown=post.host_unit.county, **student)
    return services.application_submit(actor=None, student=student, post=post)


def _placement(post, **student) -> Placement:
    application = _apply(post, **student)
    services.application_offer(actor=None, application=application)
    return services.offer_confirm(actor=None, application=application)


# County (县级团委) ------------------------------------------------------------------------------


def test_county_sees_its_drafts_to_publish_with_the_posts_date(client, world):
    todos = _todos(client, world.yx_staff)

    drafts = todos["drafts"]
    assert drafts.count == 1
    assert drafts.url == reverse("positions:post_list") + "?status=draft"
    assert drafts.due == world.draft_yx.season.milestones.get(code="summer_posts").due


def test_the_drafts_item_goes_once_the_draft_is_published(client, world):
    world.draft_yx.status = "published"
    world.draft_yx.save()

    assert "drafts" not in _todos(client, world.yx_staff)


def test_another_county_never_sees_the_drafts(client, world):
    assert "drafts" not in _todos(client, world.th_staff)


def test_county_sees_applicants_waiting_for_a_decision_on_the_posts_page(client, world):
    application = _apply(world.post_yx)

    decide = _todos(client, world.yx_staff)["decide"]

    assert decide.count == 1
    assert decide.url == reverse("students:post_applicants", args=[world.post_yx.pk])
    assert decide.due == world.post_yx.season.milestones.get(code="summer_match").due
    assert "decide" not in _todos(client, world.th_staff)
    services.application_reject(actor=None, application=application)
    assert "decide" not in _todos(client, world.yx_staff)


def test_applicants_on_several_posts_link_to_the_filtered_post_list(client, world):
    _apply(world.post_yx)
    _apply(world.post_yx)
    other = PostFactory(host_unit=world.unit_yx, title="越秀第二个岗位")
    _apply(other)

    decide = _todos(client, world.yx_staff)["decide"]
    assert decide.count == 3
    assert decide.url == reverse("positions:post_list") + "?applications=waiting"

    page = client.get(decide.url).content.decode()
    assert "越秀第二个岗位" in page and "越秀图书馆阅读推广员" in page
    assert reverse("students:post_applicants", args=[other.pk]) in page
    assert "2 人待决定" in page


def test_county_is_told_of_offers_about_to_lapse_and_not_of_fresh_ones(client, world):
    application = _apply(world.post_yx)
    services.application_offer(actor=None, application=application)
    assert "offers_expiring" not in _todos(client, world.yx_staff)  # three days to reply

    Application.objects.filter(pk=application.pk).update(
        offer_expires_at=timezone.now() + datetime.timedelta(hours=20)
    )
    todos = _todos(client, world.yx_staff)
    assert todos["offers_expiring"].count == 1
    assert todos["offers_expiring"].urgent
    assert "offers_expiring" not in _todos(client, world.th_staff)

    Application.objects.filter(pk=application.pk).update(
        offer_expires_at=timezone.now() - datetime.timedelta(hours=1)
    )
    assert "offers_expiring" not in _todos(client, world.yx_staff)  # lapsed: the calendar's


def test_county_sees_placements_due_for_evaluation_after_the_practice_ends(client, world):
    placement = _placement(world.post_yx)
    with _at(world.post_yx.starts_on):
        services.placement_report(actor=None, placement=placement)
        assert "evaluate" not in _todos(client, world.yx_staff)
    with _at(world.post_yx.ends_on):
        evaluate = _todos(client, world.yx_staff)["evaluate"]
        assert evaluate.count == 1 and evaluate.due == world.post_yx.ends_on
        assert evaluate.url.startswith(reverse("students:post_applicants", args=[world.post_yx.pk]))
        assert "evaluate" not in _todos(client, world.th_staff)


def test_county_sees_its_own_overdue_milestones_and_its_city_sees_it_below(client, world):
    milestone = Milestone.objects.get(
        programme_year=world.post_yx.season.programme_year, code="summer_posts"
    )
    unit_milestones_ensure(milestone=milestone)
    UnitMilestone.objects.filter(milestone=milestone, region=world.yuexiu).update(
        status="overdue", overdue_since=milestone.due + datetime.timedelta(days=1)
    )
    with _at(milestone.due + datetime.timedelta(days=2)):
        own = _todos(client, world.yx_staff)["own_overdue"]
        assert own.count == 1 and "发布暑假岗位" in own.title
        assert own.url.startswith(reverse("schedule:calendar"))
        assert "own_overdue" not in _todos(client, world.th_staff)

        below = _todos(client, world.gz_staff)["below_overdue"]
        assert below.count == 1 and below.url.endswith("status=overdue")
        assert "below_overdue" not in _todos(client, world.mz_staff)


def test_county_is_asked_for_its_plan_until_it_submits_it(client, world):
    programme_year = world.post_yx.season.programme_year
    milestone = programme_year.milestones.get(code="plan")
    unit_milestones_ensure(milestone=milestone)
    with _at(milestone.due - datetime.timedelta(days=10)):
        plan = _todos(client, world.yx_staff)["plan_submit"]
        assert plan.due == milestone.due and not plan.urgent
        assert plan.url == reverse("schedule:plan") + f"?year={programme_year.year}"
        UnitMilestone.objects.filter(milestone=milestone, region=world.yuexiu).update(
            status="done", done_at=timezone.now()
        )
        assert "plan_submit" not in _todos(client, world.yx_staff)


def test_the_city_reviews_plans_its_counties_submitted(client, world):
    programme_year = world.post_yx.season.programme_year
    plan = Plan.objects.create(
        programme_year=programme_year,
        region=world.yuexiu,
        document="plans/x.pdf",
        original_name="x.pdf",
        submitted_at=timezone.now(),
    )
    with _at(programme_year.milestones.get(code="plan").due):
        review = _todos(client, world.gz_staff)["plans_review"]
        assert review.count == 1
        assert review.url == reverse("schedule:plan_detail", args=[plan.pk])
        assert "plans_review" not in _todos(client, world.mz_staff)
        Plan.objects.filter(pk=plan.pk).update(status="approved")
        assert "plans_review" not in _todos(client, world.gz_staff)


def test_the_province_reviews_submitted_typical_cases(client, world):
    TypicalCase.objects.create(
        programme_year=world.post_yx.season.programme_year,
        region=world.yuexiu,
        title="越秀案例",
        body="正文",
        submitted_at=timezone.now(),
    )
    review = _todos(client, world.province_staff)["cases_review"]
    assert review.count == 1
    assert review.url == reverse("summary:case_list") + "?status=submitted"


# Host unit (用人单位) ---------------------------------------------------------------------------


def test_host_unit_sees_todays_check_ins_with_their_codes(client, world):
    placement = _placement(world.post_yx, name="报到学生")
    with _at(world.post_yx.starts_on):
        todos = _todos(client, world.yx_host)
        page = client.get(reverse("home")).content.decode()
        assert todos["checkin"].count == 1
        assert "报到学生" in page and placement.checkin_code in page

        th_page = (client.force_login(world.th_host), client.get(reverse("home")))[1]
        assert placement.checkin_code not in th_page.content.decode()
        assert placement.checkin_code not in _county_page(client, world)

        services.placement_report(actor=None, placement=placement)
        assert "checkin" not in _todos(client, world.yx_host)


def _county_page(client, world) -> str:
    """The county records check-in too, but the code is the host unit's to hand out."""
    client.force_login(world.yx_staff)
    return client.get(reverse("home")).content.decode()


def test_no_check_in_item_before_the_practice_starts(client, world):
    _placement(world.post_yx)
    with _at(world.post_yx.starts_on - datetime.timedelta(days=1)):
        assert "checkin" not in _todos(client, world.yx_host)


def test_host_unit_confirms_practice_logs_on_the_posts_page(client, world):
    placement = _placement(world.post_yx)
    with _at(world.post_yx.starts_on + datetime.timedelta(days=2)):
        services.placement_report(actor=None, placement=placement)
        log = PracticeLog.objects.create(
            placement=placement, day=world.post_yx.starts_on, hours=4, content="整理图书"
        )
        logs = _todos(client, world.yx_host)["logs"]
        assert logs.count == 1 and logs.due == world.post_yx.starts_on
        assert logs.url.startswith(reverse("students:post_applicants", args=[world.post_yx.pk]))
        assert "logs" not in _todos(client, world.th_host)

        services.practice_log_confirm(actor=None, log=log)
        assert "logs" not in _todos(client, world.yx_host)


def test_the_placement_list_filters_to_one_to_do(client, world):
    due = _placement(world.post_yx, name="待报到学生")
    with _at(world.post_yx.starts_on):
        client.force_login(world.yx_host)
        page = client.get(reverse("students:placement_list") + "?todo=checkin").content.decode()
        assert "待报到学生" in page and due.checkin_code in page
        empty = client.get(reverse("students:placement_list") + "?todo=evaluate").content
        assert "待报到学生" not in empty.decode()
        assert client.get(reverse("students:placement_list") + "?todo=nonsense").status_code == 200
        assert client.get(reverse("students:placement_list") + "?todo=%00x").status_code < 500
        assert (
            client.get(reverse("positions:post_list") + "?applications=%E2%80%A8").status_code < 500
        )


# University (高校团委) --------------------------------------------------------------------------


def test_university_issues_clearances_for_its_applicants(client, world):
    application = _apply(world.post_yx, university=world.university)
    other = UniversityFactory(name="华南理工大学")
    other_staff = staff(Role.UNIVERSITY, university=other, username="scut")

    clearance = _todos(client, world.uni_staff)["clearance"]
    assert clearance.count == 1 and clearance.due == world.post_yx.starts_on
    assert clearance.url.startswith(reverse("students:university_students") + "?todo=clearance")
    assert "clearance" not in _todos(client, other_staff)

    Clearance.objects.create(
        student=application.student,
        season=application.season,
        performance_certified_at=timezone.now(),
    )
    assert "clearance" in _todos(client, world.uni_staff)  # safety training still to record
    Clearance.objects.filter(student=application.student).update(safety_trained_at=timezone.now())
    assert "clearance" not in _todos(client, world.uni_staff)


# Empty state, anonymous ----------------------------------------------------------------------


def test_nothing_to_do_says_so_and_what_comes_next(client, world):
    client.force_login(world.th_host)
    page = client.get(reverse("home")).content.decode()
    assert "暂无待办" in page and "报到码" in page


def test_visitors_keep_the_public_search(client, world):
    page = client.get(reverse("home")).content.decode()
    assert "查找岗位" in page and "工作台" not in page


# Student ----------------------------------------------------------------------------------------


def _next_step(client, user):
    client.force_login(user)
    response = client.get(reverse("home"))
    assert response.status_code == 200
    return response.context["next_step"], response.content.decode()


def test_a_student_without_choices_is_sent_to_the_hometown_posts(client, world):
    student = StudentFactory(hometown=world.yuexiu)
    step, page = _next_step(client, student.user)
    assert step.step == "apply"
    assert "county=440104" in step.url and "season=2030-summer" in step.url
    assert step.due == world.post_yx.season.milestones.get(code="summer_match").due


def test_a_student_who_registered_with_the_short_form_is_first_sent_to_the_profile(client, world):
    student = StudentFactory(hometown=world.yuexiu, college="", degree="", politics="")
    step, page = _next_step(client, student.user)
    assert step.step == "profile" and step.url == reverse("students:profile")
    assert "学院" in step.detail and "政治面貌" in step.detail
    assert "✓ 完善个人信息" not in page
    student.college, student.degree, student.politics = "物理学院", "bachelor", "masses"
    student.save()
    step, _page = _next_step(client, student.user)
    assert step.step == "apply"


def test_a_student_with_choices_waits_for_the_decision(client, world):
    application = _apply(world.post_yx)
    step, _page = _next_step(client, application.student.user)
    assert step.step == "decision"
    assert step.due == world.post_yx.season.milestones.get(code="summer_match").due


def test_a_student_with_an_offer_confirms_it_with_one_button(client, world):
    application = _apply(world.post_yx)
    services.application_offer(actor=None, application=application)
    step, page = _next_step(client, application.student.user)
    assert step.step == "confirm" and step.due == Application.objects.get().offer_expires_at
    assert f'action="{reverse("students:confirm", args=[application.pk])}"' in page

    response = client.post(reverse("students:confirm", args=[application.pk]))
    assert response.status_code == 302
    step, _page = _next_step(client, application.student.user)
    assert step.step == "checkin" and step.due == world.post_yx.starts_on


def test_a_placed_student_checks_in_from_the_first_day_then_writes_logs(client, world):
    placement = _placement(world.post_yx)
    user = placement.student.user
    with _at(world.post_yx.starts_on):
        step, page = _next_step(client, user)
        assert step.step == "checkin" and world.post_yx.host_unit.name in step.title
        assert f'action="{reverse("students:checkin", args=[placement.pk])}"' in page
        services.placement_report(actor=None, placement=placement)
        step, _page = _next_step(client, user)
        assert step.step == "log" and step.due == world.post_yx.ends_on
    with _at(world.post_yx.ends_on):
        step, _page = _next_step(client, user)
        assert step.step == "outcome"  # the 实践总结 before the 期满鉴定
        assert step.url == reverse("outcomes:edit", args=[placement.pk])
        Outcome.objects.create(placement=placement, text="实践总结", submitted_at=timezone.now())
        step, _page = _next_step(client, user)
        assert step.step == "certificate"


# Bounded queries ------------------------------------------------------------------------------


def _work(world, posts: int) -> None:
    """For every role some of each kind of work: placements and applicants on `posts` new posts
    of 越秀区, plans of the city's counties, late units, a case to review."""
    for _n in range(posts):
        post = PostFactory(host_unit=world.unit_yx)
        _placement(post, university=world.university)
        _apply(post, university=world.university)
    programme_year = world.post_yx.season.programme_year
    for county in (world.yuexiu, world.tianhe):
        Plan.objects.get_or_create(
            programme_year=programme_year,
            region=county,
            defaults={
                "document": "plans/x.pdf",
                "original_name": "x.pdf",
                "submitted_at": timezone.now(),
            },
        )
    for milestone in programme_year.milestones.filter(code__in=["plan", "onboard"]):
        unit_milestones_ensure(milestone=milestone)
    UnitMilestone.objects.update(status="overdue")
    TypicalCase.objects.create(
        programme_year=programme_year,
        region=world.yuexiu,
        title="越秀案例",
        body="正文",
        submitted_at=timezone.now(),
    )


def _queries(client, user, day) -> int:
    with _at(day):
        client.force_login(user)
        with CaptureQueriesContext(connection) as queries:
            response = client.get(reverse("home"))
    assert response.context["todos"]  # the signed-in page, with work on it
    return len(queries)


@pytest.mark.parametrize(
    "who, most",
    # A county's 五个一 item reads the one selector (county_figures): 13 grouped queries; a
    # city: +1 for its 示范活动 item. Reports (简报): one query for those waiting for the city's
    # or the province's mark, one for a county's, city's or university's own drafts. The
    # calendar's own and quarterly milestones: one more for each committee. Uninsured
    # placements (issue 18): one for a county and a university.
    [
        ("yx_staff", 23 + 13 + 1 + 1 + 1),
        ("yx_host", 8),
        ("uni_staff", 5 + 1 + 1 + 1),
        ("gz_staff", 17 + 2 + 1),
        ("province_staff", 16 + 1 + 1),
    ],
)
def test_the_home_page_costs_the_same_queries_however_much_work_there_is(client, world, who, most):
    user, day = getattr(world, who), world.post_yx.starts_on
    _work(world, posts=1)
    few = _queries(client, user, day)
    _work(world, posts=4)
    many = _queries(client, user, day)

    assert few == many
    assert many <= most


def test_a_students_home_costs_a_few_queries(client, world, django_assert_max_num_queries):
    application = _apply(world.post_yx)
    services.application_offer(actor=None, application=application)
    client.force_login(application.student.user)
    # One of them asks what confirming still needs (emergency contact, safety training).
    with django_assert_max_num_queries(7):
        client.get(reverse("home"))


def test_host_unit_is_told_who_comes_to_check_in_in_the_next_two_weeks(client, world):
    placement = _placement(world.post_yx)
    with _at(world.post_yx.starts_on - datetime.timedelta(days=5)):
        soon = _todos(client, world.yx_host)["checkin_soon"]
        assert soon.count == 1 and soon.due == world.post_yx.starts_on
        assert soon.url == reverse("students:placement_list") + "?status=confirmed"
        page = client.get(reverse("home")).content.decode()
        assert placement.checkin_code not in page  # not before the day
    with _at(world.post_yx.starts_on - datetime.timedelta(days=20)):
        assert "checkin_soon" not in _todos(client, world.yx_host)


def test_host_unit_records_a_check_in_from_the_home_page_and_comes_back_to_it(client, world):
    placement = _placement(world.post_yx)
    with _at(world.post_yx.starts_on):
        client.force_login(world.yx_host)
        page = client.get(reverse("home")).content.decode()
        assert f'action="{reverse("students:placement_report", args=[placement.pk])}"' in page

        response = client.post(
            reverse("students:placement_report", args=[placement.pk]), {"back": "home"}
        )
        assert response.url == reverse("home") + "#todo-list"
        placement.refresh_from_db()
        assert placement.status == "reported"
        assert "checkin" not in _todos(client, world.yx_host)


def test_the_university_stays_on_its_to_do_filter_after_each_clearance(client, world):
    application = _apply(world.post_yx, university=world.university)
    client.force_login(world.uni_staff)
    page = client.get(reverse("students:university_students") + "?todo=clearance").content
    assert application.student.name in page.decode()
    assert 'name="todo" value="clearance"' in page.decode()

    response = client.post(
        reverse("students:clearance", args=[application.pk, "performance"]),
        {"todo": "clearance"},
    )
    assert response.url == reverse("students:university_students") + "?todo=clearance#clearances"
    client.post(reverse("students:clearance", args=[application.pk, "safety"]))
    page = client.get(reverse("students:university_students") + "?todo=clearance").content
    assert application.student.name not in page.decode()


def test_the_province_is_reminded_of_its_briefing_draft(client, world):
    draft = Briefing.objects.create(
        province=world.province, title="第一期简报", body="正文", created_by=world.province_staff
    )
    todo = _todos(client, world.province_staff)["briefings"]
    assert todo.count == 1
    assert todo.url == reverse("summary:briefing_detail", args=[draft.pk])
    assert "briefings" not in _todos(client, world.gz_staff)

    Briefing.objects.filter(pk=draft.pk).update(
        status="published", issue=1, published_at=timezone.now()
    )
    assert "briefings" not in _todos(client, world.province_staff)


def test_a_students_next_step_is_about_their_own_choices_only(client, world):
    offered = _apply(world.post_yx)
    services.application_offer(actor=None, application=offered)
    bystander = StudentFactory(hometown=world.yuexiu)

    step, page = _next_step(client, bystander.user)

    assert step.step == "apply"
    assert reverse("students:confirm", args=[offered.pk]) not in page


def test_a_late_plan_is_one_red_item_not_two(client, world):
    milestone = world.post_yx.season.programme_year.milestones.get(code="plan")
    unit_milestones_ensure(milestone=milestone)
    UnitMilestone.objects.filter(milestone=milestone, region=world.yuexiu).update(
        status="overdue", overdue_since=milestone.due + datetime.timedelta(days=1)
    )
    with _at(milestone.due + datetime.timedelta(days=3)):
        todos = _todos(client, world.yx_staff)
    assert todos["plan_submit"].urgent
    assert "own_overdue" not in todos


def test_county_confirms_its_onboarding_on_the_onboarding_page(client, world):
    programme_year = world.post_yx.season.programme_year
    milestone = programme_year.milestones.get(code="onboard")
    unit_milestones_ensure(milestone=milestone)
    UnitMilestone.objects.filter(milestone=milestone, region=world.yuexiu).update(
        status="overdue", overdue_since=milestone.due + datetime.timedelta(days=1)
    )
    with _at(milestone.due + datetime.timedelta(days=3)):
        todos = _todos(client, world.yx_staff)
        assert todos["onboard"].urgent
        assert todos["onboard"].url == (
            reverse("schedule:onboarding") + f"?year={programme_year.year}"
        )
        assert "own_overdue" not in todos  # one red item, not two
        UnitMilestone.objects.filter(milestone=milestone, region=world.tianhe).update(
            status="done", done_at=timezone.now()
        )
        assert "onboard" not in _todos(client, world.th_staff)  # done, and 越秀's is not its
