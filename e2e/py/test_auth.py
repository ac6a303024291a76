"""Admin actions need a valid SigV4 signature: what boto3 surfaces when it
signs with the wrong secret, with an unknown key, or not at all."""

import unittest

from e2ehelpers import SECRET_ACCESS_KEY, ClientTestCase, admin_client

SIGNATURE_MISMATCH = (
    "The request signature we calculated does not match the signature you provided. "
    "Check your AWS Secret Access Key and signing method. Consult the service documentation for details."
)


class Signing(ClientTestCase):
    def test_signed_call_is_accepted(self):
        self.assertIsInstance(self.client.list_user_pools(MaxResults=10)["UserPools"], list)

    def test_wrong_secret(self):
        client = admin_client(secret_access_key=SECRET_ACCESS_KEY + "x")
        self.assertClientError(client.list_user_pools, "InvalidSignatureException", SIGNATURE_MISMATCH, MaxResults=10)

    def test_unknown_access_key(self):
        client = admin_client(access_key_id="AKIAE2EUNKNOWNKEY000")
        self.assertClientError(
            client.list_user_pools, "UnrecognizedClientException",
            "The security token included in the request is invalid.", MaxResults=10,
        )

    def test_unsigned(self):
        # Captures of real Cognito show the type and message but not the
        # status of this one, so either client-error status is accepted.
        client = admin_client(unsigned=True)
        self.assertClientError(
            client.list_user_pools, "MissingAuthenticationTokenException", "Missing Authentication Token",
            status=[400, 403], MaxResults=10,
        )


if __name__ == "__main__":
    unittest.main()
