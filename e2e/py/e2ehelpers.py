"""Shared set-up for the boto3 scenarios.

The Go test (e2e/clients_test.go) starts the server and sets the
environment: the endpoint, the admin key, and E2E_SECRETS_FILE, where every
password or secret a scenario uses is recorded so the harness can check
that none of them reaches the server's log.
"""

import json
import os
import re
import secrets
import unittest
import urllib.request

import boto3
import botocore
import botocore.exceptions
from botocore.config import Config


def require_env(name):
    value = os.environ.get(name)
    if not value:
        raise RuntimeError(f"{name} is not set: run these scenarios through go test ./e2e/")
    return value


ENDPOINT = require_env("USERPOOL_ENDPOINT")
REGION = "us-east-1"
ACCESS_KEY_ID = require_env("AWS_ACCESS_KEY_ID")
SECRET_ACCESS_KEY = require_env("AWS_SECRET_ACCESS_KEY")

# One attempt only: a request the server refuses or fails must show at once,
# not after botocore's backoff.
_NO_RETRIES = {"max_attempts": 1, "mode": "standard"}


def admin_client(access_key_id=ACCESS_KEY_ID, secret_access_key=SECRET_ACCESS_KEY, unsigned=False):
    """A cognito-idp client pointed at the server under test."""
    config = Config(retries=_NO_RETRIES)
    if unsigned:
        config = Config(retries=_NO_RETRIES, signature_version=botocore.UNSIGNED)
    return boto3.client(
        "cognito-idp",
        region_name=REGION,
        endpoint_url=ENDPOINT,
        aws_access_key_id=access_key_id,
        aws_secret_access_key=secret_access_key,
        config=config,
    )


def record_secret(value):
    """Tell the harness about a password or secret this scenario used."""
    with open(require_env("E2E_SECRETS_FILE"), "a", encoding="utf-8") as f:
        f.write(value + "\n")
    return value


def outbox():
    """The messages a --dev server has sent, oldest first (GET /_dev/messages)."""
    with urllib.request.urlopen(ENDPOINT + "/_dev/messages", timeout=10) as resp:
        return json.load(resp)


def suffix():
    """A unique part for names: the files of a suite share one server."""
    return secrets.token_hex(5)


def new_password():
    """A recorded password satisfying the scenarios' pool policies."""
    return record_secret(f"Pw-{suffix()}-7Qx!")


def attr(attributes, name):
    """The value of a {Name, Value} attribute, or None."""
    for a in attributes or []:
        if a["Name"] == name:
            return a.get("Value")
    return None


CUSTOM_ATTRIBUTE = {
    "Name": "tier",
    "AttributeDataType": "String",
    "Mutable": True,
    "StringAttributeConstraints": {"MinLength": "1", "MaxLength": "16"},
}

PASSWORD_POLICY = {
    "MinimumLength": 12,
    "RequireUppercase": True,
    "RequireLowercase": True,
    "RequireNumbers": True,
    "RequireSymbols": False,
    "TemporaryPasswordValidityDays": 3,
}


def create_pool(client, name=None):
    """The pool every scenario starts from: a custom attribute and a password policy."""
    out = client.create_user_pool(
        PoolName=name or f"e2e-py-{suffix()}",
        Policies={"PasswordPolicy": PASSWORD_POLICY},
        Schema=[CUSTOM_ATTRIBUTE],
    )
    return out["UserPool"]


class ClientTestCase(unittest.TestCase):
    """A TestCase with an admin client and Cognito error assertions."""

    @classmethod
    def setUpClass(cls):
        cls.client = admin_client()

    def assertClientError(self, call, code, message=None, status=400, **kwargs):
        """Call and check the error code, HTTP status and message boto3 surfaces.

        status may be a list of acceptable statuses; message may be a string
        (exact) or a compiled pattern.
        """
        with self.assertRaises(botocore.exceptions.ClientError) as ctx:
            call(**kwargs)
        err = ctx.exception.response
        self.assertEqual(err["Error"]["Code"], code, err["Error"].get("Message"))
        statuses = status if isinstance(status, list) else [status]
        self.assertIn(err["ResponseMetadata"]["HTTPStatusCode"], statuses, f"HTTP status of {code}")
        if isinstance(message, str):
            self.assertEqual(err["Error"]["Message"], message)
        elif isinstance(message, re.Pattern):
            self.assertRegex(err["Error"]["Message"], message)
        return ctx.exception
