import tempfile

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Q
from django.http import FileResponse, Http404, HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.models import Mail
from accounts.scoping import require_write
from accounts.validators import id_number_digest, normalize_phone
from fanjiaxiang.exporters import export_response
from fanjiaxiang.forms import refusals_as_messages
from fanjiaxiang.views import form_save, paginate, query_without_page
from ledger import excel, imports, selectors, services
from ledger.exporters import LedgerExporter
from ledger.forms import (
    AttendanceForm,
    ChannelForm,
    ContactForm,
    EntryFilterForm,
    EntryForm,
    EventForm,
    ImportForm,
    MaterialForm,
    MergeForm,
    NoticeForm,
    RegistrationForm,
)
from ledger.models import Entry, ImportJob, ReturnRegistration

PAGE_SIZE = 30


def _county(request):
    """The county a writing user works for: 403 for staff who only read."""
    selectors.require_ledger_reader(request.user)
    require_write(selectors.can_write(request.user))
    return request.user.region


def _fresh(instance):
    """The saved row again: a ModelForm changes its instance in place while validating."""
    return type(instance).objects.get(pk=instance.pk) if instance else None


# The ledger ----------------------------------------------------------------------------------


@login_required
@require_GET
def entry_list(request):
    entries = selectors.entries_for_user(request.user)
    filters = EntryFilterForm(request.GET or None, user=request.user)
    if request.GET:
        entries = filters.filter(entries)
    entries = entries.select_related("county").order_by("-updated_at", "-pk")
    return render(
        request,
        "ledger/entry_list.html",
        {
            "page": paginate(request, entries, PAGE_SIZE),
            "filters": filters,
            "can_write": selectors.can_write(request.user),
            "query": query_without_page(request),
        },
    )


@login_required
def entry_create(request):
    county = _county(request)
    form = EntryForm(request.POST or None, county=county)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        channels = data.pop("channels")

        def save():
            with transaction.atomic():
                entry = services.entry_create(county=county, actor=request.user, **data)
                entry.channels.set(channels)
                return entry

        entry = form_save(form, save)
        if entry:
            messages.success(request, _("已登记：%(name)s") % {"name": entry.name})
            return redirect("ledger:entry_detail", pk=entry.pk)
    return render(request, "ledger/entry_form.html", {"form": form})


@login_required
@require_GET
def entry_detail(request, pk: int):
    entry, access = selectors.get_entry_for_user(request.user, pk)
    return render(
        request,
        "ledger/entry_detail.html",
        {
            "entry": entry,
            "access": access,
            "contacts": entry.contacts.select_related("by")[:50],
            "registrations": entry.registrations.all(),
            "channels": entry.channels.all(),
            "events": entry.events.all(),
            "contact_form": ContactForm(),
            "registration_form": RegistrationForm(),
            "duplicates": _possible_duplicates(entry) if access.can_write else [],
        },
    )


def _possible_duplicates(entry: Entry):
    same = Entry.objects.filter(county=entry.county_id).exclude(pk=entry.pk)
    match = Q(name=entry.name)
    if entry.phone:
        match |= Q(phone=entry.phone)
    return same.filter(match)[:10]


@login_required
def entry_edit(request, pk: int):
    entry, access = selectors.get_entry_for_user(request.user, pk)
    require_write(access.can_write)
    form = EntryForm(request.POST or None, instance=entry, county=entry.county)
    if request.method == "POST" and form.is_valid():
        data = {name: form.cleaned_data[name] for name in EntryForm.Meta.fields}
        channels = form.cleaned_data["channels"]
        entry = Entry.objects.get(pk=entry.pk)  # the form changed the instance in place

        def save():
            with transaction.atomic():
                saved = services.entry_update(entry=entry, actor=request.user, **data)
                saved.channels.set(channels)
                return saved

        if form_save(form, save):
            messages.success(request, _("已保存。"))
            return redirect("ledger:entry_detail", pk=entry.pk)
    return render(request, "ledger/entry_form.html", {"form": form, "entry": entry})


@login_required
@require_POST
def entry_delete(request, pk: int):
    entry, access = selectors.get_entry_for_user(request.user, pk)
    require_write(access.can_write)
    services.entry_delete(entry=entry, actor=request.user)
    messages.success(request, _("已从台账删除：%(name)s") % {"name": entry.name})
    return redirect("ledger:entry_list")


@login_required
@require_POST
def entry_merge(request, pk: int):
    """Merge another entry of the county into this one."""
    keep, access = selectors.get_entry_for_user(request.user, pk)
    require_write(access.can_write)
    form = MergeForm(request.POST)
    if not form.is_valid():
        raise Http404
    other, _access = selectors.get_entry_for_user(request.user, form.cleaned_data["other"])
    with refusals_as_messages(request):
        services.entries_merge(keep=keep, other=other, actor=request.user)
        messages.success(request, _("已合并为一人。"))
    return redirect("ledger:entry_detail", pk=keep.pk)


