"""Changes in the student journey: registration, ranked applications, selection, offers,
placements and certificates. Views, commands and tasks all come through here."""

import datetime
import secrets
from decimal import ROUND_HALF_UP, Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max, Sum
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.audit import Action, audit_record, audit_record_many
from accounts.models import Role, User
from accounts.notices import notify
from accounts.validators import id_number_clean, id_number_set
from ledger.services import entries_follow_identity, entry_for_participant
from positions.models import Post, Region
from positions.public_cache import public_pages_changed
from safety.selectors import confirm_missing
from schedule.services import stage_check_open
from students import selectors
from students.committees import committee_name
from students.models import (
    ACTIVE_APPLICATION,
    Application,
    Clearance,
    Placement,
    PracticeLog,
    Student,
    University,
)
from students.rounds import free_seats_in, supplementary_is_open

PRIVACY_NOTICE_VERSION = "2026-11-22"  # rights, reveals and retention added
# What a student may change after registering; identity (name, ID, school, hometown) is fixed.
STUDENT_EDITABLE = (
    "phone",
    "email",
    "college",
    "major",
    "skills",
    "degree",
    "grade",
    "graduation_year",
    "politics",
    "is_cadre",
)
CODE_ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"  # no 0/O, 1/I: read aloud and typed on phones
CERTIFICATE_CODE_LENGTH = 12  # 证书编号: 32^12 codes, too many to guess one that was issued

S = Application.Status


def _name_taken(name: str, university: University | None = None) -> ValidationError | None:
    others = University.objects.filter(name=name).select_related("province")
    if university is not None:
        others = others.exclude(pk=university.pk)
    other = others.first()
    if other is None:
        return None
    return ValidationError(
        {
            "name": _("已有名为“%(name)s”的高校（%(province)s），请勿重复登记。")
            % {"name": name, "province": other.province.name}
        }
    )


def _save_unique(university: University, **kwargs) -> None:
    """The unique name and code hold in the database: of two staff saving the same name at
    once, the second is told, not shown an error page."""
    try:
        with transaction.atomic():
            university.save(**kwargs)
    except IntegrityError as error:
        raise _name_taken(university.name, university) or ValidationError(
            {"code": _("该学校标识码已被另一所高校使用。")}
        ) from error


@transaction.atomic
def university_create(
    *,
    province: Region,
    name: str,
    code: str | None = "",
    city: str = "",
    level: str = "",
    actor: User | None,
) -> University:
    """Provincial staff add an institution the national register lacks (a new school, a
    campus); a reload of the register never deletes it."""
    name = " ".join(name.split())
    university = University(
        province=province,
        name=name,
        code=(code or "").strip() or None,
        city=city.strip(),
        level=level,
        source=University.Source.PROVINCE,
    )
    if error := _name_taken(name):
        raise error
    university.full_clean()
    _save_unique(university)
    audit_record(
        Action.UNIVERSITY_CREATE,
        actor=actor,
        target=university,
        region=province,
        data={"name": name, "code": university.code or ""},
    )
    return university


@transaction.atomic
def university_rename(*, university: University, name: str, actor: User | None) -> University:
    """Provincial staff correct or update a name; the register's own name is kept beside it, so
    a reload of the register leaves this one alone."""
    name = " ".join(name.split())
    university = University.objects.select_for_update().get(pk=university.pk)
    old = university.name
    if name == old:
        return university
    if error := _name_taken(name, university):
        raise error
    university.name = name
    university.full_clean(exclude=["code"])
    _save_unique(university, update_fields=["name"])
    audit_record(
        Action.UNIVERSITY_RENAME,
        actor=actor,
        target=university,
        region=university.province,
        data={"from": old, "to": name},
    )
    return university


# Registration ---------------------------------------------------------------------------------


@transaction.atomic
def student_register(
    *,
    username: str,
    password: str,
    consent: bool,
    name: str,
    id_number: str,
    phone: str,
    university: University,
    student_number: str,
    major: str,
    grade: int,
    hometown: Region,
    email: str = "",
    college: str = "",
    degree: str = "",
    graduation_year: int | None = None,
    politics: str = "",
    is_cadre: bool = False,
    residence: Region | None = None,
) -> Student:
    """A student signs up (nobody is signed in yet, so there is no actor). What registration
    leaves out is completed on the profile; an application waits for PROFILE_NEEDED_TO_APPLY."""
    if not consent:
        raise ValidationError({"consent": _("请阅读并同意个人信息保护声明。")})
    number = id_number_clean(id_number)
    if hometown.level != Region.Level.COUNTY:
        raise ValidationError({"hometown": _("请选择到县（市、区）或镇街。")})
    _check_residence(residence)
    user = User(username=username, role=Role.STUDENT, name=name, email=email, phone=phone)
    user.set_password(password)
    student = Student(
        name=name,
        phone=phone,
        email=email,
        university=university,
        student_number=student_number,
        college=college,
        major=major,
        degree=degree,
        grade=grade,
        graduation_year=graduation_year,
        politics=politics,
        is_cadre=is_cadre,
        hometown=hometown,
        residence=residence,
        consent_version=PRIVACY_NOTICE_VERSION,
        consented_at=timezone.now(),
    )
    id_number_set(student, number)
    student.full_clean(exclude=["user", "id_number_digest"], validate_constraints=False)
    try:
        with transaction.atomic():
            user.save()
            student.user = user
            student.save()
    except IntegrityError as error:
        raise _registration_clash(username) from error
    return student


