import copy
import datetime
from urllib.parse import quote, urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login, logout
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import F
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from accounts.access import capabilities_for
from accounts.lockout import password_failed, password_lockout
from accounts.models import Notice
from accounts.password_reset import password_temporary_set
from accounts.scoping import require_county_staff, require_write
from accounts.throttle import address_key, throttle_hit
from accounts.views import temporary_password_page
from fanjiaxiang.exporters import export_response
from fanjiaxiang.forms import add_service_errors, refusals_as_messages
from fanjiaxiang.security import client_ip
from fanjiaxiang.views import form_save, paginate, query_without_page
from positions import selectors as position_selectors
from positions.models import Post
from positions.selectors import region_children, region_get
from safety import selectors as safety
from students import certificates, credits, fit, privacy, rounds, selectors, services
from students.exporters import ApplicantsExporter, CreditsExporter, UniversityPlacementsExporter
from students.forms import (
    ApplyForm,
    CertificateCheckForm,
    CheckinForm,
    CreditFilterForm,
    CreditRuleForm,
    DropForm,
    EraseForm,
    EvaluationForm,
    HostRankForm,
    IdentityCorrectionForm,
    PracticeLogForm,
    ProfileForm,
    RegistrationForm,
    ResidenceForm,
    UniversityForm,
    UniversityRenameForm,
)
from students.models import (
    ACTIVE_APPLICATION,
    Application,
    Clearance,
    MatchingOutcome,
    MatchingRound,
    Placement,
    PracticeLog,
    SupplementaryRound,
)
from universities import selectors as university_selectors
from universities import services as university_services

# Universities (provincial staff) ---------------------------------------------------------------


UNIVERSITIES_PER_PAGE = 50


@login_required
def university_list(request):
    """The province's universities (searchable, paged), and the form to add one the national
    register lacks."""
    query = request.GET.get("q", "")
    universities = selectors.universities_for_user(request.user, query)
    form = UniversityForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        university = form_save(
            form,
            lambda: services.university_create(
                province=request.user.region, actor=request.user, **form.cleaned_data
            ),
        )
        if university is not None:
            messages.success(request, _("已补充高校：%(name)s") % {"name": university.name})
            return redirect("students:university_list")
    context = {
        "page": paginate(request, universities, UNIVERSITIES_PER_PAGE),
        "query": query_without_page(request),
        "q": query,
        "form": form,
    }
    return render(request, "students/university_list.html", context)


@login_required
def university_rename(request, pk: int):
    university, access = selectors.get_university_for_user(request.user, pk)
    if request.method == "POST" and not access.can_write:
        raise PermissionDenied
    form = UniversityRenameForm(request.POST or None, initial={"name": university.name})
    if request.method == "POST" and form.is_valid():
        renamed = form_save(
            form,
            lambda: services.university_rename(
                university=university, name=form.cleaned_data["name"], actor=request.user
            ),
        )
        if renamed is not None:
            messages.success(request, _("已改名为：%(name)s") % {"name": renamed.name})
            return redirect("students:university_list")
    context = {"university": university, "access": access, "form": form}
    return render(request, "students/university_rename.html", context)


def _search_allowed(request) -> bool:
    """Each look-up counts against the client's address (the registration throttle's way): the
    type-ahead asks at every pause in typing, a script walking the register asks far more."""
    return throttle_hit(
        scope="university_search",
        key=address_key(client_ip(request)),
        limit=settings.UNIVERSITY_SEARCHES_PER_MINUTE,
        period=datetime.timedelta(minutes=1),
    )


@require_GET
def university_search(request):
    """The registration form's type-ahead: at most 15 institutions of the whole register, as
    JSON, for anyone (students register before they have an account)."""
    if not _search_allowed(request):
        message = _("查询过于频繁，请稍等一分钟再输入学校名称。")
        return JsonResponse({"results": [], "error": message}, status=429)
    found = selectors.universities_search(request.GET.get("q", ""))
    results = [
        {
            "id": u.pk,
            "name": u.name,
            "province": u.province.name,
            "city": u.city if u.city != u.province.name else "",
        }
        for u in found
    ]
    return JsonResponse({"results": results})


# Students --------------------------------------------------------------------------------------


