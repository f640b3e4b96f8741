"""What the university's staff change: notices to their students, recommendations, and the
numbered 在校表现证明. Each takes the acting user as `actor` and writes its audit record in its
own transaction; mails go through the one mail outbox (accounts/mail.py), sent after commit."""

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.audit import Action, audit_record
from accounts.mail import Letter, mail_queue
from accounts.models import User
from students import services as student_services
from students.models import Clearance, Placement, Student, University
from universities import selectors
from universities.models import (
    NoticeReceipt,
    PerformanceCertificate,
    Recommendation,
    UniversityNotice,
)

# Notices ---------------------------------------------------------------------------------------

RESEND_GUARD = datetime.timedelta(minutes=2)


def notice_subject(notice: UniversityNotice) -> str:
    return _("【%(university)s团委】%(title)s") % {
        "university": notice.university.name,
        "title": notice.title,
    }


@transaction.atomic
def notice_send(
    *,
    university: University,
    actor: User | None,
    category: str,
    title: str,
    body: str,
    college: str = "",
    grade: int | None = None,
) -> UniversityNotice:
    """One receipt per student reached (shown on their page, unread first) and, for those with
    an e-mail address, one mail in the outbox linking to it. The same notice to the same
    students within two minutes is a double click, refused; later it is meant."""
    # Locks the university: a double click waits here, then finds the first one sent.
    University.objects.select_for_update().filter(pk=university.pk).first()
    if UniversityNotice.objects.filter(
        university=university,
        title=title.strip(),
        body=body.strip(),
        college=college,
        grade=grade,
        sent_at__gte=timezone.now() - RESEND_GUARD,
    ).exists():
        raise ValidationError(_("同一通知刚刚已发送，未重复发送。"))
    students = list(
        selectors.notice_recipients(university=university, college=college, grade=grade)
    )
    if not students:
        raise ValidationError(_("所选学院、年级下没有本校学生，通知未发送。"))
    notice = UniversityNotice(
        university=university,
        category=category,
        title=title.strip(),
        body=body.strip(),
        college=college,
        grade=grade,
        recipients=len(students),
        sent_by=actor,
    )
    notice.full_clean()
    notice.save()
    receipts = NoticeReceipt.objects.bulk_create(
        [NoticeReceipt(notice=notice, student=s) for s in students], batch_size=1000
    )
    _mails_queue(notice, receipts, students)
    audit_record(
        Action.UNIVERSITY_NOTICE,
        actor=actor,
        target=notice,
        region=university.province,
        data={"recipients": len(students), "college": college, "grade": grade},
    )
    return notice


def _mails_queue(notice: UniversityNotice, receipts, students: list[Student]) -> None:
    mailed = [(r, s.email) for r, s in zip(receipts, students, strict=True) if s.email]
    subject = notice_subject(notice)
    mails = mail_queue(
        Letter(
            to=address,
            subject=subject,
            body=_mail_body(notice, receipt),
            province_id=notice.university.province_id,
        )
        for receipt, address in mailed
    )
    for (receipt, _address), mail in zip(mailed, mails, strict=True):
        receipt.mail = mail
    NoticeReceipt.objects.bulk_update([r for r, _a in mailed], ["mail"], batch_size=1000)


def _mail_body(notice: UniversityNotice, receipt: NoticeReceipt) -> str:
    # The link opens the student's own copy after signing in: reading is counted there.
    link = settings.SITE_URL + reverse("universities:my_notice", args=[receipt.pk])
    return f"{notice.body}\n\n{_('登录查看：')}{link}"


def receipt_mark_read(*, receipt: NoticeReceipt) -> bool:
    """The first opening counts; later ones change nothing (a conditional update)."""
    return bool(
        NoticeReceipt.objects.filter(pk=receipt.pk, read_at__isnull=True).update(
            read_at=timezone.now()
        )
    )


# Recommendations -------------------------------------------------------------------------------


