"""The user lifecycle with boto3: sign-up, the code from the development
outbox, confirmation, sign-in, forgotten password, reset, sign-in again.

The scenario needs a server started with --dev, the only mode with an
outbox (GET /_dev/messages); TestBoto3Lifecycle in e2e/lifecycle_test.go
starts one and sets E2E_DEV_OUTBOX=1. Under TestBoto3, whose server runs
without --dev, this file checks instead that the outbox does not exist.
"""

import base64
import hashlib
import hmac
import os
import re
import unittest
import urllib.error

from e2ehelpers import (
    ENDPOINT, PASSWORD_POLICY, ClientTestCase, admin_client, attr, new_password, outbox, record_secret, suffix,
)

DEV = os.environ.get("E2E_DEV_OUTBOX") == "1"


def last_code(username, purpose):
    """The newest code sent to username for purpose."""
    for m in reversed(outbox()):
        if m["username"] == username and m["purpose"] == purpose:
            return m["code"]
    raise AssertionError(f"no {purpose} message for {username} in the outbox")


def secret_hash(client_id, client_secret, username):
    mac = hmac.new(client_secret.encode(), (username + client_id).encode(), hashlib.sha256)
    return base64.b64encode(mac.digest()).decode()


@unittest.skipUnless(DEV, "needs a --dev server: run by TestBoto3Lifecycle")
class Lifecycle(ClientTestCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # Public actions go unsigned, as an app's would.
        cls.public = admin_client(unsigned=True)
        pool = cls.client.create_user_pool(
            PoolName=f"e2e-py-lifecycle-{suffix()}",
            AutoVerifiedAttributes=["email"],
            Policies={"PasswordPolicy": {"MinimumLength": 10, "RequireUppercase": True,
                                         "RequireLowercase": True, "RequireNumbers": True, "RequireSymbols": False}},
        )["UserPool"]
        cls.pool_id = pool["Id"]
        app = cls.client.create_user_pool_client(
            UserPoolId=cls.pool_id, ClientName="lifecycle", GenerateSecret=True,
            ExplicitAuthFlows=["ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
        )["UserPoolClient"]
        cls.client_id = app["ClientId"]
        cls.client_secret = record_secret(app["ClientSecret"])

    def hash(self, username):
        return secret_hash(self.client_id, self.client_secret, username)

    def sign_in(self, username, password):
        return self.public.initiate_auth(
            ClientId=self.client_id, AuthFlow="USER_PASSWORD_AUTH",
            AuthParameters={"USERNAME": username, "PASSWORD": password, "SECRET_HASH": self.hash(username)},
        )

    def test_sign_up_confirm_reset(self):
        username = f"life-{suffix()}"
        email = f"{username}@example.com"
        password = new_password()

        out = self.public.sign_up(
            ClientId=self.client_id, SecretHash=self.hash(username), Username=username, Password=password,
            UserAttributes=[{"Name": "email", "Value": email}],
        )
        self.assertFalse(out["UserConfirmed"])
        self.assertRegex(out["UserSub"], r"^[0-9a-f-]{36}$")
        self.assertEqual(out["CodeDeliveryDetails"], {
            "Destination": f"{username[0]}***@e***", "DeliveryMedium": "EMAIL", "AttributeName": "email",
        })
        self.assertClientError(self.sign_in, "UserNotConfirmedException", "User is not confirmed.",
                               username=username, password=password)

        code = last_code(username, "SignUp")
        self.assertRegex(code, r"^[0-9]{6}$")
        message = [m for m in outbox() if m["username"] == username][-1]
        self.assertEqual((message["poolId"], message["destination"], message["deliveryMedium"]),
                         (self.pool_id, email, "EMAIL"))
        wrong = "000000" if code != "000000" else "111111"
        self.assertClientError(
            self.public.confirm_sign_up, "CodeMismatchException",
            "Invalid verification code provided, please try again.",
            ClientId=self.client_id, SecretHash=self.hash(username), Username=username, ConfirmationCode=wrong,
        )
        self.public.confirm_sign_up(ClientId=self.client_id, SecretHash=self.hash(username),
                                    Username=username, ConfirmationCode=code)
        user = self.client.admin_get_user(UserPoolId=self.pool_id, Username=username)
        self.assertEqual(user["UserStatus"], "CONFIRMED")
        self.assertEqual(attr(user["UserAttributes"], "email_verified"), "true")

        tokens = self.sign_in(username, password)["AuthenticationResult"]
        me = self.public.get_user(AccessToken=tokens["AccessToken"])
        self.assertEqual(me["Username"], username)

        out = self.public.forgot_password(ClientId=self.client_id, SecretHash=self.hash(username), Username=username)
        self.assertEqual(out["CodeDeliveryDetails"]["DeliveryMedium"], "EMAIL")
        reset_code = last_code(username, "ForgotPassword")
        new = new_password()
        self.assertClientError(
            self.public.confirm_forgot_password, "InvalidPasswordException",
            re.compile("^Password did not conform with policy: "),
            ClientId=self.client_id, SecretHash=self.hash(username), Username=username,
            ConfirmationCode=reset_code, Password="short",
        )
        self.public.confirm_forgot_password(ClientId=self.client_id, SecretHash=self.hash(username),
                                            Username=username, ConfirmationCode=reset_code, Password=new)

        self.assertIn("AccessToken", self.sign_in(username, new)["AuthenticationResult"])
        self.assertClientError(self.sign_in, "NotAuthorizedException", "Incorrect username or password.",
                               username=username, password=password)
        # The reset ended the sessions the old password had opened.
        self.assertClientError(self.public.get_user, "NotAuthorizedException", "Access Token has been revoked",
                               AccessToken=tokens["AccessToken"])


@unittest.skipIf(DEV, "the outbox exists under --dev")
class NoOutboxOutsideDev(ClientTestCase):
    def test_outbox_is_absent(self):
        with self.assertRaises(urllib.error.HTTPError) as ctx:
            outbox()
        self.assertEqual(ctx.exception.code, 404)

    def test_sign_up_without_delivery(self):
        # With no mail set up the user is still created and told where the
        # code would go; the server logs that it was not delivered.
        pool = self.client.create_user_pool(
            PoolName=f"e2e-py-nodelivery-{suffix()}", AutoVerifiedAttributes=["email"],
            Policies={"PasswordPolicy": PASSWORD_POLICY},
        )["UserPool"]
        app = self.client.create_user_pool_client(UserPoolId=pool["Id"], ClientName="nodelivery")["UserPoolClient"]
        out = admin_client(unsigned=True).sign_up(
            ClientId=app["ClientId"], Username=f"nd-{suffix()}", Password=new_password(),
            UserAttributes=[{"Name": "email", "Value": "nd@example.com"}],
        )
        self.assertFalse(out["UserConfirmed"])
        self.assertEqual(out["CodeDeliveryDetails"]["Destination"], "n***@e***")


if __name__ == "__main__":
    unittest.main()
