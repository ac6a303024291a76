"""Lambda triggers through boto3.

The server invokes the handlers of e2e/lambda/functions through the Invoke
API host the Go test started (e2e/triggers_test.go).
"""

import base64
import json
import unittest

from e2ehelpers import ClientTestCase, new_password, suffix


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


if __name__ == "__main__":
    unittest.main()
