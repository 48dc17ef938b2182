"""Throttling per user (all their tokens and their session together), rate ``API_THROTTLE_RATE``.

Counting per token let one user multiply the rate by making more tokens; the
count is the user's, and a user holds at most ``API_MAX_TOKENS_PER_USER``
active tokens anyway (``api.token_services``).
"""

from rest_framework.throttling import SimpleRateThrottle


class TokenRateThrottle(SimpleRateThrottle):
    """Requests per user, whatever token or session they come with; per address when anonymous.

    The rate is ``REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]["token"]``, read when
    the throttle is built (so a test's ``override_settings`` counts).
    """

    scope = "token"

    def get_rate(self):
        from rest_framework.settings import api_settings

        return api_settings.DEFAULT_THROTTLE_RATES.get(self.scope)

    def get_cache_key(self, request, view):
        if request.user and request.user.is_authenticated:
            ident = f"user-{request.user.pk}"
        else:
            ident = f"ip-{self.get_ident(request)}"
        return self.cache_format % {"scope": self.scope, "ident": ident}
