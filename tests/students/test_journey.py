"""The student journey through its services: apply, be selected, confirm, report, be evaluated."""

import datetime

import pytest
import time_machine
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from accounts.models import Notice
from positions.models import Post
from students import services
from students.models import Application, Placement, Student
from tests.factories import (
    PASSWORD,
    PostFactory,
    StudentFactory,
    UniversityFactory,
    region,
    valid_id_number,
)

S = Application.Status


@pytest.fixture
def posts(world):
    more = [PostFactory(host_unit=world.unit_yx, title=f"越秀岗位{n}") for n in range(3)]
    return [world.post_yx, *more]


@pytest.fixture
def student(world):
    return StudentFactory(hometown=world.yuexiu, university=world.university)


def _register(**overrides):
    data = dict(
        username="xiaoming",
        password=PASSWORD,
        consent=True,
        name="李小明",
        id_number=valid_id_number(7).lower(),
        phone="13900139000",
        email="xm@example.edu.cn",
        university=UniversityFactory(),
        student_number="20220001",
        college="文学院",
        major="汉语言文学",
        degree="bachelor",
        grade=2022,
        graduation_year=2026,
        politics="league_member",
        is_cadre=True,
        hometown=region("440104"),
    )
    return services.student_register(**(data | overrides))


def test_registration_keeps_the_id_number_encrypted_and_masked(db):
    student = _register()
    number = valid_id_number(7)
    assert Student.objects.get(pk=student.pk).id_number == number  # decrypts for those who need it
    assert student.id_number_masked == number[:4] + "**********" + number[-4:]
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT id_number FROM students_student WHERE id = %s", [student.pk])
        stored = cursor.fetchone()[0]
    assert number not in stored and stored.startswith("gAAAA")  # a Fernet token, not the number
    assert student.user.role == "student" and student.user.check_password(PASSWORD)


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"id_number": "440104200401010010"}, "id_number", "身份证号无效"),
        ({"consent": False}, "consent", "个人信息保护声明"),
        ({"hometown": None}, "hometown", "县"),
    ],
)
def test_registration_refuses_bad_input(db, overrides, field, message):
    if overrides.get("hometown", 1) is None:
        overrides = {"hometown": region("440100")}
    with pytest.raises(ValidationError) as refused:
        _register(**overrides)
    assert message in " ".join(refused.value.message_dict[field])
    assert not Student.objects.exists()


def test_the_same_id_number_registers_once(db):
    _register()
    with pytest.raises(ValidationError) as refused:
        _register(username="other", student_number="20220002")
    # One answer on no field, the same as for a taken student number (issue 23).
    assert refused.value.code == "registration_clash" and "直接登录" in refused.value.message


def test_a_student_ranks_up_to_three_choices_of_the_home_county(student, posts):
    made = [services.application_submit(actor=None, student=student, post=p) for p in posts[:3]]
    assert [a.rank for a in made] == [1, 2, 3]
    with pytest.raises(ValidationError, match="最多填报 3 个意向"):
        services.application_submit(actor=None, student=student, post=posts[3])
    with pytest.raises(ValidationError, match="已经报名过"):
        services.application_submit(actor=None, student=student, post=posts[0])


def test_only_the_home_county_and_published_posts(student, world):
    with pytest.raises(ValidationError, match="家乡"):
        services.application_submit(actor=None, student=student, post=world.post_th)
    with pytest.raises(ValidationError, match="未在招募"):
        services.application_submit(actor=None, student=student, post=world.draft_yx)


def test_withdrawing_renumbers_and_moving_up_swaps(student, posts):
    a, b, c = [services.application_submit(actor=None, student=student, post=p) for p in posts[:3]]
    services.application_withdraw(actor=None, application=a)
    assert [x.rank for x in Application.objects.filter(pk__in=[b.pk, c.pk]).order_by("pk")] == [
        1,
        2,
    ]
    services.application_move_up(actor=None, application=c)
    ranks = dict(Application.objects.filter(pk__in=[b.pk, c.pk]).values_list("pk", "rank"))
    assert ranks == {c.pk: 1, b.pk: 2}
    services.application_submit(
        actor=None, student=student, post=posts[3]
    )  # the freed place can be used