def _registration_clash(username: str) -> ValidationError:
    if User.objects.filter(username__iexact=username).exists():
        return ValidationError({"username": _("该用户名已被使用。")})
    # A taken ID number and a taken student number get one answer, on no field: a visitor must
    # not learn whether this person (or this student number) is registered. A real student
    # learns what to check and where to go.
    return ValidationError(
        _(
            "无法用这些信息注册：身份证号或学号已被使用。如果你以前注册过，请用原来的用户名"
            "直接登录；如果没有注册过，请核对这两项，或联系家乡县（市、区）团委核实。"
        ),
        code="registration_clash",
    )


@transaction.atomic
def student_update(
    *,
    student: Student,
    actor: User | None,
    phone: str | None = None,
    email: str | None = None,
    college: str | None = None,
    major: str | None = None,
    skills: str | None = None,
    degree: str | None = None,
    grade: int | None = None,
    graduation_year: int | None = None,
    politics: str | None = None,
    is_cadre: bool | None = None,
) -> Student:
    """Fields left out (None) stay as they are; none of them is nullable."""
    fields = {
        "phone": phone,
        "email": email,
        "college": college,
        "major": major,
        "skills": skills,
        "degree": degree,
        "grade": grade,
        "graduation_year": graduation_year,
        "politics": politics,
        "is_cadre": is_cadre,
    }
    changed = []
    for name, value in fields.items():
        if value is not None and getattr(student, name) != value:
            setattr(student, name, value)
            changed.append(name)
    student.full_clean(exclude=["user", "id_number_digest"], validate_unique=False)
    student.save()
    User.objects.filter(pk=student.user_id).update(phone=student.phone, email=student.email)
    if changed:  # which fields, never their values
        audit_record(
            Action.PROFILE_UPDATE,
            actor=actor,
            target=student,
            region=student.hometown,
            data={"fields": changed},
        )
    return student


# Identity corrections (the hometown county's staff) -------------------------------------------

# What only the hometown county corrects: the fields a student cannot change on their profile.
IDENTITY_FIELDS = ("name", "id_number", "university", "student_number", "hometown")
OPEN_CHOICES = (S.APPLIED, S.SHORTLISTED, S.OFFERED)


@transaction.atomic
def student_identity_correct(
    *,
    actor: User,
    student: Student,
    reason: str,
    name: str | None = None,
    id_number: str | None = None,
    university: University | None = None,
    student_number: str | None = None,
    hometown: Region | None = None,
) -> Student:
    """Correct what the student cannot change themselves (None or blank: unchanged), with the
    reason; audited (ID numbers masked) and the student told. A new hometown withdraws the
    student's open choices (意向) in the old county; refused while the student is placed there
    (confirmed or reported)."""
    if actor.role != Role.COUNTY or actor.region_id != student.hometown_id:
        raise PermissionDenied
    if not reason.strip():
        raise ValidationError({"reason": _("请填写更正原因。")})
    student = (
        Student.objects.select_for_update(of=("self",))
        .select_related("hometown__parent")
        .get(pk=student.pk)
    )
    if actor.region_id != student.hometown_id:
        raise PermissionDenied  # another correction moved the student away while we waited
    old_county = student.hometown
    before, key = _identity_of(student), _identity_key(student)
    _identity_apply(student, name, id_number, university, student_number, hometown)
    after, new_key = _identity_of(student), _identity_key(student)
    changed = [field for field in IDENTITY_FIELDS if key[field] != new_key[field]]
    if not changed:
        raise ValidationError(_("没有需要更正的内容：填写的信息与现有信息相同。"))
    if "hometown" in changed:
        _check_not_placed(student, old_county)
    _identity_save(student)
    entries_follow_identity(
        student=student, moved_from=old_county if "hometown" in changed else None
    )
    withdrawn = _choices_withdraw(student, old_county, actor) if "hometown" in changed else 0
    audit_record(
        Action.IDENTITY_CORRECT,
        actor=actor,
        target=student,
        region=old_county,
        data={
            "fields": changed,
            "reason": reason.strip(),
            "before": {f: before[f] for f in changed},
            "after": {f: after[f] for f in changed},
            "withdrawn": withdrawn,
        },
    )
    _tell_corrected(student, old_county, changed, reason.strip(), withdrawn)
    return student


def _identity_of(student: Student) -> dict[str, str]:
    """What the audit record shows of each field: the ID number only masked."""
    hometown = student.hometown
    return {
        "name": student.name,
        "id_number": student.id_number_masked,
        "university": f"{student.university.name}（{student.university.code or _('无标识码')}）",
        "student_number": student.student_number,
        "hometown": f"{hometown.parent.name}{hometown.name}（{hometown.code}）",
    }


def _identity_key(student: Student) -> dict:
    """What tells a change: the ID number by its digest (two numbers may mask alike)."""
    return {
        "name": student.name,
        "id_number": student.id_number_digest,
        "university": student.university_id,
        "student_number": student.student_number,
        "hometown": student.hometown_id,
    }


