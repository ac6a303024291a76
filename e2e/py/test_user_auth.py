"""Choice-based sign-in (USER_AUTH) with boto3: SELECT_CHALLENGE, a
preferred challenge, the password in one round (also answered as
ChallengeName PASSWORD), and one-time codes by e-mail and SMS read from the
development outbox; sign-in with ConfirmSignUp's Session; AdminCreateUser's
invitation; GetUserAuthFactors; the passkey actions' wire shapes, and the
pool's domain as the relying party.

The codes come from the outbox (GET /_dev/messages), which only a --dev
server has: TestBoto3Lifecycle in e2e/lifecycle_test.go starts one and sets
E2E_DEV_OUTBOX=1. Under TestBoto3 (no --dev) only Passkeys runs.
"""

import json
import os
import unittest
import urllib.request

import botocore.exceptions

from e2ehelpers import ENDPOINT, ClientTestCase, admin_client, new_password, suffix

DEV = os.environ.get("E2E_DEV_OUTBOX") == "1"

FACTORS = ["PASSWORD", "EMAIL_OTP", "SMS_OTP"]
ALL = ["PASSWORD", "PASSWORD_SRP", "EMAIL_OTP", "SMS_OTP"]


def last_code(destination):
    """The newest code the outbox holds for destination."""
    with urllib.request.urlopen(ENDPOINT + "/_dev/messages", timeout=10) as resp:
        messages = json.load(resp)
    for m in reversed(messages):
        if m["destination"] == destination:
            return m["code"]
    raise AssertionError(f"no message to {destination} in the outbox")


