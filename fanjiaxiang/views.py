"""Helpers every app's views share: one page of a list, the query string its pager links keep,
and a service call whose refusal goes back onto the form."""

from django.core.exceptions import ValidationError
from django.core.paginator import Page, Paginator
from django.http import FileResponse, Http404

from fanjiaxiang.forms import add_service_errors


def paginate(request, items, size: int) -> Page:
    """The page `?page=` asks for; a missing, odd or too large number gives the first or last."""
    return Paginator(items, size).get_page(request.GET.get("page"))


def query_without_page(request) -> str:
    """The list's filters as a query string, for the pager's links to keep."""
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()


def form_save(form, save):
    """Run a service; a refusal goes back onto the form so nothing the user typed is lost.
    Returns what the service returned, or None when it refused."""
    try:
        return save()
    except ValidationError as error:
        add_service_errors(form, error)
        return None


def photo_response(photo) -> FileResponse:
    """A stored photo (fanjiaxiang.models.Photo), shown inline to whoever its owner's scoped view
    let through; a file gone from the store is a 404."""
    try:
        handle = photo.image.open("rb")
    except FileNotFoundError as error:
        raise Http404 from error
    response = FileResponse(handle, content_type=photo.content_type)
    response["Content-Disposition"] = "inline"
    return response
