"""A user import job with boto3: GetCSVHeader, CreateUserImportJob, the
CSV uploaded to the job's pre-signed URL with the header Cognito's
developer guide sends (x-amz-server-side-encryption: aws:kms), Start,
DescribeUserImportJob until Succeeded, and the imported user, who must
reset their password: sign-in answers PasswordResetRequiredException and
ForgotPassword sends a code. Under TestBoto3Lifecycle (a --dev server with
an outbox, E2E_DEV_OUTBOX=1) the user also completes the reset with the
code and signs in.
"""

import csv
import io
import os
import time
import urllib.error
import urllib.request

from e2ehelpers import ClientTestCase, admin_client, attr, new_password, outbox, suffix

DEV = os.environ.get("E2E_DEV_OUTBOX") == "1"


def put_csv(url, body):
    """Upload as the developer guide's Python example does."""
    req = urllib.request.Request(url, data=body.encode(), method="PUT",
                                 headers={"x-amz-server-side-encryption": "aws:kms"})
    with urllib.request.urlopen(req, timeout=30) as resp:
        return resp.status


class UserImport(ClientTestCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.public = admin_client(unsigned=True)
        cls.pool_id = cls.client.create_user_pool(
            PoolName=f"e2e-py-import-{suffix()}", AutoVerifiedAttributes=["email"],
            Schema=[{"Name": "plan", "AttributeDataType": "String"}],
        )["UserPool"]["Id"]
        cls.client_id = cls.client.create_user_pool_client(
            UserPoolId=cls.pool_id, ClientName="import",
            ExplicitAuthFlows=["ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
        )["UserPoolClient"]["ClientId"]

    def test_import_round_trip(self):
        header = self.client.get_csv_header(UserPoolId=self.pool_id)["CSVHeader"]
        self.assertEqual(header[-2:], ["cognito:mfa_enabled", "cognito:username"])
        self.assertIn("custom:plan", header)

        name = f"imported-{suffix()}"
        email = f"{name}@example.com"
        rows = [
            {"cognito:username": name, "email": email, "email_verified": "true", "given_name": "Ida",
             "custom:plan": "gold", "cognito:mfa_enabled": "false"},
            {"cognito:username": name, "email": "again@example.com", "email_verified": "true", "cognito:mfa_enabled": "false"},
        ]
        buf = io.StringIO()
        w = csv.DictWriter(buf, fieldnames=header, lineterminator="\n")
        w.writeheader()
        for r in rows:
            w.writerow(r)

        job = self.client.create_user_import_job(
            UserPoolId=self.pool_id, JobName="e2e import",
            CloudWatchLogsRoleArn="arn:aws:iam::123456789012:role/CognitoImport",
        )["UserImportJob"]
        self.assertEqual(job["Status"], "Created")
        self.assertRegex(job["JobId"], r"^import-[0-9A-Za-z]{10}$")
        self.assertEqual(put_csv(job["PreSignedUrl"], buf.getvalue()), 200)
        # The URL takes one upload.
        with self.assertRaises(urllib.error.HTTPError) as ctx:
            put_csv(job["PreSignedUrl"], buf.getvalue())
        self.assertEqual(ctx.exception.code, 403)

        started = self.client.start_user_import_job(UserPoolId=self.pool_id, JobId=job["JobId"])["UserImportJob"]
        self.assertEqual(started["Status"], "Pending")
        deadline = time.time() + 60
        while True:
            job = self.client.describe_user_import_job(UserPoolId=self.pool_id, JobId=job["JobId"])["UserImportJob"]
            if job["Status"] not in ("Pending", "InProgress"):
                break
            self.assertLess(time.time(), deadline, "the job did not end within a minute")
            time.sleep(0.1)
        self.assertEqual(job["Status"], "Succeeded")
        self.assertEqual((job["ImportedUsers"], job["FailedUsers"], job["SkippedUsers"]), (1, 1, 0))
        self.assertIn("CompletionDate", job)
        listed = self.client.list_user_import_jobs(UserPoolId=self.pool_id, MaxResults=10)["UserImportJobs"]
        self.assertEqual([j["JobId"] for j in listed], [job["JobId"]])
        self.assertClientError(self.client.start_user_import_job, "PreconditionNotMetException",
                               UserPoolId=self.pool_id, JobId=job["JobId"])

        user = self.client.admin_get_user(UserPoolId=self.pool_id, Username=name)
        self.assertEqual(user["UserStatus"], "RESET_REQUIRED")
        self.assertEqual(attr(user["UserAttributes"], "custom:plan"), "gold")

        self.assertClientError(self.public.initiate_auth, "PasswordResetRequiredException",
                               ClientId=self.client_id, AuthFlow="USER_PASSWORD_AUTH",
                               AuthParameters={"USERNAME": name, "PASSWORD": "whatever-it-was-1A!"})
        sent = self.public.forgot_password(ClientId=self.client_id, Username=name)
        self.assertEqual(sent["CodeDeliveryDetails"]["DeliveryMedium"], "EMAIL")
        if DEV:
            code = next(m["code"] for m in reversed(outbox()) if m["username"] == name and m["purpose"] == "ForgotPassword")
            password = new_password()
            self.public.confirm_forgot_password(ClientId=self.client_id, Username=name,
                                                ConfirmationCode=code, Password=password)
            tokens = self.public.initiate_auth(ClientId=self.client_id, AuthFlow="USER_PASSWORD_AUTH",
                                               AuthParameters={"USERNAME": name, "PASSWORD": password})
            self.assertIn("AccessToken", tokens["AuthenticationResult"])


if __name__ == "__main__":
    import unittest
    unittest.main()
