"""Request-wide rules: the interface language, query strings no view should see, and no caching
of what a logged-in user is shown."""

from django.conf import settings
from django.core.exceptions import BadRequest
from django.middleware.locale import LocaleMiddleware
from django.utils import translation
from django.utils.cache import patch_vary_headers


class ChosenLanguageMiddleware(LocaleMiddleware):
    """Like Django's LocaleMiddleware, but deaf to the browser's Accept-Language.

    Agency staff often run browsers set to English; the documents they work on are Indonesian
    and so is the interface, until they pick English with the switcher (a cookie).
    """

    def process_request(self, request):
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        if chosen not in dict(settings.LANGUAGES):
            chosen = settings.LANGUAGE_CODE
        translation.activate(chosen)
        request.LANGUAGE_CODE = translation.get_language()


class RejectNulInQueryMiddleware:
    """A NUL byte in the query string is a 400 before any view sees it.

    No address of ours carries one, and PostgreSQL refuses NUL in text, so a filter such as the
    admin's ``?status__exact=%00`` would otherwise end in a 500 (SQLite just matches nothing).
    Form fields are covered by Django's own ProhibitNullCharactersValidator.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if any(
            "\x00" in key or any("\x00" in value for value in values)
            for key, values in request.GET.lists()
        ):
            raise BadRequest("NUL byte in the query string")
        return self.get_response(request)


class PrivatePagesMiddleware:
    """Nothing a logged-in user is shown is kept by a browser or a proxy cache.

    Every page and download behind the login holds agency data (plans, realisations, evidence),
    so they all answer ``Cache-Control: private, no-store``: the next person at a shared office
    computer cannot page back to them after logging out. Static files are answered by whitenoise
    before this runs and keep their long cache; the login page holds nothing and is left alone.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if request.user.is_authenticated:
            response["Cache-Control"] = "private, no-store"
            patch_vary_headers(response, ("Cookie",))
        return response
