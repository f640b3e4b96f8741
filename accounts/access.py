"""What a user may do, decided once from role (and, for one object, its state), and handed to
views and templates as named capabilities: templates ask `caps.can_read_ledger` or
`access.can_evaluate`, never which role the user has.

`Capabilities` is about the signed-in user (navigation, pages that are not about one object);
`Access` is about one scoped object, returned beside it by each app's `get_*_for_user`.
"""

from dataclasses import dataclass

from accounts.models import CHILD_ROLES, Role

REGIONAL = (Role.PROVINCE, Role.CITY, Role.COUNTY)
POSITION_READERS = (*REGIONAL, Role.HOST)


@dataclass(frozen=True)
class Access:
    """What a user may do with one object they can see; all False is read-only."""

    can_write: bool = False  # change the object itself
    can_rank: bool = False  # host units and counties rank applicants
    can_offer: bool = False  # the county decides: shortlist, reject, offer
    can_reveal: bool = False  # show an applicant's full ID number / phone (audited)
    can_see_id_number: bool = False  # the masked ID number beside the phone
    can_record: bool = False  # record check-in and pre-job training
    can_see_checkin_code: bool = False  # the host unit hands the code to its student
    can_evaluate: bool = False  # 期满鉴定 and confirming logged hours: the host unit
    can_drop: bool = False  # end a placement early
    can_certify: bool = False  # the university's clearance of its own student
    can_review: bool = False  # the level above reviews a plan or a case
    can_correct_identity: bool = False  # the hometown county corrects name, ID, 生源地 …
    can_mark_done: bool = False  # a unit marks a province's own milestone done itself
    can_reset_two_factor: bool = False  # the level above, or the security administrator
    can_reset_password: bool = False  # a temporary password: the level above, a student's county


READ_ONLY = Access()


@dataclass(frozen=True)
class Capabilities:
    """What the user's role lets them reach, for the navigation and the pages not about one
    object."""

    is_student: bool = False
    works_as_staff: bool = False  # the office layout: a sidebar of the pages below
    can_read_positions: bool = False  # 岗位管理, 用人单位
    can_create_positions: bool = False  # 登记用人单位, 新建岗位
    can_see_dashboards: bool = False
    can_read_calendar: bool = False
    can_read_own_milestones: bool = False  # a university's milestones and progress reports
    can_read_progress: bool = (
        False  # 项目推进表: the province reads all, cities and universities their own
    )
    can_edit_calendar: bool = False  # the programme year, extensions, exemptions
    can_submit_plan: bool = False
    can_review_plans: bool = False  # of the level directly below
    can_confirm_onboarding: bool = False
    can_see_compliance: bool = False  # the milestone matrix of the units below
    can_read_ledger: bool = False
    can_import_ledger: bool = False
    sees_many_counties: bool = False  # lists carry a county column
    can_manage_accounts: bool = False
    can_run_matching: bool = False
    can_list_county_students: bool = False  # 本县学生: the county's registered students
    can_read_summary: bool = False
    can_review_scores: bool = False  # compute, adjust, publish and commend
    can_submit_cases: bool = False  # 典型案例 come from cities, counties and universities
    can_review_cases: bool = False
    can_record_city_activities: bool = False  # 示范活动, 学子归巢: the city's own work
    can_read_city_activities: bool = False
    can_read_briefings: bool = False
    can_read_reports: bool = False  # 简报简讯上报: the author units and the levels above
    can_submit_reports: bool = False  # counties, cities and universities report upward
    can_mark_reports: bool = False  # 已阅 (the province and a county's city), 采用 (the province)
    can_compile_reports: bool = False  # the province compiles chosen reports into a briefing
    can_see_own_five: bool = False  # 五个一: the county's own five tasks
    can_see_five_matrix: bool = False  # 五个一进展: the counties below × the five tasks
    can_see_university_students: bool = False  # 本校学生, 第二课堂学分
    can_read_insurance: bool = False  # 参保情况: counties and universities record, above read
    can_manage_universities: bool = False
    can_read_audit_log: bool = False
    can_manage_api_tokens: bool = False  # 接口令牌: each unit's own and those of the units below
    can_read_mail_failures: bool = False  # recipients' addresses: not for the audit administrator
    can_open_admin: bool = False  # Django's /admin/
    can_reset_two_factor: bool = False  # 账号安全: the security administrator's list of accounts


