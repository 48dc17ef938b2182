"""Pages of one's own API tokens (/akun/token-api/): list, create, revoke.

A user only ever reaches their own tokens: another user's token is a 404.
The token's text is shown once, in the answer to the creating POST (never
stored, never put in the session or a redirect).
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from api import token_services
from api.forms import TokenForm
from tracker.forms import add_service_errors

PAGE_SIZE = 25


@never_cache
@login_required
def token_list(request):
    """The user's tokens and the form to create one; a valid POST creates it and shows it once."""
    created = plaintext = None
    if request.method == "POST":
        form = TokenForm(request.POST)
        if form.is_valid():
            try:
                created, plaintext = token_services.create_token(
                    request.user, form.cleaned_data["name"], form.expires_at()
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                form = TokenForm()
    else:
        form = TokenForm()
    page = Paginator(token_services.tokens_of(request.user), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "api/token_list.html",
        {"form": form, "page_obj": page, "created": created, "plaintext": plaintext},
    )


@login_required
def token_revoke(request, pk):
    """Confirm (GET), then revoke (POST) one of the user's own tokens."""
    token = get_object_or_404(token_services.tokens_of(request.user), pk=pk)
    if request.method == "POST":
        token_services.revoke_token(token, request.user)
        messages.success(request, _("The token %(name)s is revoked.") % {"name": token.name})
        return redirect("api-token-list")
    return render(request, "api/token_revoke.html", {"token": token})
