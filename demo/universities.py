"""The demo's 高校工作: 中山大学 and 北京大学 have sent notices (some read), recommended students
the counties see beside their applications, and hold numbered 在校表现证明 for every clearance
the demo recorded (one of 中山大学's revoked and issued again). Idempotent: notices are found by
title, recommendations rewritten, certificates issued only where none is valid.

Run after the students and their clearances exist."""

from accounts.models import Role, User
from students.models import Application, Clearance, Student
from universities import services
from universities.models import NoticeReceipt, PerformanceCertificate, UniversityNotice

NOTICES = (
    (
        "activity",
        "关于参加大学生“返家乡”社会实践的通知",
        "各学院：请有意参加寒暑假“返家乡”社会实践的同学登录平台，查看家乡县（市、区）发布的岗位并报名。"
        "报名后学校将开具在校表现证明，并组织行前安全教育培训。",
        None,
    ),
    (
        "policy",
        "“返家乡”社会实践第二课堂学分认定办法",
        "完成期满鉴定的同学，学校按学分认定规则计入第二课堂成绩单，无需另行申请。",
        "latest_grade",
    ),
)
RECOMMENDATION = (
    "该生学习成绩优良，担任班级团支部书记，组织能力强，热心公益，"
    "曾参与学校志愿服务队。推荐其参加家乡的社会实践岗位。"
)


def seed_universities() -> None:
    for staff in User.objects.filter(
        role=Role.UNIVERSITY, username__in=("sysu_uni", "pku")
    ).select_related("university__province"):
        _notices(staff)
        _recommendations(staff)
        _certificates(staff)


def _notices(staff: User) -> None:
    university = staff.university
    assert university is not None  # a university account always has one (a database constraint)
    students = Student.objects.filter(university=university, anonymised_at__isnull=True)
    latest = students.order_by("-grade").values_list("grade", flat=True).first()
    if latest is None:
        return
    for category, title, body, grade in NOTICES:
        if UniversityNotice.objects.filter(university=university, title=title).exists():
            continue
        notice = services.notice_send(
            university=university,
            actor=staff,
            category=category,
            title=title,
            body=body,
            grade=latest if grade else None,
        )
        # About half have read the first notice; the second is still unread by all.
        if grade is None:
            receipts = list(NoticeReceipt.objects.filter(notice=notice).order_by("pk"))
            for receipt in receipts[::2]:
                services.receipt_mark_read(receipt=receipt)


def _recommendations(staff: User) -> None:
    applicants = (
        Application.objects.filter(
            student__university=staff.university, status__in=("applied", "shortlisted")
        )
        .select_related("student__university")
        .order_by("student_id")
    )
    seen: set[int] = set()
    for application in applicants:
        if application.student_id in seen or len(seen) >= 3:
            continue
        seen.add(application.student_id)
        services.recommendation_save(student=application.student, text=RECOMMENDATION, actor=staff)


def _certificates(staff: User) -> None:
    clearances = (
        Clearance.objects.filter(
            student__university=staff.university, performance_certified_at__isnull=False
        )
        .select_related("student__university", "season")
        .order_by("pk")
    )
    for clearance in clearances:
        if not PerformanceCertificate.objects.filter(
            student=clearance.student, season=clearance.season
        ).exists():
            certificate = services.certificate_issue(
                student=clearance.student, season=clearance.season, actor=staff
            )
            if staff.username == "sysu_uni" and clearance.pk == clearances[0].pk:
                # A wrong statement, revoked and issued again: the verify page says 已撤销.
                services.certificate_revoke(
                    certificate=certificate, reason="专业填写有误，已重新开具", actor=staff
                )
                services.certificate_issue(
                    student=clearance.student, season=clearance.season, actor=staff
                )
