"""The student's rights over their personal data (PIPL §45, §47): a copy of everything held about
them, erasure on request, and the retention rule that anonymises what the programme no longer
needs. Erased students keep their row (counts, certificates and credits still add up) with
every field that identifies a person emptied."""

import datetime
import json
from typing import Any

from axes.models import AccessAttempt, AccessLog
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max, Q, Value
from django.db.models.functions import Replace
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.audit import Action, audit_record
from accounts.auditchain import events_redact
from accounts.models import AuditEvent, Notice, User
from ledger.models import Entry
from outcomes.models import Outcome
from outcomes.services import outcomes_erase
from safety.models import EmergencyContact, Insurance
from students.models import Application, Clearance, Placement, PracticeLog, Student
from universities.models import NoticeReceipt, PerformanceCertificate, Recommendation

ERASED_NAME = "已注销"
IN_PROGRESS = (Placement.Status.CONFIRMED, Placement.Status.REPORTED)
OPEN_APPLICATIONS = (
    Application.Status.APPLIED,
    Application.Status.SHORTLISTED,
    Application.Status.OFFERED,
)


def _when(moment) -> str | None:
    return timezone.localtime(moment).isoformat() if moment else None


def student_data_export(*, student: Student) -> dict:
    """Everything the portal holds about the student, in their own words' order."""
    user = student.user
    data: dict[str, Any] = {
        "导出时间": _when(timezone.now()),
        "账号": {"用户名": user.username, "注册时间": _when(user.date_joined)},
        "个人信息": {
            "姓名": student.name,
            "身份证号": student.id_number,
            "手机号": student.phone,
            "电子邮箱": student.email,
            "就读高校": student.university.name,
            "学号": student.student_number,
            "学院": student.college,
            "专业": student.major,
            "特长/技能": student.skills,
            "学历层次": student.get_degree_display(),
            "年级": student.grade,
            "预计毕业年份": student.graduation_year,
            "政治面貌": student.get_politics_display(),
            "学生干部": student.is_cadre,
            "生源地": student.hometown.full_name,
            "常住地": student.residence.full_name if student.residence else "",
        },
        "隐私声明同意": {"版本": student.consent_version, "时间": _when(student.consented_at)},
    }
    data["报名"] = [
        {
            "岗位": a.post.title,
            "实践季": str(a.season),
            "意向": a.rank,
            "状态": a.get_status_display(),
            "个人陈述": a.statement,
            "报名时间": _when(a.created_at),
        }
        for a in student.applications.select_related("post", "season__programme_year")
    ]
    data["实践安排"] = [
        _placement(p) for p in student.placements.select_related("post", "insurance")
    ]
    data["实践总结"] = [_outcome(o) for o in _outcomes(student)]
    data["高校审核"] = [
        {
            "实践季": str(c.season),
            "在校表现证明": _when(c.performance_certified_at),
            "行前安全培训": _when(c.safety_trained_at),
        }
        for c in Clearance.objects.filter(student=student).select_related("season__programme_year")
    ]
    contact = EmergencyContact.objects.filter(student=student).first()
    data["紧急联系人"] = (
        {"姓名": contact.name, "关系": contact.get_relation_display(), "电话": contact.phone}
        if contact
        else None
    )
    data.update(_university_part(student))
    data["站内通知"] = [
        {"时间": _when(n.created_at), "内容": n.text} for n in Notice.objects.filter(user=user)
    ]
    return data


def _university_part(student: Student) -> dict:
    """What the student's university wrote about them and sent them (universities/)."""
    recommendation = Recommendation.objects.filter(student=student).first()
    return {
        "高校推荐": recommendation.text if recommendation else "",
        "在校表现证明": [
            {
                "证明编号": c.number,
                "实践季": str(c.season),
                "在校表现": c.statement,
                "开具时间": _when(c.issued_at),
                "撤销时间": _when(c.revoked_at),
            }
            for c in PerformanceCertificate.objects.filter(student=student).select_related(
                "season__programme_year"
            )
        ],
        "高校通知": [
            {"标题": r.notice.title, "时间": _when(r.notice.sent_at), "已读": _when(r.read_at)}
            for r in NoticeReceipt.objects.filter(student=student).select_related("notice")
        ],
    }


