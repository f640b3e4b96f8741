"""Safety's rows for tests/security/test_access_matrix.py (which this app does not own).

To wire them in, in that module: call `build(w)` at the end of `_build_world`, add `MARKERS` to
SCOPE_MARKERS, and merge `routes(Protected, _pk)` into PROTECTED. Not a test module itself.

The world: 越秀乙生 (placed at 越秀区图书馆) gave an emergency contact; 越秀区 recorded the
insurance of that placement; 团省委 set the year's rule (training not required).
"""

from types import SimpleNamespace

from safety import services

CONTACT_NAME = "越秀乙生的紧急联系人"
CONTACT_PHONE = "13755550002"
POLICY = "YXPOLICY0001"
MARKERS = (CONTACT_NAME, CONTACT_PHONE, POLICY)


def build(w: SimpleNamespace) -> None:
    services.emergency_contact_save(
        student=w.student_b,
        name=CONTACT_NAME,
        relation="mother",
        phone=CONTACT_PHONE,
        actor=w.student_b.user,
    )
    post = w.placement_b.post
    w.insurance_b = services.insurance_save(
        placement=w.placement_b,
        insurer="越秀人寿保险公司",
        policy_number=POLICY,
        starts_on=post.starts_on,
        ends_on=post.ends_on,
        actor=w.yx_staff,
    )
    services.safety_rule_set(
        programme_year=w.programme_year, training_required=False, actor=w.province_staff
    )


def routes(Protected, _pk) -> dict:  # noqa: N803 - the matrix's dataclass, passed in
    every = ({"insured": "all"},)
    return {
        # Each student's own contact; no phone, so nothing is saved even for one's own.
        "safety:contact": Protected(
            "student_b",
            page=True,
            data=lambda w, r: {"name": "越界联系人", "relation": "father"},
            shows=(CONTACT_NAME, CONTACT_PHONE),
        ),
        # The county reveals a placed student's contact (audited); its host unit sees it whole.
        "safety:contact_reveal": Protected(
            "yx_staff", _pk("placement_b"), shows=(CONTACT_NAME, CONTACT_PHONE)
        ),
        "safety:insurance": Protected(
            "yx_staff",
            _pk("placement_b"),
            data=lambda w, r: {"insurer": "越界保险", "policy_number": "X1"},
            shows=(POLICY,),
        ),
        # Each reader's own placements; 广州市 reads 越秀's.
        "safety:insurance_list": Protected(
            "gz_staff", page=True, queries=every, shows=("越秀乙生", POLICY)
        ),
        "safety:insurance_export": Protected(
            "yx_staff", page=True, queries=every, shows=("越秀乙生", POLICY), get_audited=True
        ),
        # The province's own year (another province's staff: their own, or none).
        "safety:rule_current": Protected("province_staff", page=True),
        "safety:rule": Protected(
            "province_staff",
            _pk("programme_year"),
            page=True,
            data=lambda w, r: {"training_required": "on"},
            shows=("安全保障设置",),
            owner_succeeds=True,
        ),
    }