def _identity_apply(student, name, id_number, university, student_number, hometown) -> None:
    if name and name.strip():
        student.name = name.strip()
    if id_number and id_number.strip():
        number = id_number_clean(id_number)
        if number != student.id_number:
            id_number_set(student, number)
    if university is not None:
        student.university = university
    if student_number and student_number.strip():
        student.student_number = student_number.strip()
    if hometown is not None:
        if hometown.level != Region.Level.COUNTY:
            raise ValidationError({"hometown": _("请选择到县（市、区）或镇街。")})
        student.hometown = Region.objects.select_related("parent").get(pk=hometown.pk)


def _check_not_placed(student: Student, county: Region) -> None:
    placed = Placement.objects.filter(
        student=student,
        post__host_unit__county=county,
        status__in=(Placement.Status.CONFIRMED, Placement.Status.REPORTED),
    )
    if placed.exists():
        raise ValidationError(
            {
                "hometown": _(
                    "该学生在%(county)s有已确认或已报到的实践安排，不能更改生源地；"
                    "请先完成期满鉴定或终止该安排后再更正。"
                )
                % {"county": county.name}
            }
        )


def _identity_save(student: Student) -> None:
    student.full_clean(exclude=["user", "id_number_digest"], validate_unique=False)
    try:
        with transaction.atomic():
            student.save()
    except IntegrityError as error:
        taken = Student.objects.filter(id_number_digest=student.id_number_digest)
        if taken.exclude(pk=student.pk).exists():
            raise ValidationError({"id_number": _("该身份证号已被其他学生使用。")}) from error
        raise ValidationError({"student_number": _("该校已有使用此学号的学生。")}) from error
    User.objects.filter(pk=student.user_id).update(name=student.name)


def _choices_withdraw(student: Student, county: Region, actor: User) -> int:
    """The student's open choices in the county they are not from after all: withdrawn, and the
    choices left in each season renumbered from 1."""
    choices = (
        Application.objects.select_for_update(of=("self",))
        .select_related("post__host_unit")
        .filter(student=student, post__host_unit__county=county, status__in=OPEN_CHOICES)
    )
    # A post still open to them (to anyone, or to residents where they live) keeps the choice:
    # withdrawn, it could not be chosen again (one application per post).
    closing = [c for c in choices if not selectors.post_is_open_to(c.post, student)]
    if not closing:
        return 0
    Application.objects.filter(pk__in=[c.pk for c in closing]).update(
        status=S.WITHDRAWN, updated_at=timezone.now()
    )
    for season_id in {c.season_id for c in closing}:
        _renumber(list(_active_choices(student.pk, season_id)))
    audit_record_many(
        Action.APPLICATION_WITHDRAW,
        actor=actor,
        targets=closing,
        region=county,
        data={"reason": _("生源地更正")},
    )
    return len(closing)


def _tell_corrected(student, old_county, changed, reason, withdrawn) -> None:
    labels = "、".join(str(Student._meta.get_field(f).verbose_name) for f in changed)
    committee = committee_of(old_county)
    text = _("%(committee)s更正了你的%(fields)s。原因：%(reason)s") % {
        "committee": committee,
        "fields": labels,
        "reason": reason,
    }
    if withdrawn:
        text += _("你在%(county)s的 %(n)d 个意向已撤回，可以报名新生源地的岗位。") % {
            "county": old_county.name,
            "n": withdrawn,
        }
    notify(user=student.user, text=text[:300], url=reverse("students:profile"))


def committee_of(county: Region) -> str:
    """The county's Youth League committee, as messages to students name it (短称)."""
    return committee_name(county.parent.name, county.name)


def _check_residence(residence: Region | None) -> None:
    if residence is not None and residence.level != Region.Level.COUNTY:
        raise ValidationError({"residence": _("常住地请选择到县（市、区）或镇街。")})


@transaction.atomic
def student_residence_set(
    *, student: Student, residence: Region | None, actor: User | None
) -> Student:
    """常住地: the student gives (or clears) the county they live in besides the hometown; posts
    opened to a county's residents then take them. Choices already made stay as they are."""
    _check_residence(residence)
    if student.residence_id == (residence.pk if residence else None):
        return student
    Student.objects.filter(pk=student.pk).update(residence=residence)
    student.residence = residence
    audit_record(
        Action.PROFILE_UPDATE,
        actor=actor,
        target=student,
        region=student.hometown,
        data={"fields": ["residence"]},
    )
    return student


# Applications (意向) --------------------------------------------------------------------------


def _max_preferences(post: Post) -> int:
    return post.season.programme_year.max_preferences


def offer_reply_days(post: Post) -> int:
    """How many days a student has to confirm an offer: the programme year's setting."""
    return post.season.programme_year.offer_reply_days


