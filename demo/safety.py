"""The demo's 安全保障: every demo student has an emergency contact except each county's student
with an offer still to confirm (`*_s8`), who sees what confirming needs; the past season's
placements are insured, and the current season's of 天河区 and 虎门镇 (越秀区's and 梅县区's are
on their 参保情况 list as not insured yet); 团省委 saved the year's rule (training not required).
Idempotent: what exists is left alone."""

from django.db.models import Q

from accounts.models import User
from safety import services
from safety.models import EmergencyContact, Insurance, SafetyRule
from schedule.models import ProgrammeYear
from students.models import Placement, Student

RELATIONS = ["mother", "father", "relative", "other"]
# The contact's name: the father shares the student's surname, the others do not.
NAMES = {"mother": "王秀英", "father": "{surname}建华", "relative": "黄志明", "other": "陈伯"}
INSURED_NOW = ("440106", "441900121")  # 天河区, 虎门镇: this season's placements insured
WITHOUT_CONTACT = "_s8"  # each county's student with an offer waiting (demo.students.CURRENT)


def ensure_contact(student: Student) -> None:
    """A contact for the student unless they have one (before the demo confirms their offer)."""
    if EmergencyContact.objects.filter(student=student).exists():
        return
    relation = RELATIONS[student.pk % len(RELATIONS)]
    services.emergency_contact_save(
        student=student,
        name=NAMES[relation].format(surname=student.name[0]),
        relation=relation,
        phone=f"137{student.pk:08d}"[:11],
        actor=None,
    )


def seed_safety() -> None:
    students = Student.objects.filter(anonymised_at__isnull=True, user__username__contains="_")
    for student in students.exclude(user__username__endswith=WITHOUT_CONTACT).iterator():
        ensure_contact(student)
    _insure()
    province = User.objects.filter(username="gd_province").first()
    for year in ProgrammeYear.objects.filter(province__code="440000"):
        if not SafetyRule.objects.filter(programme_year=year).exists():
            services.safety_rule_set(programme_year=year, training_required=False, actor=province)


def _insure() -> None:
    county_staff = {u.region_id: u for u in User.objects.filter(role="county")}
    placements = (
        Placement.objects.exclude(status=Placement.Status.DROPPED)
        .filter(insurance__isnull=True, post__host_unit__county__parent__parent__code="440000")
        .filter(Q(post__host_unit__county__code__in=INSURED_NOW) | Q(season__kind="summer"))
        .select_related("post__host_unit__county__parent")
    )
    for placement in placements:
        post = placement.post
        county = post.host_unit.county
        if Insurance.objects.filter(placement=placement).exists():
            continue
        services.insurance_save(
            placement=placement,
            insurer=f"中国人民财产保险股份有限公司{county.parent.name}分公司",
            policy_number=f"PICC{post.starts_on:%Y}{placement.pk:07d}",
            starts_on=post.starts_on,
            ends_on=post.ends_on,
            actor=county_staff.get(county.pk),
        )