@login_required
@require_GET
def duplicates(request):
    county = _county(request)
    return render(request, "ledger/duplicates.html", {"groups": services.duplicate_groups(county)})


@login_required
@require_POST
def contact_add(request, pk: int):
    entry, access = selectors.get_entry_for_user(request.user, pk)
    require_write(access.can_write)
    form = ContactForm(request.POST)
    if form.is_valid() and form_save(
        form, lambda: services.contact_add(entry=entry, actor=request.user, **form.cleaned_data)
    ):
        messages.success(request, _("已记录联系。"))
        return redirect("ledger:entry_detail", pk=entry.pk)
    return render(
        request, "ledger/form_page.html", {"form": form, "title": _("记录联系"), "entry": entry}
    )


@login_required
@require_POST
def registration_add(request, pk: int):
    entry, access = selectors.get_entry_for_user(request.user, pk)
    require_write(access.can_write)
    form = RegistrationForm(request.POST)
    if form.is_valid() and form_save(
        form,
        lambda: services.registration_save(entry=entry, actor=request.user, **form.cleaned_data),
    ):
        messages.success(request, _("已登记，待核实。"))
        return redirect("ledger:entry_detail", pk=entry.pk)
    return render(
        request,
        "ledger/form_page.html",
        {"form": form, "title": _("返乡就业创业登记"), "entry": entry},
    )


# Excel -------------------------------------------------------------------------------------


@login_required
@require_GET
def export(request):
    """The filtered ledger in the import's format, as Excel or (?format=csv) CSV."""
    exporter = LedgerExporter(request.user, query=request.GET)
    return export_response(
        exporter, fmt=request.GET.get("format", "xlsx"), region=request.user.region
    )


@login_required
@require_GET
def template(request):
    selectors.require_ledger_reader(request.user)
    handle = tempfile.TemporaryFile()  # noqa: SIM115 - FileResponse closes it
    excel.write_template(handle)
    handle.seek(0)
    return FileResponse(
        handle,
        as_attachment=True,
        filename=_("联系台账导入模板.xlsx"),
        content_type=excel.XLSX_TYPE,
    )


@login_required
def import_upload(request):
    county = _county(request)
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        job = form_save(
            form,
            lambda: imports.job_create(
                county=county, upload=form.cleaned_data["file"], actor=request.user
            ),
        )
        if job:
            return redirect("ledger:import_job", pk=job.pk)
    jobs = ImportJob.objects.filter(county=county)[:10]
    return render(request, "ledger/import_upload.html", {"form": form, "jobs": jobs})


@never_cache
@login_required
@require_GET
def import_job(request, pk: int):
    job, _access = selectors.get_import_for_user(request.user, pk)
    template_name = "ledger/_import_status.html" if request.htmx else "ledger/import_job.html"
    return render(request, template_name, {"job": job, "S": ImportJob.Status})


@login_required
@require_POST
def import_confirm(request, pk: int):
    job, access = selectors.get_import_for_user(request.user, pk)
    require_write(access.can_write)
    with refusals_as_messages(request):
        imports.job_confirm(job=job)
        job.refresh_from_db()
        if job.status == ImportJob.Status.DONE:
            messages.success(
                request,
                _("导入完成：新增 %(created)s 人，更新 %(updated)s 人。")
                % {"created": job.created, "updated": job.updated},
            )
    return redirect("ledger:import_job", pk=job.pk)


# Channels ----------------------------------------------------------------------------------


@login_required
@require_GET
def channel_list(request):
    channels = (
        selectors.channels_for_user(request.user)
        .select_related("county")
        .annotate(size=Count("members"))
        .order_by("county__code", "kind", "name")
    )
    return render(
        request,
        "ledger/channel_list.html",
        {
            "page": paginate(request, channels, PAGE_SIZE),
            "can_write": selectors.can_write(request.user),
        },
    )


@login_required
def channel_edit(request, pk: int | None = None):
    if pk is None:
        county, channel = _county(request), None
    else:
        channel, access = selectors.get_channel_for_user(request.user, pk)
        require_write(access.can_write)
        county = channel.county
    form = ChannelForm(request.POST or None, instance=channel)
    if request.method == "POST" and form.is_valid():
        fields = {name: form.cleaned_data[name] for name in ChannelForm.Meta.fields}
        saved = form_save(
            form,
            lambda: services.channel_save(
                county=county, actor=request.user, channel=_fresh(channel), **fields
            ),
        )
        if saved:
            messages.success(request, _("已保存。"))
            return redirect("ledger:channel_detail", pk=saved.pk)
    return render(
        request,
        "ledger/form_page.html",
        {"form": form, "title": _("联系渠道"), "back": "ledger:channel_list"},
    )