@transaction.atomic
def application_submit(
    *, student: Student, post: Post, actor: User | None, statement: str = ""
) -> Application:
    """Add the post as the student's next choice for its season."""
    # One submission at a time per student, and the hometown as it is now: a correction of
    # the 生源地 (student_identity_correct) holds the same lock.
    student = Student.objects.select_for_update().get(pk=student.pk)
    if post.status != Post.Status.PUBLISHED:
        raise ValidationError(_("该岗位未在招募中。"))
    stage_check_open(season=post.season, stage="match", county_id=post.host_unit.county_id)
    if not selectors.post_is_open_to(post, student):
        raise ValidationError(post.closed_to_message())
    if missing := student.missing_for_application():
        raise ValidationError(profile_incomplete_message(missing), code="profile_incomplete")
    # Every choice of the practice period counts, in this county or any other (open posts).
    active = Application.objects.filter(
        student=student,
        season__in=selectors.period_seasons(post.season_id),
        status__in=ACTIVE_APPLICATION,
    )
    if active.filter(status=S.CONFIRMED).exists():
        raise ValidationError(_("本实践季已确认岗位，不能再报名。"))
    if Application.objects.filter(student=student, post=post).exists():
        raise ValidationError(_("已经报名过这个岗位。"))
    if active.count() >= _max_preferences(post):
        raise ValidationError(
            _("每个实践季最多填报 %(n)s 个意向。") % {"n": _max_preferences(post)}
        )
    if _supplementary_full(post):
        raise ValidationError(_("补录期间只能报名仍有空余名额的岗位。"))
    rank = (active.aggregate(top=Max("rank"))["top"] or 0) + 1
    return Application.objects.create(
        student=student, post=post, season=post.season, rank=rank, statement=statement.strip()
    )


def profile_incomplete_message(missing: list[str]) -> str:
    return _("报名前请先在“个人信息”中填写：%(fields)s。") % {"fields": "、".join(missing)}


def _supplementary_full(post: Post) -> bool:
    county_id = post.host_unit.county_id
    if not supplementary_is_open(county_id, post.season_id):
        return False
    return post.pk not in free_seats_in(post.host_unit.county, post.season)


def _lock_student(student_id: int) -> None:
    """Whatever changes a student's choices queues on the student's row first, as
    application_submit and offer_confirm do: taking the choices' rows in different orders, a
    host unit's rejection and the student's confirmation or withdrawal deadlocked (a 500)."""
    list(Student.objects.select_for_update().filter(pk=student_id).values_list("pk", flat=True))


def _active_choices(student_id: int, season_id: int):
    return (
        Application.objects.select_for_update()
        .filter(
            student_id=student_id,
            season__in=selectors.period_seasons(season_id),
            status__in=ACTIVE_APPLICATION,
        )
        .order_by("rank")
    )


def _renumber(choices: list[Application]) -> None:
    # Two passes, so no moment has two choices on one rank (a unique constraint watches).
    for offset in (100, 0):
        for n, choice in enumerate(choices, start=1):
            Application.objects.filter(pk=choice.pk).update(rank=n + offset)


@transaction.atomic
def application_withdraw(*, application: Application, actor: User | None) -> Application:
    _lock_student(application.student_id)
    choices = list(_active_choices(application.student_id, application.season_id))
    changed = Application.objects.filter(
        pk=application.pk, status__in=(S.APPLIED, S.SHORTLISTED)
    ).update(status=S.WITHDRAWN, updated_at=timezone.now())
    if changed != 1:
        raise ValidationError(_("只有尚未录用的意向可以撤回。"))
    _renumber([c for c in choices if c.pk != application.pk])
    application.refresh_from_db()
    _audit(Action.APPLICATION_WITHDRAW, application, application.post, actor=actor)
    return application


@transaction.atomic
def application_move_up(*, application: Application, actor: User | None) -> None:
    """Swap a choice with the one ranked just above it."""
    _lock_student(application.student_id)
    choices = list(_active_choices(application.student_id, application.season_id))
    index = next((i for i, c in enumerate(choices) if c.pk == application.pk), None)
    if index is None:
        raise ValidationError(_("只有仍在进行中的意向可以调整顺序。"))
    if index == 0:
        return
    choices[index - 1], choices[index] = choices[index], choices[index - 1]
    _renumber(choices)


# Selection (双向选择) ---------------------------------------------------------------------------


@transaction.atomic
def application_host_rank(
    *, application: Application, rank: int | None, unsuitable: bool, actor: User | None
) -> Application:
    if application.status not in (S.APPLIED, S.SHORTLISTED):
        raise ValidationError(_("该报名已有结果，不能再排序。"))
    Application.objects.filter(pk=application.pk).update(
        host_rank=None if unsuitable else rank,
        host_unsuitable=unsuitable,
        updated_at=timezone.now(),
    )
    application.refresh_from_db()
    return application


def _decide(
    application: Application, *, allowed: tuple, to: str, refusal: str, **extra
) -> Application:
    _lock_student(application.student_id)
    changed = Application.objects.filter(pk=application.pk, status__in=allowed).update(
        status=to, updated_at=timezone.now(), **extra
    )
    if changed != 1:
        raise ValidationError(refusal)
    if to not in ACTIVE_APPLICATION:  # close the gap it leaves among the student's choices
        _renumber(list(_active_choices(application.student_id, application.season_id)))
    application.refresh_from_db()
    return application


