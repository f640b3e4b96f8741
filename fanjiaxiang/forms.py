from collections.abc import Iterable
from contextlib import contextmanager
from typing import cast

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy

DJANGO_EMPTY_LABEL = "---------"
EMPTY_LABEL = gettext_lazy("请选择…")


def empty_choice_relabel(field: forms.Field) -> None:
    """A select's empty choice says what to do (请选择…), not Django's dashes; an empty choice a
    form labels itself (全部, 不详) stays as it is."""
    if isinstance(field, forms.ModelChoiceField):
        if field.empty_label == DJANGO_EMPTY_LABEL:
            field.empty_label = EMPTY_LABEL
    elif isinstance(field, forms.ChoiceField):
        choices = list(cast(Iterable, field.choices))  # a list by now: the form is built
        if choices and choices[0] == ("", DJANGO_EMPTY_LABEL):
            field.choices = [("", EMPTY_LABEL), *choices[1:]]


class PortalFormMixin:
    """What every form of the portal shares; the forms below are the ones to subclass."""

    fields: dict[str, forms.Field]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            empty_choice_relabel(field)


class PortalForm(PortalFormMixin, forms.Form):
    pass


class PortalModelForm(PortalFormMixin, forms.ModelForm):
    pass


def add_service_errors(form, error: ValidationError) -> None:
    """Put a service's refusal onto the form, so the page shows it beside what the user typed."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


@contextmanager
def refusals_as_messages(request):
    """A service's refusal (ValidationError) becomes an error message on the next page."""
    try:
        yield
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
