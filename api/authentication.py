"""How API requests say who they are: a personal token in the Authorization header
(`Authorization: Bearer mhhs_...`), or the browser's session (the interactive docs). The
token is never logged: it is not part of the address, and the security log records the
path, not the headers."""

from rest_framework import authentication, exceptions

from .tokens import token_lookup


class TokenAuthentication(authentication.BaseAuthentication):
    keyword = "Bearer"

    def authenticate(self, request):
        header = authentication.get_authorization_header(request).split()
        if not header or header[0].lower() != self.keyword.lower().encode():
            return None
        if len(header) != 2:
            raise exceptions.AuthenticationFailed(
                "Send the token as one word: Authorization: Bearer <token>."
            )
        try:
            token = header[1].decode("ascii")
        except UnicodeDecodeError:
            raise exceptions.AuthenticationFailed("The token is not valid.") from None
        record = token_lookup(token)
        if record is None:
            raise exceptions.AuthenticationFailed("The token is not valid, or has expired.")
        return record.user, record

    def authenticate_header(self, request):
        # Makes an unauthenticated request a 401 with WWW-Authenticate, not a 403.
        return self.keyword