def _region_lists(data) -> dict:
    """Options for the cascading hometown selects, so a refused form shows what was chosen."""
    province = region_get(data.get("hometown_province", ""), "province")
    city = region_get(data.get("hometown_city", ""), "city")
    return {
        "provinces": region_children(None),
        "cities": region_children(province) if province else [],
        "counties": region_children(city) if city else [],
        "chosen": {
            "province": data.get("hometown_province"),
            "city": data.get("hometown_city"),
            "county": data.get("hometown"),
        },
        "residence": _residence_lists(data),
    }


def _residence_lists(data) -> dict:
    """The same for the optional 常住地 selects."""
    province = region_get(data.get("residence_province", ""), "province")
    city = region_get(data.get("residence_city", ""), "city")
    return {
        "cities": region_children(province) if province else [],
        "counties": region_children(city) if city else [],
        "chosen": {
            "province": data.get("residence_province"),
            "city": data.get("residence_city"),
            "county": data.get("residence"),
        },
    }


def _residence_initial(student) -> dict:
    county = student.residence
    if county is None:
        return {}
    return {
        "residence_province": county.parent.parent.code,
        "residence_city": county.parent.code,
        "residence": county.code,
    }


def _registration_allowed(request) -> bool:
    """Every registration form sent counts against the sender's address, the one django-axes
    sees, in the database that all web processes share: nobody probes ID numbers at speed."""
    return throttle_hit(
        scope="register",
        key=address_key(client_ip(request)),
        limit=settings.REGISTRATION_ATTEMPTS_PER_HOUR,
        period=datetime.timedelta(hours=1),
    )


def register(request):
    if request.user.is_authenticated:
        return redirect("students:me")
    if request.method == "POST" and not _registration_allowed(request):
        # Not checked at all (a check would answer the question the throttle holds back); the
        # form comes back as typed, passwords aside, for a later try.
        context = {
            "form": RegistrationForm(initial=request.POST.dict()),
            "throttled": _(
                "注册尝试过于频繁：同一网络地址每小时最多提交 %(limit)d 次。请稍后再试（最多"
                "等一小时），或换用其他网络（如手机流量）；如果你已经注册过，请直接登录。"
            )
            % {"limit": settings.REGISTRATION_ATTEMPTS_PER_HOUR},
            **_region_lists(request.POST),
        }
        return render(request, "students/register.html", context, status=429)
    form = RegistrationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            student = services.student_register(**form.service_kwargs())
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            login(request, student.user, backend="accounts.backends.PortalBackend")
            # What is still to complete is said on the student's page, beside the way there.
            messages.success(request, _("注册成功。"))
            return redirect("students:me")
    return render(request, "students/register.html", {"form": form, **_region_lists(request.POST)})


@require_GET
def privacy_notice(request):
    return render(request, "students/privacy.html", {"version": services.PRIVACY_NOTICE_VERSION})


def _student(request):
    if not capabilities_for(request.user).is_student:
        raise Http404
    return selectors.student_for_user(request.user)


@login_required
@require_GET
def me(request):
    student = _student(request)
    applications = list(
        selectors.applications_for_user(request.user).order_by("-season__practice_starts", "rank")
    )
    for application in applications:  # the confirm button, or what confirming still needs
        if application.status == Application.Status.OFFERED:
            application.confirm_missing = safety.confirm_missing(application)
    placements = list(
        selectors.placements_for_user(request.user).order_by("-created_at").prefetch_related("logs")
    )
    today = timezone.localdate()
    for placement in placements:  # before the first day: when check-in opens, not a code box
        placement.checkin_window = selectors.checkin_window(placement.post, today)
        placement.checkin_days_left = (placement.post.starts_on - today).days
    notices = Notice.objects.filter(user=request.user)[:10]
    university_notices = university_selectors.receipts_for_student(request.user)[:10]
    return render(
        request,
        "students/me.html",
        {
            "student": student,
            "applications": applications,
            "placements": placements,
            "notices": notices,
            "university_notices": university_notices,
            "performance_certificates": university_selectors.certificates_of_student(request.user),
            "profile_missing": student.missing_for_application(),
            "suggestions": fit.suggested_posts(request.user),
            "supplementary_open": SupplementaryRound.objects.filter(
                county=student.hometown_id
            ).exists(),
        },
    )


