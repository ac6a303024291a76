"""The development clock with boto3: a --dev server's clock (POST /_dev/clock)
is moved past each lifetime, and the tokens boto3 holds expire exactly when
Cognito's would: the access token after 60 minutes, a rotating client's
refresh tokens (the first and the one rotated in) 30 days after the
sign-in, and a ten-year refresh token after ten years and not before.

TestDevClockBoto3 (e2e/devclock_test.go) runs this file against a --dev
server of its own: moving the clock would expire the tokens of every other
scenario sharing a server, and the file name keeps it out of TestBoto3's
test_*.py.
"""

import json
import unittest
import urllib.error
import urllib.request

from e2ehelpers import ENDPOINT, ClientTestCase, admin_client, create_pool, new_password, record_secret, suffix


def dev_clock(body=None):
    """One request to /_dev/clock; its answer."""
    data = None if body is None else json.dumps(body).encode()
    req = urllib.request.Request(ENDPOINT + "/_dev/clock", data=data, headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(req, timeout=10) as resp:
        return json.load(resp)


def advance(duration):
    return dev_clock({"advance": duration})


class DevClock(ClientTestCase):
    def setUp(self):
        self.public = admin_client(unsigned=True)
        pool_id = create_pool(self.client)["Id"]
        flows = ["ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"]
        self.rotating = self.client.create_user_pool_client(
            UserPoolId=pool_id, ClientName=f"e2e-py-{suffix()}", ExplicitAuthFlows=flows,
            RefreshTokenRotation={"Feature": "ENABLED", "RetryGracePeriodSeconds": 0},
        )["UserPoolClient"]["ClientId"]
        self.decade = self.client.create_user_pool_client(
            UserPoolId=pool_id, ClientName=f"e2e-py-{suffix()}", ExplicitAuthFlows=flows,
            RefreshTokenValidity=3650, TokenValidityUnits={"RefreshToken": "days"},
        )["UserPoolClient"]["ClientId"]
        self.username, self.password = f"user-{suffix()}", new_password()
        self.client.admin_create_user(UserPoolId=pool_id, Username=self.username, MessageAction="SUPPRESS")
        self.client.admin_set_user_password(UserPoolId=pool_id, Username=self.username, Password=self.password, Permanent=True)

    def tearDown(self):
        dev_clock({"reset": True})

    def sign_in(self, client_id):
        out = self.public.initiate_auth(
            AuthFlow="USER_PASSWORD_AUTH", ClientId=client_id,
            AuthParameters={"USERNAME": self.username, "PASSWORD": self.password},
        )["AuthenticationResult"]
        record_secret(out["AccessToken"])
        record_secret(out["RefreshToken"])
        return out

    def rotate(self, refresh_token):
        out = self.public.get_tokens_from_refresh_token(ClientId=self.rotating, RefreshToken=refresh_token)["AuthenticationResult"]
        record_secret(out["RefreshToken"])
        return out

    def refresh(self, client_id, refresh_token):
        return self.public.initiate_auth(
            AuthFlow="REFRESH_TOKEN_AUTH", ClientId=client_id, AuthParameters={"REFRESH_TOKEN": refresh_token},
        )["AuthenticationResult"]

    def test_lifetimes(self):
        r = self.sign_in(self.rotating)
        d = self.sign_in(self.decade)
        self.assertEqual(dev_clock()["offset"], "0s")

        self.assertEqual(advance("59m")["offset"], "59m0s")
        self.public.get_user(AccessToken=r["AccessToken"])
        advance("2m")
        self.assertClientError(self.public.get_user, "NotAuthorizedException", "Access Token has expired",
                               AccessToken=r["AccessToken"])

        # Rotation: the new refresh token lives as long as the one it
        # replaced had left, so both end 30 days after the sign-in.
        rotated = self.rotate(r["RefreshToken"])
        self.assertNotEqual(rotated["RefreshToken"], r["RefreshToken"])
        self.public.get_user(AccessToken=rotated["AccessToken"])
        advance("29d21h59m")
        rotated = self.rotate(rotated["RefreshToken"])
        advance("1h1m")
        self.assertClientError(self.rotate, "NotAuthorizedException", "Refresh Token has expired",
                               refresh_token=rotated["RefreshToken"])

        self.refresh(self.decade, d["RefreshToken"])
        # Ten years are 3650 days: a day before, it works; a day after, not.
        self.assertEqual(advance("3619d")["offset"], f"{3649 * 24}h1m0s")
        self.refresh(self.decade, d["RefreshToken"])
        advance("2d")
        self.assertClientError(self.refresh, "NotAuthorizedException", "Refresh Token has expired",
                               client_id=self.decade, refresh_token=d["RefreshToken"])

    def test_bad_requests_leave_the_clock(self):
        for body in ({"advance": "-1h"}, {"advance": "soon"}, {}, {"advance": "1h", "reset": True}):
            req = urllib.request.Request(ENDPOINT + "/_dev/clock", data=json.dumps(body).encode(),
                                         headers={"Content-Type": "application/json"})
            with self.assertRaises(urllib.error.HTTPError) as ctx:
                urllib.request.urlopen(req, timeout=10)
            self.assertEqual(ctx.exception.code, 400, body)
            self.assertTrue(json.load(ctx.exception)["message"], body)
        self.assertEqual(dev_clock()["offset"], "0s")


if __name__ == "__main__":
    unittest.main()