@login_required
@require_GET
def channel_detail(request, pk: int):
    channel, access = selectors.get_channel_for_user(request.user, pk)
    members = channel.members.order_by("name")
    return render(
        request,
        "ledger/channel_detail.html",
        {"channel": channel, "access": access, "page": paginate(request, members, PAGE_SIZE)},
    )


# Notices -----------------------------------------------------------------------------------


@login_required
@require_GET
def notice_list(request):
    notices = selectors.notices_for_user(request.user).select_related("county")
    return render(
        request,
        "ledger/notice_list.html",
        {
            "page": paginate(request, notices, PAGE_SIZE),
            "can_write": selectors.can_write(request.user),
        },
    )


@login_required
def notice_create(request):
    """Filters choose the recipients (with their count shown before sending)."""
    county = _county(request)
    source = request.POST if request.method == "POST" else request.GET
    filters = EntryFilterForm(source or None, user=request.user)
    entries = selectors.entries_for_user(request.user)
    if source:
        entries = filters.filter(entries)
    form = NoticeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        notice = form_save(
            form,
            lambda: services.notice_send(
                county=county,
                actor=request.user,
                entries=entries,
                filters=filters.described(),
                **form.cleaned_data,
            ),
        )
        if notice:
            messages.success(request, _("通知已发送。"))
            return redirect("ledger:notice_detail", pk=notice.pk)
    reachable = entries.filter(Q(student__isnull=False) | ~Q(email="")).count()
    return render(
        request,
        "ledger/notice_form.html",
        {
            "form": form,
            "filters": filters,
            "count": entries.count(),
            "reachable": reachable,
        },
    )


@login_required
@require_GET
def notice_detail(request, pk: int):
    notice, _access = selectors.get_notice_for_user(request.user, pk)
    deliveries = notice.deliveries.select_related("entry", "mail").order_by("entry__name")
    counts = services.notice_mail_counts(notice)
    return render(
        request,
        "ledger/notice_detail.html",
        {
            "notice": notice,
            "page": paginate(request, deliveries, 50),
            "mail_counts": [(s.label, counts[s.value]) for s in Mail.Status if counts.get(s.value)],
            "mail_failed": counts.get(Mail.Status.FAILED, 0),
        },
    )


@require_http_methods(["GET", "POST"])
def notice_read(request, token: str):
    """The recipient's own link (from the portal notice or the e-mail) shows the notice; the
    page then POSTs back (htmx, on load) to count the read, so mail scanners and link previews
    that only fetch the link count nothing. Anyone holding the signed link may read that one
    notice."""
    delivery = selectors.delivery_from_token(token)
    if request.method == "POST":
        services.delivery_mark_read(delivery)
        return HttpResponse(status=204)
    return render(request, "ledger/notice_read.html", {"notice": delivery.notice, "token": token})


# Exchange events ---------------------------------------------------------------------------


@login_required
@require_GET
def event_list(request):
    events = selectors.events_for_user(request.user).select_related(
        "county", "season__programme_year"
    )
    return render(
        request,
        "ledger/event_list.html",
        {
            "page": paginate(request, events, PAGE_SIZE),
            "can_write": selectors.can_write(request.user),
        },
    )


@login_required
def event_edit(request, pk: int | None = None):
    if pk is None:
        county, event = _county(request), None
    else:
        event, access = selectors.get_event_for_user(request.user, pk)
        require_write(access.can_write)
        county = event.county
    form = EventForm(request.POST or None, instance=event, county=county)
    if request.method == "POST" and form.is_valid():
        fields = {name: form.cleaned_data[name] for name in EventForm.Meta.fields}
        saved = form_save(
            form,
            lambda: services.event_save(
                county=county, actor=request.user, event=_fresh(event), **fields
            ),
        )
        if saved:
            messages.success(request, _("已保存。"))
            return redirect("ledger:event_detail", pk=saved.pk)
    return render(
        request,
        "ledger/form_page.html",
        {"form": form, "title": _("集中交流活动"), "back": "ledger:event_list"},
    )


@login_required
def event_detail(request, pk: int):
    event, access = selectors.get_event_for_user(request.user, pk)
    current = event.attendees.order_by("name")
    # The list as it stands, one per line (phone, else name): saving replaces it, so a second
    # batch is added by appending lines, and clearing the box clears the list.
    initial = {"people": "\n".join(e.phone or e.name for e in current)}
    form = AttendanceForm(request.POST or None, initial=initial)
    unknown: list[str] = []
    if request.method == "POST":
        require_write(access.can_write)
        if form.is_valid():
            found, unknown = _resolve_people(event.county_id, form.cleaned_data["people"])
            if not unknown:
                services.event_attendance_set(event=event, entries=found, actor=request.user)
                messages.success(request, _("已登记出席 %(n)s 人。") % {"n": len(found)})
                return redirect("ledger:event_detail", pk=event.pk)
            form.add_error(
                "people",
                _("以下各行在本县台账中找不到或不止一人，未保存：%(lines)s")
                % {"lines": "、".join(unknown[:20])},
            )
    return render(
        request,
        "ledger/event_detail.html",
        {
            "event": event,
            "access": access,
            "form": form,
            "attendees": current,
            "materials": event.materials.all(),
            "material_form": MaterialForm(),
        },
    )