def _safe_next(request) -> str:
    """Where the student came from (a post they want to apply to), if it is this site's."""
    target = request.GET.get("next", "")
    allowed = url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()})
    return target if target and allowed else ""


@login_required
def profile(request):
    student = _student(request)
    form = ProfileForm(request.POST or None, instance=student)
    residence = ResidenceForm(request.POST or None)
    if request.method == "POST" and form.is_valid() and residence.is_valid():
        try:
            services.student_update(student=student, actor=request.user, **form.cleaned_data)
            services.student_residence_set(
                student=student,
                residence=residence.cleaned_data["residence"],
                actor=request.user,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("个人信息已保存。"))
            return redirect(_safe_next(request) or "students:me")
    chosen = request.POST if request.method == "POST" else _residence_initial(student)
    context = {
        "form": form,
        "residence_form": residence,
        "student": student,
        "provinces": region_children(None),
        "residence": _residence_lists(chosen),
        # Who corrects what the student cannot change: the hometown county's committee.
        "committee": services.committee_of(student.hometown),
        "committee_phone": selectors.hometown_contact_phone(student),
    }
    return render(request, "students/profile.html", context)


@never_cache
@login_required
@require_GET
def my_data(request):
    """The student's own data, as a file they can keep (PIPL §45)."""
    student = _student(request)
    payload = privacy.student_data_download(student=student, actor=request.user)
    response = HttpResponse(payload, content_type="application/json; charset=utf-8")
    name = quote(f"我的返家乡数据-{timezone.localdate():%Y%m%d}.json")
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{name}"
    return response


@login_required
def erase(request):
    """The student asks for their personal data to be erased; they confirm with their password."""
    student = _student(request)
    form = EraseForm(request.POST or None)
    if request.method == "POST" and (locked := password_lockout(request)):
        return locked
    if request.method == "POST" and form.is_valid():
        try:
            privacy.student_erase(
                student=student, password=form.cleaned_data["password"], actor=request.user
            )
        except ValidationError as error:
            if "password" in getattr(error, "error_dict", {}):
                password_failed(request)
            add_service_errors(form, error)
        else:
            logout(request)
            messages.success(request, _("你的账号已注销，个人信息已删除。"))
            return redirect("home")
    return render(request, "students/erase.html", {"form": form, "student": student})


@login_required
@require_POST
def apply(request, post_pk: int):
    student = _student(request)
    # A closed post's form left open in a tab answers with the post's own page (已截止), not 404.
    post = position_selectors.get_public_post(post_pk)
    form = ApplyForm(request.POST)
    if form.is_valid():
        try:
            application = services.application_submit(
                student=student, post=post, actor=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request, _("已报名，这是你的第 %(rank)s 意向。") % {"rank": application.rank}
            )
            return redirect("students:me")
    # Refused: the post's page again, with the reason and the statement as typed.
    context = {
        "post": post,
        "apply_form": form,
        "profile_missing": student.missing_for_application(),
        "deadline_passed": post.status == Post.Status.CLOSED,
    }
    return render(request, "positions/public_detail.html", context)


def _student_action(service, done):
    @login_required
    @require_POST
    def view(request, pk: int):
        _student(request)
        application, _access = selectors.get_application_for_user(request.user, pk)
        with refusals_as_messages(request):
            service(application=application, actor=request.user)
            messages.success(request, done())
        return redirect("students:me")

    return view


withdraw = _student_action(services.application_withdraw, lambda: _("意向已撤回。"))
move_up = _student_action(services.application_move_up, lambda: _("意向顺序已调整。"))
confirm = _student_action(services.offer_confirm, lambda: _("已确认录用，请按时到岗报到。"))
decline = _student_action(services.offer_decline, lambda: _("已放弃该录用。"))


@login_required
@require_POST
def checkin(request, pk: int):
    _student(request)
    placement, _access = selectors.get_placement_for_user(request.user, pk)
    form = CheckinForm(request.POST)
    with refusals_as_messages(request):
        if not form.is_valid():
            raise ValidationError(_("请输入报到码。"))
        services.placement_checkin(
            placement=placement, code=form.cleaned_data["code"], actor=request.user
        )
        messages.success(request, _("报到成功。"))
    return redirect("students:me")


