"""Language choice: Bahasa Indonesia unless the user chose otherwise.

Django's LocaleMiddleware follows the browser's Accept-Language, and many
office computers in Indonesia run English-language browsers; officials would
then get English pages they did not ask for. Here only an explicit choice (the
language cookie set by the switch in the menu bar) overrides LANGUAGE_CODE.
"""

from django.conf import settings
from django.utils import translation
from django.utils.cache import patch_vary_headers


class ChosenLanguageMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        self.available = {code for code, _name in settings.LANGUAGES}

    def __call__(self, request):
        code = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        if code not in self.available:
            code = settings.LANGUAGE_CODE
        translation.activate(code)
        request.LANGUAGE_CODE = code
        response = self.get_response(request)
        patch_vary_headers(response, ("Cookie",))
        response.headers.setdefault("Content-Language", code)
        return response