def test_selection_offer_confirm_report_evaluate_certificate(student, posts, world):
    application = services.application_submit(actor=None, student=student, post=posts[0])
    other = services.application_submit(actor=None, student=student, post=posts[1])
    services.application_host_rank(actor=None, application=application, rank=1, unsuitable=False)
    services.application_shortlist(actor=None, application=application)
    services.application_offer(actor=None, application=application)
    assert Notice.objects.filter(user=student.user, text__contains="录用").exists()
    placement = services.offer_confirm(actor=None, application=application)
    other.refresh_from_db()
    assert other.status == S.WITHDRAWN  # confirming closes the other choices
    day, last_day = placement.post.starts_on, placement.post.ends_on
    with pytest.raises(ValidationError, match="报到将于"):
        services.placement_checkin(actor=None, placement=placement, code=placement.checkin_code)
    with time_machine.travel(day):
        with pytest.raises(ValidationError, match="报到码不正确"):
            services.placement_checkin(actor=None, placement=placement, code="WRONG1")
        services.placement_checkin(
            actor=None, placement=placement, code=placement.checkin_code.lower()
        )
        services.placement_train(actor=None, placement=placement)
        with pytest.raises(ValidationError, match="期满"):
            services.placement_evaluate(actor=None, placement=placement, rating="excellent")
    with (
        time_machine.travel(last_day),
        pytest.raises(ValidationError, match="还没有已确认的实践日志"),
    ):
        services.placement_evaluate(actor=None, placement=placement, rating="excellent")
    with time_machine.travel(day):
        first = services.practice_log_add(
            actor=None, placement=placement, day=day, hours="7.5", content="整理档案"
        )
        with pytest.raises(ValidationError):
            services.practice_log_add(
                actor=None, placement=placement, day=day, hours="2", content="又一条"
            )
    with time_machine.travel(day + datetime.timedelta(days=1)):
        with pytest.raises(ValidationError):  # more hours than a day has
            services.practice_log_add(
                actor=None,
                placement=placement,
                day=day + datetime.timedelta(days=1),
                hours="30",
                content="x",
            )
    services.practice_log_confirm(actor=None, log=first)
    with pytest.raises(ValidationError, match="已确认"):
        services.practice_log_confirm(actor=None, log=first)
    with time_machine.travel(last_day):
        placement = services.placement_evaluate(
            actor=None, placement=placement, rating="excellent", comment="表现突出"
        )
    assert placement.hours == 8  # 7.5 confirmed hours, rounded half up
    assert placement.status == Placement.Status.COMPLETED and len(placement.certificate_code) == 12
    assert services.certificate_find(placement.certificate_code.lower()) == placement
    assert services.certificate_find("FORGED000000") is None
    with pytest.raises(ValidationError, match="尚未鉴定"):
        services.placement_evaluate(actor=None, placement=placement, rating="good")


def test_illegal_transitions_are_refused(student, posts):
    application = services.application_submit(actor=None, student=student, post=posts[0])
    with pytest.raises(ValidationError, match="没有待确认的录用"):
        services.offer_confirm(actor=None, application=application)
    services.application_offer(actor=None, application=application)
    placement = services.offer_confirm(actor=None, application=application)
    with pytest.raises(ValidationError, match="报到后才能记录岗前培训"):
        services.placement_train(actor=None, placement=placement)
    with pytest.raises(ValidationError, match="已报到"):
        services.placement_evaluate(actor=None, placement=placement, rating="good")
    with pytest.raises(ValidationError, match="终止原因"):
        services.placement_drop(actor=None, placement=placement, reason=" ")


def test_an_expired_offer_cannot_be_confirmed(student, posts):
    application = services.application_submit(actor=None, student=student, post=posts[0])
    past = timezone.now() - datetime.timedelta(days=10)
    services.application_offer(actor=None, application=application, now=past)
    with pytest.raises(ValidationError, match="已过期"):
        services.offer_confirm(actor=None, application=application)
    assert services.offers_expire(actor=None, now=timezone.now()) == 1
    assert services.offers_expire(actor=None, now=timezone.now()) == 0


def test_a_full_post_refuses_the_next_confirmation(world, posts):
    post = posts[1]
    Post.objects.filter(pk=post.pk).update(headcount=1)
    first, second = [StudentFactory(hometown=world.yuexiu) for _ in range(2)]
    offers = []
    for student in (first, second):
        application = services.application_submit(actor=None, student=student, post=post)
        offers.append(services.application_offer(actor=None, application=application))
    services.offer_confirm(actor=None, application=offers[0])
    with pytest.raises(ValidationError, match="名额已满"):
        services.offer_confirm(actor=None, application=offers[1])


def test_database_holds_one_placement_per_student_per_season(student, posts):
    a = services.application_submit(actor=None, student=student, post=posts[0])
    b = services.application_submit(actor=None, student=student, post=posts[1])
    services.application_offer(actor=None, application=a)
    services.offer_confirm(actor=None, application=a)
    Application.objects.filter(pk=b.pk).update(status=S.CONFIRMED)
    with pytest.raises(IntegrityError), transaction.atomic():
        Placement.objects.create(
            application=b, student=student, post=posts[1], season=b.season, checkin_code="X"
        )