@login_required
@require_GET
def certificate(request, pk: int):
    placement, _access = selectors.get_placement_for_user(request.user, pk)
    if placement.status != Placement.Status.COMPLETED:
        raise Http404
    url = certificates.verify_url(request, placement.certificate_code or "")
    context = {
        "placement": placement,
        "issuer": certificates.issuer_of(placement.post.host_unit.county),
        "verify_page": certificates.verify_url(request),
        "qr": certificates.qr_svg(url),
    }
    return render(request, "students/certificate.html", context)


def _check_allowed(request) -> bool:
    """Each certificate looked up counts against the client's address, typed or scanned alike:
    codes are long and random, and this keeps anyone from walking through them."""
    return throttle_hit(
        scope="certificate_check",
        key=address_key(client_ip(request)),
        limit=settings.CERTIFICATE_CHECKS_PER_MINUTE,
        period=datetime.timedelta(minutes=1),
    )


@require_GET
def verify(request):
    """证书查验, for anyone: the 证书编号 typed in, or carried in ?code= by the QR code printed
    on the certificate, which opens the result directly."""
    asked = request.GET.get("code") is not None  # "?code=" asks too, and is told to type one
    form = CertificateCheckForm(request.GET if asked else None)
    context = {"form": form, "checked": False, "placement": None, "issuer": ""}
    status = 200
    if form.is_valid():
        if _check_allowed(request):
            placement = services.certificate_find(form.cleaned_data["code"])
            context.update(checked=True, placement=placement)
            if placement is not None:
                context["issuer"] = certificates.issuer_of(placement.post.host_unit.county)
            else:  # the same numbers name the universities' 在校表现证明
                context["performance"] = university_selectors.performance_certificate_find(
                    form.cleaned_data["code"]
                )
        else:
            context["throttled"] = True
            status = 429
    response = render(request, "students/verify.html", context, status=status)
    if status == 429:
        response["Retry-After"] = "60"  # the limit counts per minute
    return response


# The county's students: 本县学生 and identity corrections (county staff) -----------------------


@login_required
@require_GET
def county_students(request):
    require_county_staff(request.user)
    q = request.GET.get("q", "")[:30]
    students = selectors.county_students(request.user, q=q)
    return render(
        request,
        "students/county_students.html",
        {"page": paginate(request, students, 30), "q": q, "query": query_without_page(request)},
    )


@login_required
def identity_correct(request, pk: int):
    """The hometown county corrects a student's name, ID number, school or 生源地, with a reason."""
    student, access = selectors.get_student_for_user(request.user, pk)
    require_write(access.can_correct_identity)
    initial = IdentityCorrectionForm.initial_for(student)
    form = IdentityCorrectionForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.student_identity_correct(
                actor=request.user, student=student, **form.service_kwargs()
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request, _("已更正 %(name)s 的身份信息，并已通知本人。") % {"name": student.name}
            )
            return redirect("students:county_students")
    chosen = request.POST if request.method == "POST" else initial
    return render(
        request,
        "students/identity_correct.html",
        {"form": form, "student": student, **_region_lists(chosen)},
    )


@login_required
@require_POST
def student_password_reset(request, pk: int):
    """The hometown county gives a student who cannot use the e-mailed link (no address on the
    account, or none they can reach) a temporary password, to change at the next sign-in."""
    student, access = selectors.get_student_for_user(request.user, pk)
    require_write(access.can_reset_password)
    password = password_temporary_set(account=student.user, actor=request.user)
    back = reverse("students:county_students")
    return temporary_password_page(request, account=student.user, password=password, back=back)


# Selection and placements (host units and counties) -------------------------------------------


