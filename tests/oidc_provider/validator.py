"""The provider's claims: the user's email, verified, and their name. Two clients are made
to misbehave, so the tests can see the tracker refuse them: "expired" issues ID tokens
that expired ten minutes ago, "wrong-issuer" ID tokens naming another issuer."""

import time

from oauth2_provider.oauth2_validators import OAuth2Validator


class Validator(OAuth2Validator):
    def get_additional_claims(self, request):
        user = request.user
        return {
            "email": user.email,
            "email_verified": True,
            "name": user.get_full_name() or user.username,
            "preferred_username": user.username,
        }

    def get_id_token_dictionary(self, token, token_handler, request):
        claims, expiration_time = super().get_id_token_dictionary(token, token_handler, request)
        if request.client.name == "expired":
            claims["exp"] = int(time.time()) - 600
            claims["iat"] = int(time.time()) - 1200
        elif request.client.name == "wrong-issuer":
            claims["iss"] = "https://login.example.invalid/other-tenant/v2.0"
        return claims, expiration_time
