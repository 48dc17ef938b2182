"""Bearer-token authentication: ``Authorization: Bearer monev_<prefix>_<secret>``.

A token acts as its user: the request's user is the token's user, and every
queryset goes through ``policy.visible`` as for the pages. The token itself is
kept on ``request.auth`` (throttling counts per token).

Two-factor sign-in (tracker.middleware) guards sessions: the middleware runs
before DRF and sees no session user on a token request, so it lets it pass; the
token is the second factor's stand-in (created in a verified session of the
user, stored hashed, expiring, revocable).
"""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import authentication, exceptions

from api import token_services
from api.models import ApiToken

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