@login_required
@require_GET
def post_applicants(request, post_pk: int):
    post, _access = position_selectors.get_post_for_user(request.user, post_pk)
    applications = list(
        selectors.applications_for_user(request.user)
        .filter(post=post)
        .exclude(status=Application.Status.WITHDRAWN)
        # The unranked last on every database (SQLite would put NULL first), ties in a fixed order.
        .order_by("host_unsuitable", F("host_rank").asc(nulls_last=True), "created_at", "pk")
    )
    # 专业对口: each applicant's fit to the post, computed from what is loaded (no query).
    fit.applicants_with_fit(applications)
    by_fit = request.GET.get("sort") == "fit"
    if by_fit:
        applications.sort(key=lambda a: -a.fit.score)  # type: ignore[attr-defined]
    clearances = _clearances(applications)
    recommendations = university_selectors.recommendations_beside(request.user, applications)
    for application in applications:
        # Shown beside each applicant: the university's check of this student for the season,
        # and (to the county) its recommendation.
        application.clearance = clearances.get(  # type: ignore[attr-defined]
            (application.student_id, application.season_id)
        )
        application.recommendation = recommendations.get(  # type: ignore[attr-defined]
            application.student_id
        )
    placements = list(
        selectors.placements_for_user(request.user)
        .filter(post=post)
        .select_related("outcome")  # its 实践总结, read before the 期满鉴定
        .prefetch_related("logs")
    )
    safety.attach_safety(request.user, placements)  # emergency contact and insurance
    access = selectors.selection_access(request.user)
    evaluator = selectors.evaluator_for(request.user, post.host_unit_id)
    return render(
        request,
        "students/post_applicants.html",
        {
            "post": post,
            "applications": applications,
            "by_fit": by_fit,
            "placements": placements,
            "access": access,
            "evaluation_form": EvaluationForm(),
            "drop_form": DropForm(),
            # How an evaluation from this page is recorded (the county: 联合 or 代为鉴定).
            "evaluator": Placement.Evaluator(evaluator),
            "insurance_link": safety.records_insurance(request.user),
        },
    )


@login_required
@require_GET
def placement_list(request):
    """实践安排: every placement of the user's scope, where the county records check-in and
    does the 期满鉴定 for host units without an account (联合用人单位)."""
    status = request.GET.get("status", "")
    todo = request.GET.get("todo", "")
    placements = selectors.placements_to_manage(request.user, status=status, todo=todo)
    page = paginate(request, placements, 50)
    safety.attach_safety(request.user, page)  # emergency contact and insurance
    return render(
        request,
        "students/placement_list.html",
        {
            "page": page,
            "insurance_link": safety.records_insurance(request.user),
            "status": status if status in Placement.Status.values else "",
            "todo": todo if todo in selectors.PLACEMENT_TODOS else "",
            "statuses": Placement.Status.choices,
            "access": selectors.selection_access(request.user),
            "query": query_without_page(request),
            "today": timezone.localdate(),
        },
    )


@login_required
@require_POST
def host_rank(request, pk: int):
    application, access = selectors.get_application_for_user(request.user, pk)
    require_write(access.can_rank)
    form = HostRankForm(request.POST, instance=application)
    with refusals_as_messages(request):
        if not form.is_valid():
            raise ValidationError(_("排序须为 1 至 32767 的整数。"))
        services.application_host_rank(
            application=application,
            rank=form.cleaned_data["host_rank"],
            unsuitable=form.cleaned_data["host_unsuitable"],
            actor=request.user,
        )
        messages.success(request, _("已保存排序。"))
    return redirect("students:post_applicants", post_pk=application.post_id)


def _county_decision(service, done):
    @login_required
    @require_POST
    def view(request, pk: int):
        application, access = selectors.get_application_for_user(request.user, pk)
        require_write(access.can_offer)
        with refusals_as_messages(request):
            service(application=application, actor=request.user)
            messages.success(request, done())
        return redirect("students:post_applicants", post_pk=application.post_id)

    return view


@never_cache
@login_required
@require_POST
def reveal(request, pk: int):
    """Shows an applicant's full ID number / phone to the county or host unit, and logs it."""
    application, access = selectors.get_application_for_user(request.user, pk)
    require_write(access.can_reveal)
    with refusals_as_messages(request):
        values = services.personal_data_reveal(application=application, actor=request.user)
        # Rendered into this response only: never a message (that is a cookie) and never cached.
        template = "students/_revealed.html" if request.htmx else "students/revealed.html"
        context = {"values": values, "application": application}
        return render(request, template, context)
    return redirect("students:post_applicants", post_pk=application.post_id)


shortlist = _county_decision(services.application_shortlist, lambda: _("已入围。"))
reject = _county_decision(services.application_reject, lambda: _("已标记为未入选。"))
offer = _county_decision(services.application_offer, lambda: _("已发出录用，等待学生确认。"))


