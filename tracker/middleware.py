"""Language choice: Bahasa Indonesia unless the user chose otherwise.

Django's LocaleMiddleware follows the browser's Accept-Language, and many
office computers in Indonesia run English-language browsers; officials would
then get English pages they did not ask for. Here only an explicit choice (the
language cookie set by the switch in the menu bar) overrides LANGUAGE_CODE.
"""

from django.conf import settings
from django.utils import translation
from django.utils.cache import patch_vary_headers


def chosen_language(request):
    """The language the menu's switch chose (its cookie), else LANGUAGE_CODE.

    Also read by the pages answered before this middleware runs (the 400 and 503
    answers of ``tracker.input_guard`` and ``tracker.outage``).
    """
    code = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
    available = {code for code, _name in settings.LANGUAGES}
    return code if code in available else settings.LANGUAGE_CODE


class ChosenLanguageMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        code = chosen_language(request)
        translation.activate(code)
        request.LANGUAGE_CODE = code
        response = self.get_response(request)
        patch_vary_headers(response, ("Cookie",))
        response.headers.setdefault("Content-Language", code)
        return response


def client_ip(request):
    """The address a request came from, for login throttling and upload limits.

    Behind the TLS proxy of README "Deploying" (``BEHIND_HTTPS_PROXY``) every
    request comes from the proxy, which appends the client's address to
    X-Forwarded-For; the right-most entry is the one it wrote, the others are
    whatever the client sent. Without a proxy, REMOTE_ADDR is the client.
    """
    if getattr(settings, "SECURE_PROXY_SSL_HEADER", None):
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        last = forwarded.rsplit(",", 1)[-1].strip()
        if last:
            return last
    # None, not a made-up text, when there is no address (a test's force_login):
    # the attempt tables store addresses in a column PostgreSQL types as inet.
    return request.META.get("REMOTE_ADDR") or None


def two_factor_required(user):
    """Superusers and Administrators must sign in with a one-time code as well."""
    from tracker import policy

    if not getattr(user, "is_authenticated", False):
        return False
    return user.is_superuser or policy.actor_for(user).role == policy.Role.ADMINISTRATOR


def has_confirmed_device(user):
    """Whether ``user`` turned two-factor sign-in on (a confirmed device), as it is now.

    Asked on every request of a session without a code. Not cached across
    requests: a device added in another process (another worker, the shell)
    must ask for a code at the very next request, whatever cache each process
    has. It costs no query of its own: ``policy.access_facts`` reads it with
    the user's government and data version, once per request.
    """
    from tracker import policy

    return policy.access_facts(user).has_device


# Reachable before the one-time code: signing in and out, the two-factor pages
# themselves, the language switch, and the public report verification page.
# Static files never get here (WhiteNoise answers them first).
TWO_FACTOR_EXEMPT_URL_NAMES = {
    "login",
    "logout",
    "two-factor-setup",
    "two-factor-verify",
    "set_language",
    "report-verify-public",
    # The public transparency pages and open data: no login needed.
    "public-page",
    "public-report",
    "public-data-csv",
    "public-data-json",
    "public-dictionary",
}


class TwoFactorRequiredMiddleware:
    """Send a signed-in user who still owes a one-time code to the code pages.

    After the password, a user with a confirmed TOTP device enters a code; a
    superuser or Administrator without one is sent to set one up. Until then
    every other page redirects there (with ``next``), the admin included.
    django-otp's OTPMiddleware, placed before this one, tells whether the
    session is verified.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        name = self._code_page_for(request)
        if name is not None:
            from django.contrib.auth.views import redirect_to_login
            from django.urls import reverse

            return redirect_to_login(request.get_full_path(), reverse(name))
        return self.get_response(request)

    def _code_page_for(self, request):
        """The page this request must go to first, or None."""
        user = getattr(request, "user", None)
        if (
            user is None
            or not user.is_authenticated
            or getattr(user, "is_verified", lambda: False)()
            or self._exempt(request)
        ):
            return None
        # Whoever turned two-factor sign-in on enters a code, required or not.
        if has_confirmed_device(user):
            return "two-factor-verify"
        if two_factor_required(user):
            return "two-factor-setup"
        return None

    @staticmethod
    def _exempt(request):
        from django.urls import Resolver404, resolve

        static_url = "/" + settings.STATIC_URL.lstrip("/")
        if request.path_info.startswith(static_url):
            return True
        try:
            match = resolve(request.path_info)
        except Resolver404:
            return False
        return match.view_name in TWO_FACTOR_EXEMPT_URL_NAMES