def _audit(action: str, record, post: Post, *, actor: User | None, **data) -> None:
    audit_record(action, actor=actor, target=record, region=post.host_unit.county, data=data)


def _tell_student(application: Application, text: str) -> None:
    notify(user=application.student.user, text=text, url=reverse("students:me"))


@transaction.atomic
def application_shortlist(*, application: Application, actor: User | None) -> Application:
    application = _decide(
        application, allowed=(S.APPLIED,), to=S.SHORTLISTED, refusal=_("只有刚报名的意向可以入围。")
    )
    _audit(Action.APPLICATION_SHORTLIST, application, application.post, actor=actor)
    _tell_student(application, _("你报名的“%(post)s”已入围。") % {"post": application.post.title})
    return application


@transaction.atomic
def application_reject(*, application: Application, actor: User | None) -> Application:
    application = _decide(
        application,
        allowed=(S.APPLIED, S.SHORTLISTED),
        to=S.REJECTED,
        refusal=_("该报名已有结果。"),
    )
    _audit(Action.APPLICATION_REJECT, application, application.post, actor=actor)
    _tell_student(
        application, _("很遗憾，你报名的“%(post)s”未入选。") % {"post": application.post.title}
    )
    return application


def _placed_this_period(application: Application) -> bool:
    """A placement this practice period, in any county or province. The database holds one
    per season row; a post of another province's season (open to anyone) is the same summer."""
    return (
        Placement.objects.filter(
            student_id=application.student_id,
            season__in=selectors.period_seasons(application.season_id),
        )
        .exclude(status=Placement.Status.DROPPED)
        .exists()
    )


@transaction.atomic
def application_offer(
    *, application: Application, actor: User | None, now: datetime.datetime | None = None
) -> Application:
    now = now or timezone.now()
    _lock_student(application.student_id)  # so a confirmation elsewhere cannot slip past
    if _placed_this_period(application):
        raise ValidationError(_("该学生本实践季已确认其他岗位。"))
    post = Post.objects.select_related("host_unit", "season__programme_year").get(
        pk=application.post_id
    )  # as it is now, not as it was loaded
    if post.status != Post.Status.PUBLISHED:
        raise ValidationError(_("该岗位已截止或已撤销，不能再录用。"))
    stage_check_open(
        season=post.season,
        stage="match",
        county_id=post.host_unit.county_id,
        today=timezone.localdate(now),
    )
    days = offer_reply_days(post)
    if post.placements.exclude(status=Placement.Status.DROPPED).count() >= post.headcount:
        raise ValidationError(_("该岗位名额已满，不能再录用。"))
    application = _decide(
        application,
        allowed=(S.APPLIED, S.SHORTLISTED),
        to=S.OFFERED,
        refusal=_("只有报名中或入围的意向可以录用。"),
        offer_expires_at=now + datetime.timedelta(days=days),
    )
    _public_if_full(post)
    _audit(Action.APPLICATION_OFFER, application, post, actor=actor)
    _tell_student(
        application,
        _("你被“%(post)s”录用，请在 %(days)s 天内确认。")
        % {"post": application.post.title, "days": days},
    )
    return application


def _public_if_full(post: Post) -> None:
    # The public pages may show a seat count a minute old, but not 剩余名额 on a full post.
    if selectors.post_seats_left(post.pk) == 0:
        public_pages_changed()


@transaction.atomic
def offer_confirm(
    *, application: Application, actor: User | None, now: datetime.datetime | None = None
) -> Placement:
    """The student accepts. Capacity holds under concurrent clicks: the post row is locked while
    its places are counted, so the (headcount + 1)th confirmation waits and then finds it full."""
    now = now or timezone.now()
    # Lock order student → post → application, as in application_submit: the same student
    # confirming two offers at once queues here instead of deadlocking further down.
    Student.objects.select_for_update().get(pk=application.student_id)
    post = Post.objects.select_for_update().get(pk=application.post_id)
    application = Application.objects.select_for_update().get(pk=application.pk)
    if post.status != Post.Status.PUBLISHED:
        raise ValidationError(_("该岗位已截止或已撤销，不能再确认录用。"))
    if application.status != S.OFFERED:
        raise ValidationError(_("没有待确认的录用。"))
    if application.offer_expires_at and application.offer_expires_at < now:
        raise ValidationError(_("录用确认已过期。"))
    # The emergency contact and (where the province requires it) the 行前安全教育: the same
    # list the confirm screens show, each saying where it is done.
    if missing := confirm_missing(application):
        raise ValidationError([item.text for item in missing])
    stage_check_open(
        season=post.season,
        stage="match",
        county_id=post.host_unit.county_id,
        today=timezone.localdate(now),
    )
    # Under the student's lock taken above, so two confirmations cannot both pass.
    if _placed_this_period(application):
        raise ValidationError(_("本实践季已确认过一个岗位。"))
    taken = Placement.objects.filter(post=post).exclude(status=Placement.Status.DROPPED).count()
    if taken >= post.headcount:
        raise ValidationError(_("很遗憾，该岗位名额已满。"))
    _decide(application, allowed=(S.OFFERED,), to=S.CONFIRMED, refusal=_("没有待确认的录用。"))
    try:
        with transaction.atomic():
            placement = Placement.objects.create(
                application=application,
                student_id=application.student_id,
                post=post,
                season_id=application.season_id,
                checkin_code=_code(6),
            )
    except IntegrityError as error:
        raise ValidationError(_("本实践季已确认过一个岗位。")) from error
    _close_other_choices(application)

    entry_for_participant(application.student)
    _audit(Action.OFFER_CONFIRM, placement, post, application=application.pk, actor=actor)
    _tell_host_unit(application, _("%(name)s 已确认“%(post)s”的录用。"))
    return placement


