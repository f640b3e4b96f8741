from contextlib import contextmanager

from django.contrib import messages
from django.core.exceptions import ValidationError


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
