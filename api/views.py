"""接口令牌: the staff page that lists, creates (showing the secret once) and revokes the API
tokens of the user's unit and the units below it."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from api import selectors, services
from api.forms import TokenForm
from fanjiaxiang.forms import add_service_errors, refusals_as_messages


@login_required
@require_http_methods(["GET", "POST"])
def token_list(request):
    selectors.require_token_manager(request.user)
    scopes = selectors.token_scopes_for(request.user)
    form = TokenForm(request.POST or None, scopes=scopes)
    secret = created = None
    if request.method == "POST" and form.is_valid():
        try:
            created, secret = services.token_create(
                actor=request.user, scope_key=form.cleaned_data["scope"], **_fields(form)
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            form = TokenForm(scopes=scopes)
    tokens = list(selectors.tokens_for_user(request.user)[:200])
    used = selectors.last_used(tokens)
    for listed in tokens:
        listed.last_used_at = used.get(listed.pk)
    response = render(
        request,
        "api/tokens.html",
        {"form": form, "tokens": tokens, "secret": secret, "created": created},
    )
    if secret:  # shown once: no cache (a browser's, a proxy's) may keep it
        response["Cache-Control"] = "no-store"
    return response


def _fields(form) -> dict:
    data = form.cleaned_data
    return {"name": data["name"], "days": data["days"], "can_write": data["can_write"]}


@login_required
@require_POST
def token_revoke(request, pk: int):
    selectors.require_token_manager(request.user)
    token = selectors.get_token_for_user(request.user, pk)
    with refusals_as_messages(request):
        services.token_revoke(token=token, actor=request.user)
        messages.success(request, _("已撤销令牌：%(name)s") % {"name": token.name})
    return redirect("api:tokens")