def _tell_host_unit(application: Application, template: str) -> None:
    text = template % {"name": application.student.name, "post": application.post.title}
    url = reverse("students:post_applicants", args=[application.post_id])
    for officer in User.objects.filter(host_unit=application.post.host_unit_id, is_active=True):
        notify(user=officer, text=text, url=url)


def _close_other_choices(confirmed: Application) -> None:
    others = Application.objects.filter(
        student_id=confirmed.student_id,
        season__in=selectors.period_seasons(confirmed.season_id),
    ).exclude(pk=confirmed.pk)
    others.filter(status=S.OFFERED).update(status=S.DECLINED, updated_at=timezone.now())
    others.filter(status__in=(S.APPLIED, S.SHORTLISTED)).update(
        status=S.WITHDRAWN, updated_at=timezone.now()
    )


@transaction.atomic
def offer_decline(*, application: Application, actor: User | None) -> Application:
    application = _decide(
        application, allowed=(S.OFFERED,), to=S.DECLINED, refusal=_("没有待确认的录用。")
    )
    _audit(Action.OFFER_DECLINE, application, application.post, actor=actor)
    _tell_host_unit(application, _("%(name)s 放弃了“%(post)s”的录用。"))
    return application


def offers_expire(*, now: datetime.datetime, actor: User | None) -> int:
    """Offers not confirmed in time lapse and the student is told; safe to run again, and two
    workers running it at once each take different rows (skip_locked)."""
    expired = 0
    with transaction.atomic():
        due = (
            Application.objects.select_for_update(skip_locked=True, of=("self",))
            .filter(status=S.OFFERED, offer_expires_at__lt=now)
            .select_related("student__user", "post__host_unit__county__parent__parent")
        )
        for application in due:
            Application.objects.filter(pk=application.pk).update(status=S.EXPIRED, updated_at=now)
            _audit(Action.OFFER_EXPIRE, application, application.post, actor=actor)
            _tell_student(
                application,
                _("“%(post)s”的录用未在期限内确认，已过期。") % {"post": application.post.title},
            )
            expired += 1
    return expired


# Placements -----------------------------------------------------------------------------------


def _code(length: int) -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(length))


def _move(placement: Placement, *, allowed: tuple, to: str, refusal: str, **extra) -> Placement:
    changed = Placement.objects.filter(pk=placement.pk, status__in=allowed).update(
        status=to, **extra
    )
    if changed != 1:
        raise ValidationError(refusal)
    placement.refresh_from_db()
    return placement


def _check_practice_window(placement: Placement) -> None:
    window = selectors.checkin_window(placement.post, timezone.localdate())
    if window == "before":
        raise ValidationError(
            _("报到将于 %(day)s 开放，届时请向用人单位索取报到码。")
            % {"day": placement.post.starts_on}
        )
    if window == "after":
        raise ValidationError(
            _("实践已于 %(day)s 结束，不能再报到。") % {"day": placement.post.ends_on}
        )


CHECKIN_ATTEMPTS = 5  # wrong codes in a row before a pause
CHECKIN_PAUSE = datetime.timedelta(minutes=30)


def placement_checkin(*, placement: Placement, code: str, actor: User | None) -> Placement:
    """报到 by the student with the code the host unit shows.

    Each try first claims one of CHECKIN_ATTEMPTS under the placement's row lock, so concurrent
    guesses cannot exceed the limit between a read and a write. The claim that uses the last
    attempt sets the pause in the same write (a request that dies afterwards cannot leave the
    count full and no pause, which would block check-in for good); the first claim after the
    pause starts the count again. Claims and the audit of a wrong code are committed on their
    own, not rolled back with the refusal. Before the practice starts nothing is compared, so a
    code cannot be tested ahead of time.
    """
    _check_practice_window(placement)
    now = timezone.now()
    claim, counted = _checkin_claim(placement=placement, now=now)
    if claim is None:
        raise ValidationError(_("只有已确认、尚未报到的安排可以报到。"))
    if not counted:
        raise ValidationError(_checkin_paused_message(claim))
    typed = code.strip().upper().encode()
    if not secrets.compare_digest(typed, placement.checkin_code.encode()):
        paused = claim.checkin_paused_until is not None
        _audit_outside_refusal(Action.CHECKIN_REFUSE, placement, actor=actor, paused=paused)
        if paused:
            raise ValidationError(_checkin_paused_message(claim))
        raise ValidationError(_("报到码不正确，请向用人单位核对。"))
    Placement.objects.filter(pk=placement.pk).update(checkin_failures=0, checkin_paused_until=None)
    return placement_report(placement=placement, actor=actor, by_code=True)


