from typing import cast

from django import forms
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from stdnum.cn import uscc

from accounts.validators import normalize_phone
from fanjiaxiang.forms import PortalForm, PortalModelForm
from positions.models import MAX_HEADCOUNT, HostUnit, Post, Region
from positions.services import HOST_UNIT_FIELDS, POST_FIELDS
from schedule.models import Season


class PhoneField(forms.CharField):
    def clean(self, value):
        value = super().clean(value)
        return normalize_phone(value) if value else value


def _label_blank_choice(field, label: str) -> None:
    """Say what to choose instead of Django's '---------'."""
    field.choices = [("", label), *[c for c in field.choices if c[0] != ""]]


class HostUnitForm(PortalModelForm):
    contact_phone = PhoneField(label=gettext_lazy("联系电话"), max_length=20)

    class Meta:
        model = HostUnit
        fields = list(HOST_UNIT_FIELDS)
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, county: Region, **kwargs):
        super().__init__(*args, **kwargs)
        self.county = county
        _label_blank_choice(self.fields["kind"], _("请选择单位类型"))

    def clean_credit_code(self) -> str:
        code = self.cleaned_data["credit_code"].strip().upper()
        if code and not uscc.is_valid(code):
            raise forms.ValidationError(_("统一社会信用代码无效（应为 18 位且校验位正确）。"))
        return code

    def clean_name(self) -> str:
        name = self.cleaned_data["name"].strip()
        clash = HostUnit.objects.filter(county=self.county, name=name).exclude(pk=self.instance.pk)
        if clash.exists():
            raise forms.ValidationError(_("本县已登记同名用人单位。"))
        return name


class PostForm(PortalModelForm):
    contact_phone = PhoneField(label=gettext_lazy("联系电话"), max_length=20)

    class Meta:
        model = Post
        fields = ["host_unit", "season", *POST_FIELDS]
        widgets = {
            "starts_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "ends_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "description": forms.Textarea(attrs={"rows": 3}),
            "duties": forms.Textarea(attrs={"rows": 3}),
            "training": forms.Textarea(attrs={"rows": 2}),
            "safety_notes": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, county: Region, **kwargs):
        super().__init__(*args, **kwargs)
        units = HostUnit.objects.filter(county=county)
        if not self.instance.pk:
            units = units.filter(is_active=True)
        host_unit = cast(forms.ModelChoiceField, self.fields["host_unit"])
        season = cast(forms.ModelChoiceField, self.fields["season"])
        host_unit.queryset = units
        seasons = Season.objects.filter(
            programme_year__province_id=county.parent.parent_id
        ).select_related("programme_year")
        if not self.instance.pk:
            seasons = seasons.filter(practice_ends__gte=timezone.localdate())
        season.queryset = seasons
        self.fields["headcount"].widget.attrs.update(min=1, max=MAX_HEADCOUNT)
        host_unit.empty_label = _("请选择用人单位")
        season.empty_label = _("请选择实践季")
        _label_blank_choice(self.fields["category"], _("请选择岗位类别"))
        # Left out (an older form, a script): as it was, or for the county's own students.
        self.fields["audience"].required = False
        self._show_practice_window(list(seasons))

    def _show_practice_window(self, seasons: list[Season]) -> None:
        """Beside the dates: the chosen season's practice window (every offered season's while
        none is chosen), and the date pickers kept inside it."""
        chosen = str(self["season"].value() or "")
        shown = [s for s in seasons if str(s.pk) == chosen] or seasons
        if not shown:
            return
        windows = "；".join(
            _("%(season)s %(start)s 至 %(end)s")
            % {
                "season": s,
                "start": date_format(s.practice_starts, "Y年n月j日"),
                "end": date_format(s.practice_ends, "Y年n月j日"),
            }
            for s in shown
        )
        starts = self.fields["starts_on"]
        starts.help_text = _("实践期：%(windows)s。开始和结束日期都须在实践期之内。") % {
            "windows": windows
        }
        for name in ("starts_on", "ends_on"):
            self.fields[name].widget.attrs.update(
                min=min(s.practice_starts for s in shown).isoformat(),
                max=max(s.practice_ends for s in shown).isoformat(),
            )
        # Said once, under the first date; the second date is described by the same words.
        self.fields["ends_on"].widget.attrs["aria-describedby"] = (
            f"{self['starts_on'].auto_id}_helptext"
        )

    def clean_audience(self) -> str:
        return self.cleaned_data["audience"] or self.instance.audience

    def clean_headcount(self) -> int:
        headcount = self.cleaned_data["headcount"]
        if headcount is not None and headcount < 1:
            raise forms.ValidationError(_("招募人数至少为 1。"))
        return headcount

    def clean(self):
        data = super().clean()
        season, starts, ends = data.get("season"), data.get("starts_on"), data.get("ends_on")
        if starts and ends and starts > ends:
            self.add_error("ends_on", _("结束日期不能早于开始日期。"))
        elif season and starts and ends:
            window = {
                "season": season,
                "start": season.practice_starts,
                "end": season.practice_ends,
            }
            message = _("须在%(season)s实践期（%(start)s 至 %(end)s）之内。") % window
            if not season.contains(starts):
                self.add_error("starts_on", message)
            if not season.contains(ends):
                self.add_error("ends_on", message)
        return data


class PostSearchForm(PortalForm):
    """The public search; region codes come from the cascading selects."""

    province = forms.CharField(required=False)
    city = forms.CharField(required=False)
    county = forms.CharField(required=False)
    category = forms.ChoiceField(
        label=gettext_lazy("岗位类别"),
        required=False,
        choices=[("", gettext_lazy("全部类别")), *Post.Category.choices],
    )
    season = forms.CharField(label=gettext_lazy("实践季"), required=False)
    q = forms.CharField(label=gettext_lazy("关键词"), required=False)
    remote = forms.BooleanField(label=gettext_lazy("仅看可线上实践"), required=False)