def _placement_done(request, pk: int, capability: str, change) -> HttpResponse:
    """A POST by a host unit or the county on one placement: `capability` names the Access flag
    it needs beyond seeing the placement (403 without it); `change(placement)` does the work."""
    placement, access = selectors.get_placement_for_user(request.user, pk)
    require_write(getattr(access, capability))
    with refusals_as_messages(request):
        change(placement)
        messages.success(request, _("已保存。"))
    return _back_to(request, placement)


def _back_to(request, placement: Placement) -> HttpResponse:
    """Back to the page the button was on: the placement list, the home page's to-do list, or
    the post's applicants."""
    if request.POST.get("back") == "list":
        return redirect("students:placement_list")
    if request.POST.get("back") == "home":
        return redirect(f"{reverse('home')}#todo-list")
    return redirect(
        f"{reverse('students:post_applicants', args=[placement.post_id])}#placement-{placement.pk}"
    )


@login_required
@require_POST
def placement_report(request, pk: int):
    def report(placement):
        services.placement_report(placement=placement, actor=request.user)

    return _placement_done(request, pk, "can_record", report)


@login_required
@require_POST
def placement_train(request, pk: int):
    def train(placement):
        services.placement_train(placement=placement, actor=request.user)

    return _placement_done(request, pk, "can_record", train)


@login_required
@require_POST
def placement_evaluate(request, pk: int):
    def evaluate(placement):
        form = EvaluationForm(request.POST)
        if not form.is_valid():
            raise ValidationError(_("请选择鉴定等次。"))
        services.placement_evaluate(placement=placement, actor=request.user, **form.cleaned_data)

    return _placement_done(request, pk, "can_evaluate", evaluate)


@login_required
@require_POST
def placement_drop(request, pk: int):
    def drop(placement):
        reason = DropForm(request.POST).data.get("reason", "")
        services.placement_drop(placement=placement, reason=reason, actor=request.user)

    return _placement_done(request, pk, "can_drop", drop)


@login_required
@require_POST
def log_add(request, pk: int):
    _student(request)
    placement, _access = selectors.get_placement_for_user(request.user, pk)
    form = PracticeLogForm(request.POST)
    with refusals_as_messages(request):
        if not form.is_valid():
            raise ValidationError(
                " ".join(str(e) for errors in form.errors.values() for e in errors)
            )
        services.practice_log_add(placement=placement, actor=request.user, **form.cleaned_data)
        messages.success(request, _("日志已保存，等待用人单位确认时长。"))
    return redirect("students:me")


@login_required
@require_POST
def log_confirm(request, pk: int):
    log = PracticeLog.objects.filter(pk=pk).first()
    if log is None:
        raise Http404
    placement, access = selectors.get_placement_for_user(request.user, log.placement_id)
    require_write(access.can_evaluate)
    with refusals_as_messages(request):
        services.practice_log_confirm(log=log, actor=request.user)
        messages.success(request, _("已确认实践时长。"))
    return _back_to(request, placement)


# Universities (their students; clearance before departure) -----------------------------------


def _clearances(applications) -> dict:
    """(student, season) → Clearance for a page of applications, in one query."""
    pairs = {(a.student_id, a.season_id) for a in applications}
    found = Clearance.objects.filter(
        student_id__in={s for s, _ in pairs}, season_id__in={s for _, s in pairs}
    )
    return {(c.student_id, c.season_id): c for c in found}


@login_required
@require_GET
def university_students(request):
    if not capabilities_for(request.user).can_see_university_students:
        raise Http404
    placements = selectors.placements_for_user(request.user).order_by("-created_at")
    todo = request.GET.get("todo") == "clearance"
    applications = (
        selectors.applications_needing_clearance(request.user, timezone.localdate())
        if todo
        else selectors.applications_for_user(request.user).filter(status__in=ACTIVE_APPLICATION)
    )
    applications = list(applications.order_by("-created_at")[:100])
    clearances = _clearances(applications)
    for application in applications:
        application.clearance = clearances.get((application.student_id, application.season_id))
    return render(
        request,
        "students/university_students.html",
        {
            "placements": paginate(request, placements, 50),
            "applications": applications,
            "todo": todo,
        },
    )