@transaction.atomic
def _checkin_claim(
    *, placement: Placement, now: datetime.datetime
) -> tuple[Placement | None, bool]:
    """Claim one attempt under the row's lock (two guesses at once queue here): the row as this
    try left it (paused if it used the last attempt) and True; the row and False while a pause
    set before runs; (None, False) if check-in is not open at all."""
    row = (
        Placement.objects.select_for_update()
        .filter(pk=placement.pk, status=Placement.Status.CONFIRMED)
        .only("checkin_failures", "checkin_paused_until")
        .first()
    )
    if row is None:
        return None, False
    paused = row.checkin_paused_until
    if paused is not None and paused > now:
        return row, False
    row.checkin_failures = 1 if paused is not None else row.checkin_failures + 1
    row.checkin_paused_until = (
        now + CHECKIN_PAUSE if row.checkin_failures >= CHECKIN_ATTEMPTS else None
    )
    row.save(update_fields=["checkin_failures", "checkin_paused_until"])
    return row, True


def _checkin_paused_message(placement: Placement) -> str:
    return _("报到码连续输错 %(n)d 次，请于 %(time)s 后再试，或请用人单位直接登记报到。") % {
        "n": CHECKIN_ATTEMPTS,
        "time": timezone.localtime(placement.checkin_paused_until).strftime("%H:%M"),
    }


@transaction.atomic
def _audit_outside_refusal(
    action: str, placement: Placement, *, actor: User | None, **data
) -> None:
    """Committed before the caller raises its refusal (an atomic block raising would undo it)."""
    _audit(action, placement, placement.post, actor=actor, **data)


@transaction.atomic
def placement_report(
    *, placement: Placement, actor: User | None, by_code: bool = False
) -> Placement:
    """报到 recorded by the host unit or county (the student's own goes through placement_checkin)."""
    _check_practice_window(placement)
    placement = _move(
        placement,
        allowed=(Placement.Status.CONFIRMED,),
        to=Placement.Status.REPORTED,
        refusal=_("只有已确认、尚未报到的安排可以报到。"),
        reported_at=timezone.now(),
    )
    _audit(Action.PLACEMENT_REPORT, placement, placement.post, by_code=by_code, actor=actor)
    return placement


@transaction.atomic
def placement_train(*, placement: Placement, actor: User | None) -> Placement:
    changed = Placement.objects.filter(
        pk=placement.pk, status=Placement.Status.REPORTED, trained_at__isnull=True
    ).update(trained_at=timezone.now())
    if changed != 1:
        raise ValidationError(_("报到后才能记录岗前培训，且只记录一次。"))
    placement.refresh_from_db()
    return placement


@transaction.atomic
def placement_evaluate(
    *, placement: Placement, rating: str, actor: User | None, comment: str = ""
) -> Placement:
    """期满鉴定: once, after reporting; the hours are those confirmed in the practice log. It
    issues the certificate's 证书编号. County staff evaluate as 联合用人单位: jointly
    with the host unit, or on its behalf when it has no account (`selectors.evaluator_for`),
    and the placement says which.

    The host unit and the county may press the button at the same moment: the move from
    reported to completed is one conditional UPDATE, so the second finds the row completed
    (PostgreSQL re-reads it after the first commits) and is refused; only one evaluation, one
    certificate code and one audit event are kept."""
    if rating not in Placement.Rating.values:
        raise ValidationError({"rating": _("请选择鉴定等次。")})
    if placement.status != Placement.Status.REPORTED:
        raise ValidationError(_("只有已报到、尚未鉴定的安排可以鉴定。"))
    if timezone.localdate() < placement.post.ends_on:
        raise ValidationError(
            _("实践期满（%(day)s）后才能鉴定。") % {"day": placement.post.ends_on}
        )
    hours = confirmed_hours(placement)
    if hours < 1:
        raise ValidationError(_("还没有已确认的实践日志，请先确认学生的实践时长。"))
    evaluated_by = selectors.evaluator_for(actor, placement.post.host_unit_id)
    placement = _move(
        placement,
        allowed=(Placement.Status.REPORTED,),
        to=Placement.Status.COMPLETED,
        refusal=_("只有已报到、尚未鉴定的安排可以鉴定。"),
        rating=rating,
        hours=hours,
        comment=comment.strip(),
        evaluated_by=evaluated_by,
        completed_at=timezone.now(),
        certificate_code=_code(CERTIFICATE_CODE_LENGTH),
    )
    _audit(
        Action.PLACEMENT_EVALUATE,
        placement,
        placement.post,
        rating=rating,
        hours=hours,
        evaluated_by=evaluated_by,
        actor=actor,
    )
    if evaluated_by == Placement.Evaluator.JOINT:
        _tell_host_unit(
            placement.application, _("县级团委已会同你单位完成%(name)s在“%(post)s”的期满鉴定。")
        )
    _tell_student(
        placement.application,
        _("“%(post)s”的期满鉴定已完成，证书可以下载了。") % {"post": placement.post.title},
    )
    return placement


def confirmed_hours(placement: Placement) -> int:
    total = placement.logs.filter(confirmed_at__isnull=False).aggregate(total=Sum("hours"))["total"]
    return int((total or Decimal(0)).quantize(Decimal(1), rounding=ROUND_HALF_UP))