def account_roles_for(user) -> tuple[str, ...]:
    """The roles of the accounts a user may open: each level the level below; a superuser (no
    role) the 高校团委 accounts of provinces with no provincial staff on the portal."""
    if not user.is_authenticated:
        return ()
    roles = CHILD_ROLES.get(user.role, ())
    if not roles and user.role == Role.SYSTEM_ADMIN:
        # The top of the tree, which no level above opens, and unstaffed provinces' universities.
        roles = (Role.PROVINCE, Role.UNIVERSITY)
    if not roles and user.is_superuser and not user.role:
        roles = (Role.UNIVERSITY,)
    return roles


# 三权分立: what each admin duty may do in Django's /admin/ (accounts/backends.py grants exactly
# these permissions; no model holding students' personal data is among them).
ADMIN_DUTIES: dict[str, frozenset[str]] = {
    # Accounts (staff only: the admin's user list leaves students out) and the portal's settings.
    Role.SYSTEM_ADMIN: frozenset(
        {
            "accounts.view_user",
            "accounts.change_user",
            "positions.view_region",
            "positions.change_region",
            "students.view_university",
            "students.change_university",
        }
    ),
    # Lockouts (django-axes) and which accounts have an authenticator (never its secret); 2FA
    # resets only on the portal's 账号安全 page, audited.
    Role.SECURITY_ADMIN: frozenset(
        {
            "axes.view_accessattempt",
            "axes.delete_accessattempt",
            "axes.view_accessfailurelog",
            "otp_totp.view_totpdevice",
        }
    ),
    # The audit log, read only.
    Role.AUDIT_ADMIN: frozenset({"accounts.view_auditevent"}),
}


def opens_admin(user) -> bool:
    """Django's /admin/: superusers, and the admin duties for their own models (ADMIN_DUTIES)."""
    if not (user.is_authenticated and user.is_active):
        return False
    return user.is_superuser or (user.is_staff and user.role in ADMIN_DUTIES)


def capabilities_for(user) -> Capabilities:
    role = getattr(user, "role", "") if user.is_authenticated else ""
    regional = role in REGIONAL
    return Capabilities(
        is_student=role == Role.STUDENT,
        works_as_staff=(bool(role) and role != Role.STUDENT) or user.is_superuser,
        can_read_positions=role in POSITION_READERS,
        can_create_positions=role == Role.COUNTY,
        can_see_dashboards=regional or user.is_superuser,
        can_read_calendar=regional,
        can_read_own_milestones=role == Role.UNIVERSITY,
        can_read_progress=role in (Role.PROVINCE, Role.CITY, Role.UNIVERSITY),
        can_edit_calendar=role == Role.PROVINCE,
        can_submit_plan=role in (Role.CITY, Role.COUNTY),
        can_review_plans=role in (Role.PROVINCE, Role.CITY),
        can_confirm_onboarding=role == Role.COUNTY,
        can_see_compliance=role in (Role.PROVINCE, Role.CITY),
        can_read_ledger=regional,
        can_import_ledger=role == Role.COUNTY,
        sees_many_counties=role in (Role.PROVINCE, Role.CITY),
        can_manage_accounts=bool(account_roles_for(user)),
        can_run_matching=role == Role.COUNTY,
        can_list_county_students=role == Role.COUNTY,
        can_read_summary=regional or role == Role.UNIVERSITY,
        can_review_scores=role == Role.PROVINCE,
        can_submit_cases=role in (Role.CITY, Role.COUNTY, Role.UNIVERSITY),
        can_review_cases=role == Role.PROVINCE,
        can_record_city_activities=role == Role.CITY,
        can_read_city_activities=role in (Role.PROVINCE, Role.CITY),
        can_read_briefings=bool(role),
        can_read_reports=regional or role == Role.UNIVERSITY,
        can_submit_reports=role in (Role.CITY, Role.COUNTY, Role.UNIVERSITY),
        can_mark_reports=role in (Role.PROVINCE, Role.CITY),
        can_compile_reports=role == Role.PROVINCE,
        can_see_own_five=role == Role.COUNTY,
        can_see_five_matrix=role in (Role.PROVINCE, Role.CITY),
        can_see_university_students=role == Role.UNIVERSITY,
        can_read_insurance=regional or role == Role.UNIVERSITY,
        can_manage_universities=role == Role.PROVINCE,
        can_read_audit_log=role in (Role.PROVINCE, Role.AUDIT_ADMIN),
        can_manage_api_tokens=regional or role == Role.UNIVERSITY,
        can_read_mail_failures=role == Role.PROVINCE,
        can_open_admin=opens_admin(user),
        can_reset_two_factor=role == Role.SECURITY_ADMIN,
    )