def _placement(p: Placement) -> dict:
    return {
        "岗位": p.post.title,
        "状态": p.get_status_display(),
        "报到时间": _when(p.reported_at),
        "鉴定等次": p.get_rating_display() if p.rating else "",
        "时长（小时）": p.hours,
        "鉴定意见": p.comment,
        "证书编号": p.certificate_code,
        "意外伤害保险": _insurance(p),
        "实践日志": [
            {"日期": log.day.isoformat(), "时长": str(log.hours), "内容": log.content}
            for log in p.logs.all()
        ],
    }


def _outcomes(student: Student):
    return (
        Outcome.objects.filter(placement__student=student)
        .select_related("placement__post")
        .prefetch_related("photos")
        .order_by("pk")
    )


def _outcome(o: Outcome) -> dict:
    """The text as written; the files by name (the student downloads them from the summary's
    own page, outcomes:detail)."""
    return {
        "岗位": o.placement.post.title,
        "实践总结": o.text,
        "照片": [photo.original_name for photo in o.photos.all()],
        "实践报告": o.report_name,
        "同意团委在典型案例中使用": o.consent,
        "提交时间": _when(o.submitted_at),
        "修改时间": _when(o.updated_at),
    }


def _insurance(p: Placement) -> dict | None:
    try:
        insurance = p.insurance
    except Insurance.DoesNotExist:
        return None
    return {
        "保险公司": insurance.insurer,
        "保单号": insurance.policy_number,
        "保险期间": f"{insurance.starts_on:%Y-%m-%d} 至 {insurance.ends_on:%Y-%m-%d}",
    }


def student_data_download(*, student: Student, actor: User) -> bytes:
    payload = json.dumps(student_data_export(student=student), ensure_ascii=False, indent=2)
    audit_record(Action.DATA_DOWNLOAD, actor=actor, target=student, region=student.hometown)
    return payload.encode()


@transaction.atomic
def student_erase(*, student: Student, password: str, actor: User) -> None:
    """The student's own request: refused while a placement is under way (the county and host
    unit answer for them until it ends); open choices are withdrawn first."""
    # Locked as offer_confirm locks it: an erasure and a confirmation cannot cross.
    student = (
        Student.objects.select_for_update().select_related("user", "hometown").get(pk=student.pk)
    )
    if not student.user.check_password(password):
        raise ValidationError({"password": _("密码不正确。")})
    if student.placements.filter(status__in=IN_PROGRESS).exists():
        raise ValidationError(
            _("你有已确认或正在进行的实践，请在实践结束（或由县级团委终止）后再申请注销。")
        )
    _anonymise(student, action=Action.ERASURE, actor=actor)