def _export_format(request) -> str:
    return "csv" if request.GET.get("format") == "csv" else "xlsx"


@login_required
@require_GET
def university_students_export(request):
    if not capabilities_for(request.user).can_see_university_students:
        raise Http404
    exporter = UniversityPlacementsExporter(request.user)
    return export_response(
        exporter,
        fmt=_export_format(request),
        region=request.user.university.province,
    )


@login_required
@require_GET
def post_applicants_export(request, post_pk: int):
    post, _access = position_selectors.get_post_for_user(request.user, post_pk)
    exporter = ApplicantsExporter(request.user, post=post)
    return export_response(exporter, fmt=_export_format(request), region=post.host_unit.county)


@login_required
@require_POST
def clearance(request, pk: int, kind: str):
    """The university certifies school performance or records safety training for a season."""
    if kind not in ("performance", "safety"):
        raise Http404
    application, access = selectors.get_application_for_user(request.user, pk)
    if not access.can_certify:
        raise Http404
    if kind == "performance":
        # Now a numbered document (universities/): issued with the standard statement here, or
        # with the university's own words on its issue page.
        with refusals_as_messages(request):
            university_services.certificate_issue(
                student=application.student, season=application.season, actor=request.user
            )
            messages.success(request, _("已开具在校表现证明。"))
    else:
        services.clearance_record(
            student=application.student, season=application.season, safety=True, actor=request.user
        )
        messages.success(request, _("已记录。"))
    if request.POST.get("todo") == "clearance":  # back to the to-do filter it was pressed in
        return redirect(f"{reverse('students:university_students')}?todo=clearance#clearances")
    return redirect("students:university_students")


# Second-classroom credits (university staff) --------------------------------------------------


def _credit_filters(request) -> tuple[CreditFilterForm, dict, str]:
    """The year and season filters, their valid values, and those values as a query string."""
    form = CreditFilterForm(request.GET or None, years=credits.credit_years())
    values = form.values()
    query = urlencode({k: v for k, v in values.items() if v})
    return form, values, query


@login_required
def credits_page(request):
    """第二课堂学分: the university's students with a completed placement, their credits under
    the university's rule (editable here), and the export for its 第二课堂成绩单 system."""
    if not capabilities_for(request.user).can_see_university_students:
        raise Http404
    university = request.user.university
    filters, values, query = _credit_filters(request)
    # Each credit's 实践总结 is read beside it (issue 18).
    placements = credits.credit_placements_for_user(request.user, **values).select_related(
        "outcome"
    )
    rule = credits.rule_for(university)
    # The form gets its own copy: a refused value must not change the credits shown below it.
    posted = request.POST if request.method == "POST" else None
    form = CreditRuleForm(posted, instance=copy.copy(rule))
    if posted is not None:
        if form.is_valid():
            credits.rule_update(university=university, actor=request.user, **form.cleaned_data)
            messages.success(request, _("学分认定规则已保存。"))
            return redirect(f"{reverse('students:credits')}{'?' + query if query else ''}")
        messages.error(request, _("学分认定规则未保存，请按提示修改。"))
    count, total = credits.totals(placements, rule)
    paginator = Paginator(placements, 50)
    paginator.count = count  # the totals' query counted them already
    page = paginator.get_page(request.GET.get("page"))
    for placement in page:
        placement.credits = rule.credits_for(hours=placement.hours, rating=placement.rating)
    return render(
        request,
        "students/credits.html",
        {
            "filters": filters,
            "query": query,
            "page": page,
            "count": count,
            "total": total,
            "rule": rule,
            "rule_text": credits.rule_text(rule),
            "form": form,
        },
    )


@login_required
@require_GET
def credits_export(request):
    """The page's rows (same filters, same scope) as Excel, or CSV with ?format=csv; audited."""
    if not capabilities_for(request.user).can_see_university_students:
        raise Http404
    _form, values, _query = _credit_filters(request)
    exporter = CreditsExporter(request.user, **values)
    return export_response(
        exporter,
        fmt=_export_format(request),
        region=request.user.university.province,
    )


# Matching rounds (county staff) ----------------------------------------------------------------


