"""Bearer-token authentication: ``Authorization: Bearer monev_<prefix>_<secret>``.

A token acts as its user as the user is now: the request's user is the
token's user, loaded afresh with every request, and every queryset goes through
``policy.visible`` as for the pages, so the roles and the unit of this moment
count, never those of the day the token was made. The token itself is kept on
``request.auth``; throttling counts per user (``api.throttling``).

Two-factor sign-in (tracker.middleware) guards sessions: the middleware runs
before DRF and sees no session user on a token request. So the rule is applied
here, with the same two functions: while the user's role requires two-factor
sign-in (``two_factor_required``) and they have no confirmed device
(``has_confirmed_device``), their tokens are refused (401), as their browser
session is sent to set one up. With a device, the token stands in for the code
(made in a signed-in session of the user, stored hashed, expiring, revocable,
and revoked when the user's role or unit changes).
"""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import authentication, exceptions

from api import token_services
from api.models import ApiToken
from tracker.middleware import has_confirmed_device, two_factor_required

KEYWORD = "Bearer"


class TokenAuthentication(authentication.BaseAuthentication):
    """Authenticate by a personal API token; 401 with a JSON ``detail`` otherwise."""

    def authenticate(self, request):
        header = authentication.get_authorization_header(request).split()
        if not header or header[0].lower() != KEYWORD.lower().encode():
            return None  # not ours: the session (or nobody) then
        if len(header) != 2:
            raise exceptions.AuthenticationFailed(
                _("Invalid Authorization header: expected 'Bearer <token>'.")
            )
        try:
            plaintext = header[1].decode()
        except UnicodeError:
            raise exceptions.AuthenticationFailed(_("Invalid token.")) from None
        token = token_services.token_for(plaintext)
        if token is None:
            raise exceptions.AuthenticationFailed(_("Invalid token."))
        status = token.status()
        if status == ApiToken.Status.REVOKED:
            raise exceptions.AuthenticationFailed(_("This token has been revoked."))
        if status == ApiToken.Status.EXPIRED:
            raise exceptions.AuthenticationFailed(_("This token has expired."))
        if not token.user.is_active:
            raise exceptions.AuthenticationFailed(_("The token's user is inactive."))
        if two_factor_required(token.user) and not has_confirmed_device(token.user):
            raise exceptions.AuthenticationFailed(
                _("Two-factor sign-in required: set it up in the browser first.")
            )
        token_services.note_use(token)
        return token.user, token

    def authenticate_header(self, request):
        # Makes DRF answer 401 (not 403) to an unauthenticated request.
        return KEYWORD


class TokenScheme(OpenApiAuthenticationExtension):
    target_class = "api.authentication.TokenAuthentication"
    name = "bearerAuth"

    def get_security_definition(self, auto_schema):
        return {
            "type": "http",
            "scheme": "bearer",
            "description": (
                "Personal API token (monev_<prefix>_<secret>), created on /akun/token-api/."
            ),
        }
