"""The token lifecycle through boto3: sign-in (USER_PASSWORD_AUTH and
ADMIN_USER_PASSWORD_AUTH), refresh, get_tokens_from_refresh_token with
rotation, admin_user_global_sign_out and revoke_token, with Cognito's error
codes and messages (the project's behaviour reference, section 4)."""

import base64
import hashlib
import hmac
import json
import unittest

from e2ehelpers import ClientTestCase, create_pool, new_password, record_secret, suffix

REVOKED_REFRESH = "Refresh Token has been revoked"
REVOKED_ACCESS = "Access Token has been revoked"
INCORRECT = "Incorrect username or password."


def claims(jwt):
    """A JWT's payload, unverified (the JS and Go scenarios verify them)."""
    payload = jwt.split(".")[1]
    return json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))


def secret_hash(client_secret, username, client_id):
    """SECRET_HASH as the reference (section 7.2) defines it."""
    mac = hmac.new(client_secret.encode(), (username + client_id).encode(), hashlib.sha256)
    return base64.b64encode(mac.digest()).decode()


def record_tokens(result):
    """Register a result's bearer tokens: the server must not log them."""
    for key in ("AccessToken", "RefreshToken"):
        if result.get(key):
            record_secret(result[key])
    return result


class Tokens(ClientTestCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.pool_id = create_pool(cls.client)["Id"]
        cls.client_id = cls.client.create_user_pool_client(
            UserPoolId=cls.pool_id,
            ClientName=f"e2e-py-{suffix()}",
            ExplicitAuthFlows=["ALLOW_USER_PASSWORD_AUTH", "ALLOW_ADMIN_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
        )["UserPoolClient"]["ClientId"]
        rotating = cls.client.create_user_pool_client(
            UserPoolId=cls.pool_id,
            ClientName=f"e2e-py-{suffix()}",
            GenerateSecret=True,
            ExplicitAuthFlows=["ALLOW_USER_PASSWORD_AUTH"],
            RefreshTokenRotation={"Feature": "ENABLED", "RetryGracePeriodSeconds": 0},
        )["UserPoolClient"]
        cls.rotating_id = rotating["ClientId"]
        cls.rotating_secret = record_secret(rotating["ClientSecret"])

    def new_user(self):
        """A confirmed user with a recorded permanent password."""
        username, password = f"user-{suffix()}", new_password()
        self.client.admin_create_user(UserPoolId=self.pool_id, Username=username, MessageAction="SUPPRESS")
        self.client.admin_set_user_password(UserPoolId=self.pool_id, Username=username, Password=password, Permanent=True)
        return username, password

    def sign_in(self, username, password, client_id=None, client_secret=None):
        client_id = client_id or self.client_id
        params = {"USERNAME": username, "PASSWORD": password}
        if client_secret:
            params["SECRET_HASH"] = secret_hash(client_secret, username, client_id)
        out = self.client.initiate_auth(AuthFlow="USER_PASSWORD_AUTH", ClientId=client_id, AuthParameters=params)
        self.assertNotIn("ChallengeName", out)
        return record_tokens(out["AuthenticationResult"])

    def refresh(self, refresh_token):
        out = self.client.initiate_auth(
            AuthFlow="REFRESH_TOKEN_AUTH", ClientId=self.client_id, AuthParameters={"REFRESH_TOKEN": refresh_token},
        )
        return record_tokens(out["AuthenticationResult"])

    def rotate(self, refresh_token):
        out = self.client.get_tokens_from_refresh_token(
            RefreshToken=refresh_token, ClientId=self.rotating_id, ClientSecret=self.rotating_secret,
        )
        return record_tokens(out["AuthenticationResult"])

    def test_sign_in_and_refresh(self):
        username, password = self.new_user()
        first = self.sign_in(username, password)
        self.assertEqual(first["TokenType"], "Bearer")
        self.assertEqual(first["ExpiresIn"], 3600)
        self.assertEqual(claims(first["IdToken"])["token_use"], "id")
        self.assertEqual(claims(first["AccessToken"])["token_use"], "access")
        self.assertEqual(self.client.get_user(AccessToken=first["AccessToken"])["Username"], username)

        refreshed = self.refresh(first["RefreshToken"])
        self.assertNotIn("RefreshToken", refreshed)
        self.assertNotEqual(refreshed["AccessToken"], first["AccessToken"])
        self.assertEqual(claims(refreshed["AccessToken"])["origin_jti"], claims(first["AccessToken"])["origin_jti"])
        self.assertEqual(self.client.get_user(AccessToken=refreshed["AccessToken"])["Username"], username)

    def test_admin_initiate_auth(self):
        username, password = self.new_user()
        out = self.client.admin_initiate_auth(
            UserPoolId=self.pool_id, ClientId=self.client_id, AuthFlow="ADMIN_USER_PASSWORD_AUTH",
            AuthParameters={"USERNAME": username, "PASSWORD": password},
        )
        result = record_tokens(out["AuthenticationResult"])
        self.assertEqual(claims(result["IdToken"])["cognito:username"], username)
        refreshed = self.client.admin_initiate_auth(
            UserPoolId=self.pool_id, ClientId=self.client_id, AuthFlow="REFRESH_TOKEN_AUTH",
            AuthParameters={"REFRESH_TOKEN": result["RefreshToken"]},
        )["AuthenticationResult"]
        record_tokens(refreshed)
        self.assertNotIn("RefreshToken", refreshed)

    def test_wrong_password(self):
        username, _ = self.new_user()
        self.assertClientError(
            self.client.initiate_auth, "NotAuthorizedException", INCORRECT,
            AuthFlow="USER_PASSWORD_AUTH", ClientId=self.client_id,
            AuthParameters={"USERNAME": username, "PASSWORD": new_password()},
        )

    def test_rotation(self):
        username, password = self.new_user()
        first = self.sign_in(username, password, self.rotating_id, self.rotating_secret)
        second = self.rotate(first["RefreshToken"])
        self.assertIn("RefreshToken", second)
        self.assertNotEqual(second["RefreshToken"], first["RefreshToken"])
        self.assertEqual(claims(second["IdToken"])["aud"], self.rotating_id)

        third = self.rotate(second["RefreshToken"])
        self.assertNotEqual(third["RefreshToken"], second["RefreshToken"])

        # The raw client secret is required, and must be right.
        self.assertClientError(
            self.client.get_tokens_from_refresh_token, "NotAuthorizedException",
            RefreshToken=third["RefreshToken"], ClientId=self.rotating_id,
        )
        self.assertClientError(
            self.client.get_tokens_from_refresh_token, "NotAuthorizedException",
            RefreshToken=third["RefreshToken"], ClientId=self.rotating_id, ClientSecret=record_secret("x" * 52),
        )

        # REFRESH_TOKEN_AUTH is refused on a rotating client.
        self.assertClientError(
            self.client.initiate_auth, "InvalidParameterException",
            AuthFlow="REFRESH_TOKEN_AUTH", ClientId=self.rotating_id,
            AuthParameters={
                "REFRESH_TOKEN": third["RefreshToken"],
                "SECRET_HASH": secret_hash(self.rotating_secret, username, self.rotating_id),
            },
        )

        # RetryGracePeriodSeconds 0: a replaced token is refused at once, and
        # its reuse revokes the sign-in, the newest refresh token and the
        # access tokens included (RFC 9700, beyond Cognito).
        self.assertClientError(
            self.client.get_tokens_from_refresh_token, "RefreshTokenReuseException",
            RefreshToken=first["RefreshToken"], ClientId=self.rotating_id, ClientSecret=self.rotating_secret,
        )
        self.assertClientError(
            self.client.get_tokens_from_refresh_token, "NotAuthorizedException", REVOKED_REFRESH,
            RefreshToken=third["RefreshToken"], ClientId=self.rotating_id, ClientSecret=self.rotating_secret,
        )
        self.assertClientError(self.client.get_user, "NotAuthorizedException", REVOKED_ACCESS, AccessToken=third["AccessToken"])

    def test_admin_user_global_sign_out(self):
        username, password = self.new_user()
        a = self.sign_in(username, password)
        b = self.sign_in(username, password, self.rotating_id, self.rotating_secret)
        self.client.admin_user_global_sign_out(UserPoolId=self.pool_id, Username=username)

        self.assertClientError(
            self.client.initiate_auth, "NotAuthorizedException", REVOKED_REFRESH,
            AuthFlow="REFRESH_TOKEN_AUTH", ClientId=self.client_id, AuthParameters={"REFRESH_TOKEN": a["RefreshToken"]},
        )
        self.assertClientError(
            self.client.get_tokens_from_refresh_token, "NotAuthorizedException", REVOKED_REFRESH,
            RefreshToken=b["RefreshToken"], ClientId=self.rotating_id, ClientSecret=self.rotating_secret,
        )
        self.assertClientError(self.client.get_user, "NotAuthorizedException", REVOKED_ACCESS, AccessToken=a["AccessToken"])
        self.assertClientError(self.client.get_user, "NotAuthorizedException", REVOKED_ACCESS, AccessToken=b["AccessToken"])
        self.assertClientError(
            self.client.admin_user_global_sign_out, "UserNotFoundException", "User does not exist.",
            UserPoolId=self.pool_id, Username=f"nobody-{suffix()}",
        )

        again = self.sign_in(username, password)
        self.assertEqual(self.client.get_user(AccessToken=again["AccessToken"])["Username"], username)

    def test_revoke_token(self):
        username, password = self.new_user()
        revoked = self.sign_in(username, password)
        kept = self.sign_in(username, password)
        self.client.revoke_token(Token=revoked["RefreshToken"], ClientId=self.client_id)

        self.assertClientError(
            self.client.initiate_auth, "NotAuthorizedException", REVOKED_REFRESH,
            AuthFlow="REFRESH_TOKEN_AUTH", ClientId=self.client_id, AuthParameters={"REFRESH_TOKEN": revoked["RefreshToken"]},
        )
        self.assertClientError(self.client.get_user, "NotAuthorizedException", REVOKED_ACCESS, AccessToken=revoked["AccessToken"])
        # Only the revoked sign-in ends.
        self.assertEqual(self.client.get_user(AccessToken=kept["AccessToken"])["Username"], username)
        self.refresh(kept["RefreshToken"])
        # RevokeToken takes refresh tokens only.
        self.assertClientError(
            self.client.revoke_token, "UnsupportedTokenTypeException",
            Token=kept["AccessToken"], ClientId=self.client_id,
        )


if __name__ == "__main__":
    unittest.main()