def test_the_student_is_emailed_by_a_worker_after_commit_never_in_the_request(
    student, posts, django_capture_on_commit_callbacks
):
    from accounts.tasks import send_mails

    application = services.application_submit(actor=None, student=student, post=posts[0])
    with django_capture_on_commit_callbacks(execute=False) as queued:
        services.application_offer(actor=None, application=application)
    assert not mail.outbox and len(queued) == 1  # the mail outbox's task, queued on commit

    assert send_mails() == 1
    assert send_mails() == 0
    assert len(mail.outbox) == 1 and "录用" in mail.outbox[0].subject


def test_expiring_offers_tells_the_student_once(student, posts):
    application = services.application_submit(actor=None, student=student, post=posts[0])
    services.application_offer(
        actor=None, application=application, now=timezone.now() - datetime.timedelta(days=4)
    )
    from students.tasks import expire_offers

    assert expire_offers() == 1
    assert expire_offers() == 0
    assert Notice.objects.filter(user=student.user, text__contains="已过期").count() == 1


def test_the_host_unit_is_told_when_a_student_confirms_or_declines(world, student, posts, client):
    a = services.application_submit(actor=None, student=student, post=posts[0])
    services.application_offer(actor=None, application=a)
    services.offer_confirm(actor=None, application=a)
    assert Notice.objects.filter(user=world.yx_host, text__contains="已确认").count() == 1
    assert not Notice.objects.filter(user=world.th_host).exists()
    client.force_login(world.yx_host)
    page = client.get("/accounts/notices/").content.decode()
    assert "已确认" in page and "全部标为已读" in page
    assert Notice.objects.filter(user=world.yx_host, read_at__isnull=True).exists()  # GET reads
    client.post("/accounts/notices/read/")
    assert not Notice.objects.filter(user=world.yx_host, read_at__isnull=True).exists()


def test_no_offer_or_confirmation_on_a_post_that_is_over(student, posts):
    application = services.application_submit(actor=None, student=student, post=posts[0])
    services.application_offer(actor=None, application=application)
    Post.objects.filter(pk=posts[0].pk).update(status="cancelled")
    with pytest.raises(ValidationError, match="已截止或已撤销"):
        services.offer_confirm(actor=None, application=application)
    other = services.application_submit(actor=None, student=student, post=posts[1])
    Post.objects.filter(pk=posts[1].pk).update(status="closed")
    with pytest.raises(ValidationError, match="已截止或已撤销"):
        services.application_offer(actor=None, application=other)


def test_a_full_post_takes_no_more_offers(world, posts):
    Post.objects.filter(pk=posts[1].pk).update(headcount=1)
    first, second = [StudentFactory(hometown=world.yuexiu) for _ in range(2)]
    a = services.application_submit(actor=None, student=first, post=posts[1])
    services.application_offer(actor=None, application=a)
    services.offer_confirm(actor=None, application=a)
    b = services.application_submit(actor=None, student=second, post=posts[1])
    with pytest.raises(ValidationError, match="名额已满"):
        services.application_offer(actor=None, application=b)


def test_a_dropped_student_may_apply_again_that_season(student, posts):
    a = services.application_submit(actor=None, student=student, post=posts[0])
    services.application_offer(actor=None, application=a)
    placement = services.offer_confirm(actor=None, application=a)
    services.placement_drop(actor=None, placement=placement, reason="家中有事")
    assert services.application_submit(actor=None, student=student, post=posts[1]).rank == 1


def test_ranks_close_up_when_a_choice_is_rejected_and_move_up_of_a_closed_choice_is_refused(
    student, posts
):
    a, b, c = [services.application_submit(actor=None, student=student, post=p) for p in posts[:3]]
    services.application_reject(actor=None, application=a)
    assert list(
        Application.objects.filter(pk__in=[b.pk, c.pk])
        .order_by("rank")
        .values_list("rank", flat=True)
    ) == [1, 2]
    with pytest.raises(ValidationError, match="仍在进行中"):
        services.application_move_up(actor=None, application=a)


def test_checking_in_after_the_practice_ended_is_refused(student, posts):
    a = services.application_submit(actor=None, student=student, post=posts[0])
    services.application_offer(actor=None, application=a)
    placement = services.offer_confirm(actor=None, application=a)
    with time_machine.travel(posts[0].ends_on + datetime.timedelta(days=2)):
        with pytest.raises(ValidationError, match="已于"):
            services.placement_report(actor=None, placement=placement)


def test_odd_verification_codes_find_nothing(db):
    assert services.certificate_find("\x00ABC") is None
    assert services.certificate_find("a" * 40) is None