def _county_seasons(user):
    from schedule.models import Season

    return Season.objects.filter(
        programme_year__province_id=user.region.parent.parent_id
    ).select_related("programme_year")


@login_required
def matching(request):
    """The county's matching round for a season: run, preview with reasons, adjust, publish."""
    county = require_county_staff(request.user)
    seasons = list(_county_seasons(request.user))
    season = next((s for s in seasons if str(s.pk) == request.GET.get("season")), None)
    season = season or next((s for s in reversed(seasons) if s.posts.exists()), None)
    current = (
        MatchingRound.objects.filter(
            county=county, season=season, status__in=["running", "preview"]
        ).first()
        if season
        else None
    )
    preview = current if current and current.status == MatchingRound.Status.PREVIEW else None
    running = current if current and current.status == MatchingRound.Status.RUNNING else None
    published = MatchingRound.objects.filter(
        county=county, season=season, status=MatchingRound.Status.PUBLISHED
    )
    return render(
        request,
        "students/matching.html",
        {
            "seasons": seasons,
            "season": season,
            "preview": preview,
            "summary": rounds.round_summary(preview) if preview else None,
            "published": published[:5],
            "running": running,
            "supplementary": bool(season) and rounds.supplementary_is_open(county.pk, season.pk),
        },
    )


@login_required
@require_POST
def matching_run(request):
    county = require_county_staff(request.user)
    season = _county_seasons(request.user).filter(pk=request.POST.get("season")).first()
    if season is None:
        raise Http404
    with refusals_as_messages(request):
        if rounds.open_application_count(county, season) > settings.MATCHING_INLINE_LIMIT:
            rounds.round_run_in_background(county=county, season=season, actor=request.user)
            messages.success(request, _("报名较多，匹配正在后台运行，完成后本页自动显示结果。"))
        else:
            rounds.round_run(county=county, season=season, actor=request.user)
            messages.success(request, _("匹配已完成，请核对预览后发布。"))
    return redirect(f"{reverse('students:matching')}?season={season.pk}")


def _round_for_county(request, pk: int) -> MatchingRound:
    county = require_county_staff(request.user)
    matching_round = MatchingRound.objects.filter(pk=pk, county=county).first()
    if matching_round is None:
        raise Http404
    return matching_round


@login_required
@require_POST
def matching_publish(request, pk: int):
    matching_round = _round_for_county(request, pk)
    with refusals_as_messages(request):
        sent = rounds.round_publish(matching_round=matching_round, actor=request.user)
        messages.success(request, _("已发布，向 %(n)s 名学生发出录用。") % {"n": sent})
    return redirect(f"{reverse('students:matching')}?season={matching_round.season_id}")


@login_required
@require_POST
def matching_toggle(request, pk: int):
    outcome = MatchingOutcome.objects.select_related("round").filter(pk=pk).first()
    if outcome is None:
        raise Http404
    _round_for_county(request, outcome.round_id)
    with refusals_as_messages(request):
        rounds.outcome_toggle(outcome=outcome, actor=request.user)
    return redirect(f"{reverse('students:matching')}?season={outcome.round.season_id}")


@login_required
@require_POST
def supplementary_open(request):
    county = require_county_staff(request.user)
    season = _county_seasons(request.user).filter(pk=request.POST.get("season")).first()
    if season is None:
        raise Http404
    with refusals_as_messages(request):
        invited = rounds.supplementary_open(county=county, season=season, actor=request.user)
        messages.success(request, _("补录已开启，已通知 %(n)s 名未录用的学生。") % {"n": invited})
    return redirect(f"{reverse('students:matching')}?season={season.pk}")


@login_required
@require_GET
def supplementary(request):
    """For a student: the home county's posts that still have seats, while 补录 is open."""
    student = _student(request)
    open_rounds = SupplementaryRound.objects.filter(county=student.hometown).select_related(
        "season__programme_year"
    )
    seasons = [r.season for r in open_rounds]
    offers = []
    for season in seasons:
        seats = rounds.free_seats_in(student.hometown, season)
        posts = Post.objects.filter(pk__in=seats).select_related("host_unit").order_by("title")
        offers.append((season, [(post, seats[post.pk]) for post in posts]))
    return render(request, "students/supplementary.html", {"student": student, "offers": offers})