@unittest.skipUnless(DEV, "needs a --dev server: run by TestBoto3Lifecycle")
class UserAuth(ClientTestCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.public = admin_client(unsigned=True)
        pool = cls.client.create_user_pool(
            PoolName=f"e2e-py-user-auth-{suffix()}",
            Policies={"SignInPolicy": {"AllowedFirstAuthFactors": FACTORS}},
        )["UserPool"]
        cls.pool_id = pool["Id"]
        cls.client_id = cls.client.create_user_pool_client(
            UserPoolId=cls.pool_id, ClientName="user-auth",
            ExplicitAuthFlows=["ALLOW_USER_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
        )["UserPoolClient"]["ClientId"]
        cls.username = f"alice-{suffix()}"
        cls.email = f"{cls.username}@example.com"
        cls.phone = "+15555550142"
        cls.password = new_password()
        cls.client.admin_create_user(
            UserPoolId=cls.pool_id, Username=cls.username, MessageAction="SUPPRESS",
            UserAttributes=[
                {"Name": "email", "Value": cls.email}, {"Name": "email_verified", "Value": "true"},
                {"Name": "phone_number", "Value": cls.phone}, {"Name": "phone_number_verified", "Value": "true"},
            ],
        )
        cls.client.admin_set_user_password(UserPoolId=cls.pool_id, Username=cls.username, Password=cls.password, Permanent=True)

    def initiate(self, **params):
        return self.public.initiate_auth(
            ClientId=self.client_id, AuthFlow="USER_AUTH", AuthParameters={"USERNAME": self.username, **params},
        )

    def respond(self, name, session, **responses):
        return self.public.respond_to_auth_challenge(
            ClientId=self.client_id, ChallengeName=name, Session=session,
            ChallengeResponses={"USERNAME": self.username, **responses},
        )

    def assertTokens(self, out):
        self.assertNotIn("ChallengeName", out)
        tokens = out["AuthenticationResult"]
        user = self.public.get_user(AccessToken=tokens["AccessToken"])
        self.assertEqual(user["Username"], self.username)
        return tokens

    def test_select_email_otp(self):
        sel = self.initiate()
        self.assertEqual(sel["ChallengeName"], "SELECT_CHALLENGE")
        self.assertEqual(sel["AvailableChallenges"], ALL)
        ch = self.respond("SELECT_CHALLENGE", sel["Session"], ANSWER="EMAIL_OTP")
        self.assertEqual(ch["ChallengeName"], "EMAIL_OTP")
        self.assertEqual(ch["ChallengeParameters"]["CODE_DELIVERY_DELIVERY_MEDIUM"], "EMAIL")
        code = last_code(self.email)
        wrong = "000000" if code != "000000" else "111111"
        self.assertClientError(self.respond, "CodeMismatchException", "Invalid code or auth state for the user.",
                               name="EMAIL_OTP", session=ch["Session"], EMAIL_OTP_CODE=wrong)
        tokens = self.assertTokens(self.respond("EMAIL_OTP", ch["Session"], EMAIL_OTP_CODE=code))
        # Used once.
        self.assertClientError(self.respond, "CodeMismatchException", "Invalid code or auth state for the user.",
                               name="EMAIL_OTP", session=ch["Session"], EMAIL_OTP_CODE=code)
        refreshed = self.public.initiate_auth(
            ClientId=self.client_id, AuthFlow="REFRESH_TOKEN_AUTH", AuthParameters={"REFRESH_TOKEN": tokens["RefreshToken"]},
        )
        self.assertIn("AccessToken", refreshed["AuthenticationResult"])
        factors = self.public.get_user_auth_factors(AccessToken=tokens["AccessToken"])
        self.assertEqual(factors["Username"], self.username)
        self.assertEqual(factors["ConfiguredUserAuthFactors"], FACTORS)

    def test_preferred_sms_otp(self):
        ch = self.initiate(PREFERRED_CHALLENGE="SMS_OTP")
        self.assertEqual(ch["ChallengeName"], "SMS_OTP")
        self.assertEqual(ch["ChallengeParameters"]["CODE_DELIVERY_DELIVERY_MEDIUM"], "SMS")
        self.assertTokens(self.respond("SMS_OTP", ch["Session"], SMS_OTP_CODE=last_code(self.phone)))

    def test_password(self):
        self.assertTokens(self.initiate(PREFERRED_CHALLENGE="PASSWORD", PASSWORD=self.password))
        sel = self.initiate()
        self.assertTokens(self.respond("SELECT_CHALLENGE", sel["Session"], ANSWER="PASSWORD", PASSWORD=self.password))

    def test_password_challenge_name(self):
        # The password answered under its own name after SELECT_CHALLENGE.
        sel = self.initiate()
        self.assertTokens(self.respond("PASSWORD", sel["Session"], PASSWORD=self.password))

    def test_sign_in_after_sign_up(self):
        pool_id = self.client.create_user_pool(
            PoolName=f"e2e-py-auto-sign-in-{suffix()}", AutoVerifiedAttributes=["email"],
            Policies={"SignInPolicy": {"AllowedFirstAuthFactors": ["PASSWORD", "EMAIL_OTP"]}},
        )["UserPool"]["Id"]
        client_id = self.client.create_user_pool_client(
            UserPoolId=pool_id, ClientName="auto-sign-in", ExplicitAuthFlows=["ALLOW_USER_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
        )["UserPoolClient"]["ClientId"]
        username = f"auto-{suffix()}"
        email = f"{username}@example.com"
        signed_up = self.public.sign_up(
            ClientId=client_id, Username=username, Password=new_password(),
            UserAttributes=[{"Name": "email", "Value": email}],
        )
        confirmed = self.public.confirm_sign_up(
            ClientId=client_id, Username=username, ConfirmationCode=last_code(email), Session=signed_up["Session"],
        )
        out = self.public.initiate_auth(
            ClientId=client_id, AuthFlow="USER_AUTH", AuthParameters={"USERNAME": username}, Session=confirmed["Session"],
        )
        self.assertIn("AccessToken", out["AuthenticationResult"])
        self.assertClientError(self.public.initiate_auth, "NotAuthorizedException", "Invalid session for the user.",
                               ClientId=client_id, AuthFlow="USER_AUTH", AuthParameters={"USERNAME": username},
                               Session=confirmed["Session"])

    def test_invitation(self):
        username = f"invited-{suffix()}"
        email = f"{username}@example.com"
        self.client.admin_create_user(
            UserPoolId=self.pool_id, Username=username, DesiredDeliveryMediums=["EMAIL"],
            UserAttributes=[{"Name": "email", "Value": email}],
        )
        temporary = last_code(email)
        out = self.public.initiate_auth(
            ClientId=self.client_id, AuthFlow="USER_AUTH",
            AuthParameters={"USERNAME": username, "PREFERRED_CHALLENGE": "PASSWORD", "PASSWORD": temporary},
        )
        self.assertEqual(out["ChallengeName"], "NEW_PASSWORD_REQUIRED")
        self.assertClientError(self.client.admin_create_user, "InvalidParameterException",
                               "No email provided but desired delivery medium was Email",
                               UserPoolId=self.pool_id, Username=f"nomail-{suffix()}", DesiredDeliveryMediums=["EMAIL"])

    def test_errors(self):
        sel = self.initiate()
        self.assertClientError(self.respond, "InvalidParameterException",
                               "The ANSWER is not one of the available challenges for the user.",
                               name="SELECT_CHALLENGE", session=sel["Session"], ANSWER="WEB_AUTHN")
        self.assertClientError(self.respond, "NotAuthorizedException", "Invalid session for the user.",
                               name="SMS_OTP", session=sel["Session"], SMS_OTP_CODE="123456")
        other = self.client.create_user_pool_client(
            UserPoolId=self.pool_id, ClientName="no-user-auth", ExplicitAuthFlows=["ALLOW_USER_SRP_AUTH"],
        )["UserPoolClient"]["ClientId"]
        with self.assertRaises(botocore.exceptions.ClientError) as ctx:
            self.public.initiate_auth(ClientId=other, AuthFlow="USER_AUTH", AuthParameters={"USERNAME": self.username})
        self.assertEqual(ctx.exception.response["Error"]["Code"], "InvalidParameterException")
        self.assertEqual(ctx.exception.response["Error"]["Message"], "USER_AUTH flow not enabled for this client")


class Passkeys(ClientTestCase):
    """The passkey actions' wire shapes through botocore (documents in and
    out); the ceremonies themselves are verified in the Go tests and in
    Chromium. Needs no outbox."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.public = admin_client(unsigned=True)

    def passkey_pool(self, name):
        """A pool allowing passkeys, its id, and a user's access token from
        a USER_AUTH password sign-in through a public client."""
        pool_id = self.client.create_user_pool(
            PoolName=f"e2e-py-{name}-{suffix()}",
            Policies={"SignInPolicy": {"AllowedFirstAuthFactors": ["PASSWORD", "WEB_AUTHN"]}},
        )["UserPool"]["Id"]
        client_id = self.client.create_user_pool_client(
            UserPoolId=pool_id, ClientName="passkeys", ExplicitAuthFlows=["ALLOW_USER_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
        )["UserPoolClient"]["ClientId"]
        username, password = f"pk-{suffix()}", new_password()
        self.client.admin_create_user(UserPoolId=pool_id, Username=username, MessageAction="SUPPRESS")
        self.client.admin_set_user_password(UserPoolId=pool_id, Username=username, Password=password, Permanent=True)
        access = self.public.initiate_auth(
            ClientId=client_id, AuthFlow="USER_AUTH",
            AuthParameters={"USERNAME": username, "PREFERRED_CHALLENGE": "PASSWORD", "PASSWORD": password},
        )["AuthenticationResult"]["AccessToken"]
        return pool_id, access

    def test_registration_and_listing(self):
        public = self.public
        pool_id, access = self.passkey_pool("passkeys")
        self.assertClientError(self.client.set_user_pool_mfa_config, "InvalidParameterException",
                               UserPoolId=pool_id, WebAuthnConfiguration={"UserVerification": "discouraged"})
        config = self.client.set_user_pool_mfa_config(
            UserPoolId=pool_id, WebAuthnConfiguration={"RelyingPartyId": "localhost", "UserVerification": "required"},
        )
        self.assertEqual(config["WebAuthnConfiguration"],
                         {"RelyingPartyId": "localhost", "UserVerification": "required", "FactorConfiguration": "SINGLE_FACTOR"})

        options = public.start_web_authn_registration(AccessToken=access)["CredentialCreationOptions"]
        self.assertEqual(options["rp"]["id"], "localhost")
        self.assertEqual(options["authenticatorSelection"]["userVerification"], "required")
        self.assertTrue(options["challenge"])
        self.assertClientError(public.complete_web_authn_registration, "InvalidParameterException",
                               "The passkey response is not valid.", AccessToken=access, Credential={"id": "x"})
        self.assertEqual(public.list_web_authn_credentials(AccessToken=access)["Credentials"], [])
        self.assertClientError(public.delete_web_authn_credential, "ResourceNotFoundException",
                               "The passkey does not exist.", AccessToken=access, CredentialId="x")
        self.assertEqual(public.get_user_auth_factors(AccessToken=access)["ConfiguredUserAuthFactors"], ["PASSWORD"])

    def test_relying_party_from_domain(self):
        public = self.public
        pool_id, access = self.passkey_pool("passkeys-domain")
        self.assertClientError(public.start_web_authn_registration, "WebAuthnConfigurationMissingException", AccessToken=access)
        prefix = f"pk-{suffix()}"
        self.client.create_user_pool_domain(UserPoolId=pool_id, Domain=prefix)
        options = public.start_web_authn_registration(AccessToken=access)["CredentialCreationOptions"]
        region = pool_id.split("_")[0]
        self.assertEqual(options["rp"]["id"], f"{prefix}.auth.{region}.amazoncognito.com")


if __name__ == "__main__":
    unittest.main()
