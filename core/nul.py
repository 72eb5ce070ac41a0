"""NUL characters, which PostgreSQL cannot store in text, refused wherever they arrive.

One rule, one message (`MESSAGE`), three places:

- Every text field of every form: Django gives every forms.CharField (so every model form's
  text field, every EmailField, every search box) its ProhibitNullCharactersValidator;
  `use_clear_message()`, run by core's AppConfig.ready(), makes that validator's error say
  what the character is and what to do, at the field, with what was typed kept.
- Uploads: importers call `nul_position()` on each cell and report the row and column
  (actions/importer.py); the preview refuses to import them.
- Addresses: `RefuseNulInAddressMiddleware` answers 400 to a path or query string holding a
  NUL, before a view passes it to the database (`?group=%00`, `/actions/DAG%00/`).
"""

from django.core import validators
from django.http import HttpResponseBadRequest

MESSAGE = (
    "This contains a NUL character (an invisible control character, often pasted from "
    "another program), which cannot be saved: remove it."
)


def use_clear_message():
    validators.ProhibitNullCharactersValidator.message = MESSAGE


def nul_position(text):
    """The 1-based position of the first NUL character in `text`, or None."""
    index = text.find("\x00") if isinstance(text, str) else -1
    return index + 1 if index >= 0 else None


class RefuseNulInAddressMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        in_query = any(
            "\x00" in key or any("\x00" in value for value in values)
            for key, values in request.GET.lists()
        )
        if "\x00" in request.path or in_query:
            return HttpResponseBadRequest(
                "The address contains a NUL character (%00), which the tracker cannot read.",
                content_type="text/plain; charset=utf-8",
            )
        return self.get_response(request)