@transaction.atomic
def practice_log_add(
    *, placement: Placement, day: datetime.date, hours, content: str, actor: User | None
) -> PracticeLog:
    if placement.status != Placement.Status.REPORTED:
        raise ValidationError(_("报到之后、鉴定之前才能填写实践日志。"))
    if not placement.post.starts_on <= day <= min(placement.post.ends_on, timezone.localdate()):
        raise ValidationError({"day": _("日期须在岗位实践期内，且不晚于今天。")})
    log = PracticeLog(placement=placement, day=day, hours=hours, content=content.strip())
    log.full_clean(exclude=["placement"])
    try:
        with transaction.atomic():
            log.save()
    except IntegrityError as error:
        raise ValidationError({"day": _("这一天已经写过日志了。")}) from error
    return log


@transaction.atomic
def practice_log_confirm(*, log: PracticeLog, actor: User | None) -> PracticeLog:
    changed = PracticeLog.objects.filter(
        pk=log.pk, confirmed_at__isnull=True, placement__status=Placement.Status.REPORTED
    ).update(confirmed_at=timezone.now())
    if changed != 1:
        raise ValidationError(_("该日志已确认，或实践已结束。"))
    log.refresh_from_db()
    return log


# University: clearance before departure ---------------------------------------------------------


@transaction.atomic
def clearance_record(
    *,
    student: Student,
    season,
    actor: User | None,
    performance: bool = False,
    safety: bool = False,
):
    clearance, _created = Clearance.objects.select_for_update().get_or_create(
        student=student, season=season
    )
    now = timezone.now()
    changed = False
    if performance and clearance.performance_certified_at is None:
        clearance.performance_certified_at = now
        changed = True
    if safety and clearance.safety_trained_at is None:
        clearance.safety_trained_at = now
        changed = True
    if not changed:
        return clearance
    clearance.save()
    audit_record(
        Action.CLEARANCE_RECORD,
        actor=actor,
        target=clearance,
        region=student.university.province,
        data={"performance": performance, "safety": safety},
    )
    return clearance


@transaction.atomic
def placement_drop(*, placement: Placement, reason: str, actor: User | None) -> Placement:
    if not reason.strip():
        raise ValidationError({"drop_reason": _("请填写终止原因。")})
    placement = _move(
        placement,
        allowed=(Placement.Status.CONFIRMED, Placement.Status.REPORTED),
        to=Placement.Status.DROPPED,
        refusal=_("已完成或已终止的安排不能终止。"),
        drop_reason=reason.strip(),
    )
    _audit(Action.PLACEMENT_DROP, placement, placement.post, actor=actor)
    # The choice is over too, so the student may apply again this season.
    Application.objects.filter(pk=placement.application_id).update(
        status=S.WITHDRAWN, updated_at=timezone.now()
    )
    _tell_student(
        placement.application,
        _("“%(post)s”的实践已终止：%(reason)s")
        % {"post": placement.post.title, "reason": placement.drop_reason},
    )
    return placement


# Personal data: who may see it whole ----------------------------------------------------------

# The county buys the students' accident insurance and answers for them (ID number and phone);
# the host unit only needs to call its applicants (phone). Everyone else sees masked values.
REVEALABLE: dict[str, tuple[str, ...]] = {
    Role.COUNTY: ("id_number", "phone"),
    Role.HOST: ("phone",),
}
# Only while the choice is open or the student is placed: a withdrawn or rejected applicant is
# no longer the county's or host unit's business.
REVEAL_WHILE = (S.APPLIED, S.SHORTLISTED, S.OFFERED, S.CONFIRMED)


def personal_data_reveal(*, application: Application, actor: User) -> dict[str, str]:
    """The full values the viewer's duty needs, and an audit event saying who saw which."""
    fields = REVEALABLE.get(actor.role, ())
    if not fields:
        raise ValidationError(_("你的角色不能查看完整个人信息。"))
    if application.status not in REVEAL_WHILE:
        raise ValidationError(_("该报名已结束，不能再查看学生的完整个人信息。"))
    student = application.student
    values = {field: getattr(student, field) or "" for field in fields}
    audit_record(
        Action.PII_REVEAL,
        actor=actor,
        target=student,
        region=application.post.host_unit.county,
        data={"fields": list(fields), "application": application.pk},
    )
    return values


def certificate_code_new() -> str:
    """A fresh 证书编号 (the 在校表现证明 are numbered the same way, universities/services.py)."""
    return _code(CERTIFICATE_CODE_LENGTH)


def certificate_code_valid(code: str) -> bool:
    """Whether `code` could be a 证书编号: 12 of the characters codes are made of."""
    return len(code) == CERTIFICATE_CODE_LENGTH and all(c in CODE_ALPHABET for c in code)


def certificate_find(code: str) -> Placement | None:
    code = (code or "").strip().upper()
    if not certificate_code_valid(code):
        return None
    return (
        Placement.objects.filter(certificate_code=code, status=Placement.Status.COMPLETED)
        .select_related(
            "student__university", "post__host_unit__county__parent", "season__programme_year"
        )
        .first()
    )
