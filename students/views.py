from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from fanjiaxiang.forms import add_service_errors
from students import selectors, services
from students.forms import UniversityForm


@login_required
def university_list(request):
    """The province's universities, and the form to register one more."""
    universities = selectors.universities_for_user(request.user)
    form = UniversityForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            university = services.university_create(
                province=request.user.region, **form.cleaned_data
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("已登记高校：%(name)s") % {"name": university.name})
            return redirect("students:university_list")
    return render(
        request, "students/university_list.html", {"universities": universities, "form": form}
    )