def _anonymise(student: Student, *, action: str, actor: User | None) -> bool:
    """Empty every identifying field, once: the claim on anonymised_at makes a second run (or a
    redelivered task) a no-op."""
    now = timezone.now()
    name = student.name  # as loaded, before the claim empties it
    claimed = Student.objects.filter(pk=student.pk, anonymised_at__isnull=True).update(
        anonymised_at=now,
        name=ERASED_NAME,
        id_number=None,
        id_number_digest=f"erased:{student.pk}",
        id_number_masked="",
        phone="",
        email="",
        student_number=f"erased-{student.pk}",
        college="",
        major="",
        skills="",
        residence=None,  # where the family lives: personal, and not needed for the counts
    )
    if claimed != 1:
        return False
    applications = Application.objects.filter(student=student)
    applications.filter(status__in=OPEN_APPLICATIONS).update(
        status=Application.Status.WITHDRAWN, updated_at=now
    )
    applications.update(statement="")
    Placement.objects.filter(student=student).update(comment="", drop_reason="")
    PracticeLog.objects.filter(placement__student=student).update(content="")
    outcomes_erase(student_id=student.pk)  # 实践总结 emptied, its photos and report deleted
    Notice.objects.filter(user=student.user_id).delete()
    # Safety (issue 18): the contact is another person's data; a policy names the student.
    EmergencyContact.objects.filter(student=student).delete()
    Insurance.objects.filter(placement__student=student).delete()
    _forget_in_host_notices(student, name)
    # The university's words about them go; a certificate keeps its number and validity only.
    Recommendation.objects.filter(student=student).delete()
    PerformanceCertificate.objects.filter(student=student).update(
        statement="", college="", major=""
    )
    # The home county's ledger entry goes too (with its contact log and registrations).
    Entry.objects.filter(student=student).delete()
    user = User.objects.get(pk=student.user_id)
    # Sign-in records name the account and the addresses it used.
    AccessLog.objects.filter(username__iexact=user.username).delete()
    AccessAttempt.objects.filter(username__iexact=user.username).delete()
    user.username = f"erased-{user.pk}"
    user.name = user.first_name = user.last_name = user.email = user.phone = ""
    user.is_active = False
    user.set_unusable_password()
    user.save()
    # Earlier events name the account; they keep the event, not the name.
    # Removed through the audit chain (a keyed digest stays), so the events still verify.
    events_redact(AuditEvent.objects.filter(actor=user), actor_label=user.username)
    events_redact(
        AuditEvent.objects.filter(target_type="accounts.user", target_id=user.pk),
        data={"username": user.username},
    )
    # The student erasing themself is recorded under the account's new, erased name; a retention
    # sweep under whoever ran it (nobody, when Celery beat does).
    audit_record(
        action,
        actor=user if action == Action.ERASURE else actor,
        target=student,
        region=student.hometown,
    )
    return True


def _forget_in_host_notices(student: Student, name: str) -> None:
    """Host-unit staff were told "<name> 已确认…" on their posts' applicants pages; the name goes."""
    urls = [
        reverse("students:post_applicants", args=[post_id])
        for post_id in Application.objects.filter(student=student).values_list("post_id", flat=True)
    ]
    if name and urls:
        Notice.objects.filter(url__in=urls, text__contains=name).update(
            text=Replace("text", Value(name), Value(ERASED_NAME))
        )


def retention_sweep(
    *, actor: User | None, now: datetime.datetime | None = None, batch: int = 1000
) -> int:
    """Anonymise students who have neither signed in nor taken part for RETENTION_YEARS (default
    3): long enough for credits, certificates and the annual summary, not longer. Works in
    batches (each student in its own short transaction) until none is due."""
    now = now or timezone.now()
    cutoff = now - datetime.timedelta(days=365 * settings.PERSONAL_DATA_RETENTION_YEARS)
    done, after = 0, 0
    while due := _due(cutoff, after, batch):
        for pk in due:
            with transaction.atomic():
                student = Student.objects.select_related("hometown").get(pk=pk)
                done += _anonymise(student, action=Action.RETENTION, actor=actor)
        after = due[-1]
    return done


def _due(cutoff: datetime.datetime, after: int, batch: int) -> list[int]:
    due = (
        Student.objects.filter(pk__gt=after, anonymised_at__isnull=True, created_at__lt=cutoff)
        .filter(Q(user__last_login__isnull=True) | Q(user__last_login__lt=cutoff))
        .annotate(last_choice=Max("applications__updated_at"))
        .filter(Q(last_choice__isnull=True) | Q(last_choice__lt=cutoff))
        .exclude(placements__status__in=IN_PROGRESS)
        .order_by("pk")
        .values_list("pk", flat=True)[:batch]
    )
    return list(due)
