"""Lambda triggers through boto3.

The server invokes the handlers of e2e/lambda/functions through the Invoke
API host the Go test started (e2e/triggers_test.go).
"""

import base64
import json
import unittest

from e2ehelpers import ClientTestCase, new_password, outbox, record_secret, suffix

# The old system's password in lambda/functions/userMigration.mjs.
LEGACY_PASSWORD = record_secret("old-system-Passw0rd")


def last_message(username, purpose):
    for m in reversed(outbox()):
        if m["username"] == username and m["purpose"] == purpose:
            return m
    raise AssertionError(f"no {purpose} message for {username} in the outbox")


def fn(name):
    return f"arn:aws:lambda:us-east-1:123456789012:function:{name}"


def claims(jwt):
    part = jwt.split(".")[1]
    return json.loads(base64.urlsafe_b64decode(part + "=" * (-len(part) % 4)))


class TriggersTest(ClientTestCase):
    def pool(self, lambda_config):
        pool = self.client.create_user_pool(PoolName=f"e2e-py-triggers-{suffix()}", LambdaConfig=lambda_config)["UserPool"]
        app = self.client.create_user_pool_client(
            UserPoolId=pool["Id"],
            ClientName="triggers",
            ExplicitAuthFlows=["ALLOW_USER_PASSWORD_AUTH", "ALLOW_ADMIN_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
        )["UserPoolClient"]
        return pool["Id"], app["ClientId"]

    def test_pre_token_generation_v1_claims_and_groups_survive_refresh(self):
        pool, client_id = self.pool({"PreTokenGeneration": fn("preTokenV1")})
        password = new_password()
        self.client.admin_create_user(UserPoolId=pool, Username="carol", MessageAction="SUPPRESS")
        self.client.admin_set_user_password(UserPoolId=pool, Username="carol", Password=password, Permanent=True)
        self.client.create_group(UserPoolId=pool, GroupName="admins")
        self.client.admin_add_user_to_group(UserPoolId=pool, Username="carol", GroupName="admins")
        out = self.client.admin_initiate_auth(
            UserPoolId=pool, ClientId=client_id, AuthFlow="ADMIN_USER_PASSWORD_AUTH",
            AuthParameters={"USERNAME": "carol", "PASSWORD": password},
        )["AuthenticationResult"]
        refreshed = self.client.get_tokens_from_refresh_token(ClientId=client_id, RefreshToken=out["RefreshToken"])["AuthenticationResult"]
        for result in (out, refreshed):
            id_token, access = claims(result["IdToken"]), claims(result["AccessToken"])
            self.assertEqual(id_token["department"], "sales")
            self.assertNotIn("department", access)
            self.assertEqual(id_token["cognito:groups"], ["sales-team"])
            self.assertEqual(access["cognito:groups"], ["sales-team"])

    def test_pre_sign_up_errors(self):
        _, client_id = self.pool({"PreSignUp": fn("preSignUp")})
        password = new_password()
        self.assertClientError(
            self.client.sign_up, "UserLambdaValidationException", "PreSignUp failed with error Invitation revoked.",
            ClientId=client_id, Username=f"dan-{suffix()}", Password=password,
            UserAttributes=[{"Name": "email", "Value": "dan@example.com"}],
            ValidationData=[{"Name": "invite", "Value": "blocked"}],
        )
        _, bad = self.pool({"PreSignUp": fn("badAnswer")})
        self.assertClientError(
            self.client.sign_up, "InvalidLambdaResponseException", "Unrecognizable lambda output",
            ClientId=bad, Username=f"eve-{suffix()}", Password=password,
        )
        _, missing = self.pool({"PreSignUp": fn("noSuchFunction")})
        self.assertClientError(
            self.client.sign_up, "UnexpectedLambdaException",
            "PreSignUp invocation failed due to error ResourceNotFoundException.",
            ClientId=missing, Username=f"fay-{suffix()}", Password=password,
        )

    def test_user_migration_and_custom_message(self):
        pool = self.client.create_user_pool(
            PoolName=f"e2e-py-migrate-{suffix()}",
            AutoVerifiedAttributes=["email"],
            LambdaConfig={"UserMigration": fn("userMigration"), "CustomMessage": fn("customMessage")},
        )["UserPool"]["Id"]
        client_id = self.client.create_user_pool_client(
            UserPoolId=pool, ClientName="migrate", ExplicitAuthFlows=["ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
        )["UserPoolClient"]["ClientId"]

        # Migration at sign-in with the old password; the next sign-in needs no function.
        ann = f"legacy-{suffix()}"
        self.assertClientError(
            self.client.initiate_auth, "UserLambdaValidationException", "UserMigration failed with error Bad password.",
            ClientId=client_id, AuthFlow="USER_PASSWORD_AUTH", AuthParameters={"USERNAME": ann, "PASSWORD": new_password()},
        )
        for _ in range(2):
            out = self.client.initiate_auth(
                ClientId=client_id, AuthFlow="USER_PASSWORD_AUTH", AuthParameters={"USERNAME": ann, "PASSWORD": LEGACY_PASSWORD},
            )["AuthenticationResult"]
            id_token = claims(out["IdToken"])
            self.assertEqual(id_token["email"], f"{ann}@example.com")
            self.assertEqual(id_token["given_name"], "Legacy")
        self.assertEqual(self.client.admin_get_user(UserPoolId=pool, Username=ann)["UserStatus"], "CONFIRMED")

        # Migration at forgot password, then the custom reset message carries the code.
        bob = f"legacy-{suffix()}"
        details = self.client.forgot_password(ClientId=client_id, Username=bob)["CodeDeliveryDetails"]
        self.assertEqual(details["DeliveryMedium"], "EMAIL")
        self.assertEqual(self.client.admin_get_user(UserPoolId=pool, Username=bob)["UserStatus"], "RESET_REQUIRED")
        m = last_message(bob, "ForgotPassword")
        self.assertEqual(m["subject"], "Acme password reset")
        self.assertEqual(m["body"], f"Acme: your reset code is {m['code']}.")
        password = new_password()
        self.client.confirm_forgot_password(ClientId=client_id, Username=bob, ConfirmationCode=m["code"], Password=password)
        self.client.initiate_auth(ClientId=client_id, AuthFlow="USER_PASSWORD_AUTH", AuthParameters={"USERNAME": bob, "PASSWORD": password})

        # A sign-up's message is worded by the function too.
        carol = f"carol-{suffix()}"
        self.client.sign_up(
            ClientId=client_id, Username=carol, Password=new_password(),
            UserAttributes=[{"Name": "email", "Value": f"{carol}@example.com"}],
        )
        m = last_message(carol, "SignUp")
        self.assertEqual(m["subject"], "Welcome to Acme")
        self.assertEqual(m["body"], f"Welcome {carol}@example.com! Your code is {m['code']}.")


        # An invitation: the function words it with the username
        # placeholder and the ClientMetadata; its password signs in.
        dan = f"dan-{suffix()}"
        self.client.admin_create_user(
            UserPoolId=pool, Username=dan, DesiredDeliveryMediums=["EMAIL"], ClientMetadata={"inviter": "Dora"},
            UserAttributes=[{"Name": "email", "Value": f"{dan}@example.com"}],
        )
        m = last_message(dan, "AdminCreateUser")
        self.assertEqual(m["subject"], "Your Acme account")
        self.assertEqual(m["body"], f"Dora invited you. Sign in as {dan} with {m['code']}.")
        out = self.client.initiate_auth(
            ClientId=client_id, AuthFlow="USER_PASSWORD_AUTH", AuthParameters={"USERNAME": dan, "PASSWORD": m["code"]},
        )
        self.assertEqual(out["ChallengeName"], "NEW_PASSWORD_REQUIRED")

if __name__ == "__main__":
    unittest.main()
