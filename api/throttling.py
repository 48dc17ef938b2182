"""Throttling per token (a session counts per user), rate ``API_THROTTLE_RATE``."""

from rest_framework.throttling import SimpleRateThrottle

from api.models import ApiToken


class TokenRateThrottle(SimpleRateThrottle):
    """Requests per token; per user on a session; per address when anonymous.

    The rate is ``REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]["token"]``, read when
    the throttle is built (so a test's ``override_settings`` counts).
    """

    scope = "token"

    def get_rate(self):
        from rest_framework.settings import api_settings

        return api_settings.DEFAULT_THROTTLE_RATES.get(self.scope)

    def get_cache_key(self, request, view):
        if isinstance(request.auth, ApiToken):
            ident = f"token-{request.auth.pk}"
        elif request.user and request.user.is_authenticated:
            ident = f"user-{request.user.pk}"
        else:
            ident = f"ip-{self.get_ident(request)}"
        return self.cache_format % {"scope": self.scope, "ident": ident}