@transaction.atomic
def recommendation_save(*, student: Student, text: str, actor: User) -> Recommendation | None:
    """Write, rewrite or (with an empty text) withdraw the university's recommendation of its own
    student."""
    university = actor.university
    if university is None or student.university_id != university.pk:
        raise ValidationError(_("只能推荐本校学生。"))
    text = text.strip()
    existing = Recommendation.objects.select_for_update().filter(student=student).first()
    if not text:
        if existing is None:  # nothing written and nothing to withdraw
            raise ValidationError({"text": _("推荐意见：请填写推荐意见，不超过 500 字。")})
        existing.delete()
        _recommendation_audit(student, actor, withdrawn=True)
        return None
    if len(text) > 500:
        raise ValidationError({"text": _("推荐意见不能超过 500 字。")})
    recommendation, _created = Recommendation.objects.update_or_create(
        student=student,
        defaults={"university": university, "text": text, "written_by": actor},
    )
    _recommendation_audit(student, actor, withdrawn=False)
    return recommendation


def _recommendation_audit(student: Student, actor: User, *, withdrawn: bool) -> None:
    audit_record(
        Action.RECOMMENDATION_SAVE,
        actor=actor,
        target=student,
        region=student.university.province,
        data={"withdrawn": withdrawn},
    )


# 在校表现证明 --------------------------------------------------------------------------------


def default_statement(student: Student) -> str:
    """The standard words (the sheet names the student, college, major and grade above them)."""
    return _(
        "该生在校期间遵守校纪校规，学习态度端正，表现良好，同意其参加大学生“返家乡”社会实践活动。"
    )


def issuer_for(university: University) -> str:
    """开具单位: the university's Youth League committee, as its seal reads."""
    return _("共青团%(university)s委员会") % {"university": university.name}


def _new_number() -> str:
    """12 characters of the practice certificates' alphabet, unique across both kinds (the one
    verify page answers for either)."""
    while True:
        number = student_services.certificate_code_new()
        taken = (
            PerformanceCertificate.objects.filter(number=number).exists()
            or Placement.objects.filter(certificate_code=number).exists()
        )
        if not taken:
            return number


@transaction.atomic
def certificate_issue(
    *, student: Student, season, actor: User | None, statement: str = ""
) -> PerformanceCertificate:
    """Issue the student's 在校表现证明 for the season, numbered, and fill the clearance's
    timestamp (which the county's review and the to-do list read). A second one for the same
    season is refused while the first is valid: the clearance row is locked first, so two
    clicks cannot both issue one."""
    clearance, _created = Clearance.objects.select_for_update().get_or_create(
        student=student, season=season
    )
    if PerformanceCertificate.objects.filter(
        student=student, season=season, revoked_at__isnull=True
    ).exists():
        raise ValidationError(_("该生本实践季的在校表现证明已开具，如需更正请先撤销。"))
    statement = statement.strip() or default_statement(student)
    if len(statement) > 500:
        raise ValidationError({"statement": _("在校表现不能超过 500 字。")})
    certificate = PerformanceCertificate.objects.create(
        number=_new_number(),
        student=student,
        season=season,
        university=student.university,
        college=student.college,
        major=student.major,
        grade=student.grade,
        statement=statement,
        issuer=issuer_for(student.university),
        issued_by=actor,
    )
    student_services.clearance_record(student=student, season=season, performance=True, actor=actor)
    audit_record(
        Action.PERFORMANCE_ISSUE,
        actor=actor,
        target=certificate,
        region=student.university.province,
        data={"number": certificate.number, "clearance": clearance.pk},
    )
    return certificate


@transaction.atomic
def certificate_revoke(
    *, certificate: PerformanceCertificate, reason: str, actor: User | None
) -> PerformanceCertificate:
    """Revoke a certificate (the verify page then says 已撤销); the season's clearance loses its
    timestamp, so the county sees it is missing until a new one is issued."""
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": _("请填写撤销原因。")})
    if len(reason) > 200:
        raise ValidationError({"reason": _("撤销原因不能超过 200 字。")})
    revoked = PerformanceCertificate.objects.filter(
        pk=certificate.pk, revoked_at__isnull=True
    ).update(revoked_at=timezone.now(), revoke_reason=reason)
    if not revoked:
        raise ValidationError(_("该证明已撤销。"))
    Clearance.objects.filter(student=certificate.student_id, season=certificate.season_id).update(
        performance_certified_at=None
    )
    audit_record(
        Action.PERFORMANCE_REVOKE,
        actor=actor,
        target=certificate,
        region=certificate.university.province,
        data={"number": certificate.number},
    )
    certificate.refresh_from_db()
    return certificate