@login_required
@require_POST
def event_materials(request, pk: int):
    """Upload photos or minutes; a refusal shows the event's page again with the reason."""
    event, access = selectors.get_event_for_user(request.user, pk)
    require_write(access.can_write)
    form = MaterialForm(request.POST, request.FILES)
    if form.is_valid():
        added = form_save(
            form,
            lambda: services.event_materials_add(
                event=event, files=form.cleaned_data["materials"], actor=request.user
            ),
        )
        if added:
            messages.success(request, _("已上传 %(n)s 个文件。") % {"n": added})
            return redirect("ledger:event_detail", pk=event.pk)
    return render(
        request,
        "ledger/event_detail.html",
        {
            "event": event,
            "access": access,
            "form": AttendanceForm(initial={"people": ""}),
            "attendees": event.attendees.order_by("name"),
            "materials": event.materials.all(),
            "material_form": form,
        },
    )


@never_cache
@login_required
@require_GET
def event_material(request, pk: int, material_pk: int):
    """A photo or the minutes, to whoever reads the event (never a public media URL)."""
    material, _access = selectors.get_material_for_user(request.user, pk, material_pk)
    try:
        handle = material.file.open("rb")
    except FileNotFoundError as error:
        raise Http404 from error
    response = FileResponse(handle, content_type=material.content_type)
    # Photos show in the page; minutes are downloaded, never rendered from the portal's origin.
    if material.is_photo:
        response["Content-Disposition"] = "inline"
    else:
        response["Content-Disposition"] = (
            content_disposition_header(as_attachment=True, filename=material.original_name)
            or "attachment"
        )
    return response


@login_required
@require_POST
def event_material_delete(request, pk: int, material_pk: int):
    material, access = selectors.get_material_for_user(request.user, pk, material_pk)
    require_write(access.can_write)
    services.event_material_remove(material=material, actor=request.user)
    messages.success(request, _("已删除“%(name)s”。") % {"name": material.original_name})
    return redirect("ledger:event_detail", pk=pk)


def _resolve_people(county_id: int, text: str) -> tuple[list[Entry], list[str]]:
    """Each line a phone, an ID number or a name in the county's ledger."""
    found, unknown = {}, []
    entries = Entry.objects.filter(county=county_id)
    for line in (raw.strip() for raw in text.splitlines()):
        if not line:
            continue
        matches = list(entries.filter(name=line)[:2])
        if not matches and len(line) == 18:
            matches = list(entries.filter(id_number_digest=id_number_digest(line.upper()))[:2])
        if not matches:
            try:
                matches = list(entries.filter(phone=normalize_phone(line))[:2])
            except ValidationError:
                matches = []
        if len(matches) == 1:
            found[matches[0].pk] = matches[0]
        else:
            unknown.append(line[:20])
    return list(found.values()), unknown


# Return-home employment and start-ups ------------------------------------------------------


@login_required
@require_GET
def registration_list(request):
    registrations = selectors.registrations_for_user(request.user).select_related("entry__county")
    status = request.GET.get("status", "")
    if status in ReturnRegistration.Status.values:
        registrations = registrations.filter(status=status)
    # From a county's 五个一 page: that county's registrations (of the reader's scope only).
    county = request.GET.get("county", "")
    if county:
        registrations = registrations.filter(entry__county__code=county)
    return render(
        request,
        "ledger/registration_list.html",
        {
            "page": paginate(request, registrations, PAGE_SIZE),
            "counts": selectors.registration_counts(request.user)[:100],
            "status": status,
            "statuses": ReturnRegistration.Status.choices,
            "can_write": selectors.can_write(request.user),
            "query": query_without_page(request),
        },
    )


@login_required
@require_POST
def registration_decide(request, pk: int):
    registration, access = selectors.get_registration_for_user(request.user, pk)
    require_write(access.can_write)
    decision = request.POST.get("decision")
    if decision not in ("verify", "reject"):
        return HttpResponseBadRequest()
    verified = decision == "verify"
    with refusals_as_messages(request):
        services.registration_decide(
            registration=registration, actor=request.user, verified=verified
        )
        messages.success(request, _("已核实。") if verified else _("已标记为未通过。"))
    if request.POST.get("next") == "entry":
        return redirect("ledger:entry_detail", pk=registration.entry_id)
    return redirect("ledger:registration_list")
