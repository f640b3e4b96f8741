"""The universities' rows for tests/security/test_access_matrix.py (which this app does not own).

To wire them in, in that module: call `build(w)` at the end of `_build_world`, add `MARKERS` to
SCOPE_MARKERS, and merge `routes(Protected, _pk)` into PROTECTED. Not a test module itself.

The world: 中山大学 sent a notice to all its students (越秀甲生 has her copy), recommended
越秀甲生 (whose application to 越秀's library the county reviews), and issued 越秀乙生's
numbered 在校表现证明 for the season.
"""

from types import SimpleNamespace

from universities import services
from universities.models import NoticeReceipt

NOTICE_TITLE = "中山大学暑期实践动员通知"
RECOMMENDATION = "中山大学对越秀甲生的推荐意见"
MARKERS = (NOTICE_TITLE, RECOMMENDATION)


def build(w: SimpleNamespace) -> None:
    w.uni_notice = services.notice_send(
        university=w.zsu,
        actor=w.uni_staff,
        category="activity",
        title=NOTICE_TITLE,
        body="请同学们报名家乡岗位",
    )
    w.receipt_a = NoticeReceipt.objects.get(notice=w.uni_notice, student=w.student_a)
    services.recommendation_save(student=w.student_a, text=RECOMMENDATION, actor=w.uni_staff)
    w.performance = services.certificate_issue(
        student=w.student_b, season=w.season, actor=w.uni_staff
    )


def routes(Protected, _pk) -> dict:  # noqa: N803 - the matrix's dataclass, passed in
    performance = _pk("performance")
    return {
        # Each university's own figures; 北京大学 legitimately counts its student from 越秀区.
        "universities:dashboard": Protected(
            "uni_staff", page=True, queries=({}, {"province": "440000"}), shows=("广东省",)
        ),
        "universities:dashboard_export": Protected(
            "uni_staff", page=True, shows=("越秀区",), get_audited=True
        ),
        "universities:notices": Protected(
            # No body: nothing is sent even by a university writing to its own students.
            "uni_staff",
            page=True,
            data=lambda w, r: {"category": "activity", "title": "越界通知"},
            shows=(NOTICE_TITLE,),
        ),
        "universities:notice_detail": Protected(
            "uni_staff", _pk("uni_notice"), shows=(NOTICE_TITLE,)
        ),
        # The student's own copy; the same university's other students have their own.
        "universities:my_notice": Protected("student_a", _pk("receipt_a"), shows=(NOTICE_TITLE,)),
        "universities:recommendations": Protected(
            "uni_staff", page=True, shows=("越秀甲生", RECOMMENDATION)
        ),
        "universities:recommend": Protected(
            "uni_staff",
            lambda w: {"pk": w.student_a.pk},
            data=lambda w, r: {"text": "越界推荐"},
            shows=("越秀甲生", RECOMMENDATION),
        ),
        "universities:certificates": Protected("uni_staff", page=True, shows=("越秀乙生",)),
        "universities:certificate_issue": Protected(
            "uni_staff",
            _pk("app_yx"),
            data=lambda w, r: {"statement": "越界开具"},
            shows=("越秀甲生",),
        ),
        # The university that issued it and the student it names.
        "universities:certificate": Protected("uni_staff", performance, shows=("越秀乙生",)),
        "universities:certificate_revoke": Protected(
            "uni_staff", performance, data=lambda w, r: {"reason": "越界撤销"}
        ),
    }
