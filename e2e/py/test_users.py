"""User administration through boto3. Steps run in name order and share one
pool and two users."""

import re
import unittest

from e2ehelpers import ClientTestCase, attr, create_pool, new_password, record_secret, suffix

UUID = r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$"


class UserAdministration(ClientTestCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.pool = create_pool(cls.client)
        cls.pool_id = cls.pool["Id"]
        cls.alice = f"alice-{suffix()}"
        cls.bob = f"bob-{suffix()}"
        cls.alice_email = f"{cls.alice}@example.com"
        cls.bob_email = f"{cls.bob}@example.org"

    def get_user(self, username, pool_id=None):
        return self.client.admin_get_user(UserPoolId=pool_id or self.pool_id, Username=username)

    def usernames(self, filter_=None):
        kwargs = {"UserPoolId": self.pool_id}
        if filter_ is not None:
            kwargs["Filter"] = filter_
        return sorted(u["Username"] for u in self.client.list_users(**kwargs)["Users"])

    def test_01_admin_create_user(self):
        user = self.client.admin_create_user(
            UserPoolId=self.pool_id,
            Username=self.alice,
            TemporaryPassword=new_password(),
            MessageAction="SUPPRESS",
            UserAttributes=[
                {"Name": "email", "Value": self.alice_email},
                {"Name": "custom:tier", "Value": "gold"},
            ],
        )["User"]
        self.assertEqual(user["Username"], self.alice)
        self.assertTrue(user["Enabled"])
        self.assertEqual(user["UserStatus"], "FORCE_CHANGE_PASSWORD")
        self.assertRegex(attr(user["Attributes"], "sub") or "", UUID)
        self.assertEqual(attr(user["Attributes"], "email"), self.alice_email)
        self.assertEqual(attr(user["Attributes"], "custom:tier"), "gold")
        self.client.admin_create_user(
            UserPoolId=self.pool_id,
            Username=self.bob,
            TemporaryPassword=new_password(),
            MessageAction="SUPPRESS",
            UserAttributes=[{"Name": "email", "Value": self.bob_email}],
        )

    def test_02_duplicate_username(self):
        self.assertClientError(
            self.client.admin_create_user, "UsernameExistsException", "User account already exists",
            UserPoolId=self.pool_id, Username=self.alice, MessageAction="SUPPRESS",
        )

    def test_03_admin_get_user(self):
        out = self.get_user(self.alice)
        self.assertEqual(out["Username"], self.alice)
        self.assertTrue(out["Enabled"])
        self.assertEqual(out["UserStatus"], "FORCE_CHANGE_PASSWORD")
        self.assertEqual(attr(out["UserAttributes"], "email"), self.alice_email)
        self.assertEqual(attr(out["UserAttributes"], "custom:tier"), "gold")
        self.assertTrue(attr(out["UserAttributes"], "sub"))

    def test_04_list_users_filters(self):
        self.assertEqual(self.usernames(f'email = "{self.alice_email}"'), [self.alice])
        self.assertEqual(self.usernames('email ^= "bob-"'), [self.bob])
        self.assertEqual(self.usernames('email ^= "nobody"'), [])
        self.assertEqual(self.usernames(), sorted([self.alice, self.bob]))

    def test_05_groups(self):
        self.client.create_group(UserPoolId=self.pool_id, GroupName="staff")
        self.client.admin_add_user_to_group(UserPoolId=self.pool_id, Username=self.alice, GroupName="staff")
        groups = self.client.admin_list_groups_for_user(UserPoolId=self.pool_id, Username=self.alice)["Groups"]
        self.assertEqual([g["GroupName"] for g in groups], ["staff"])
        none = self.client.admin_list_groups_for_user(UserPoolId=self.pool_id, Username=self.bob)["Groups"]
        self.assertEqual(none, [])

    def test_06_admin_set_user_password(self):
        weak = record_secret(f"Sh0rt-{suffix()[:2]}")
        self.assertClientError(
            self.client.admin_set_user_password, "InvalidPasswordException",
            re.compile(r"^Password (did not conform with|does not conform to) policy: Password not long enough$"),
            UserPoolId=self.pool_id, Username=self.alice, Password=weak, Permanent=True,
        )
        self.client.admin_set_user_password(
            UserPoolId=self.pool_id, Username=self.alice, Password=new_password(), Permanent=True,
        )
        self.assertEqual(self.get_user(self.alice)["UserStatus"], "CONFIRMED")

    def test_07_disable_enable(self):
        self.client.admin_disable_user(UserPoolId=self.pool_id, Username=self.alice)
        self.assertFalse(self.get_user(self.alice)["Enabled"])
        self.client.admin_enable_user(UserPoolId=self.pool_id, Username=self.alice)
        self.assertTrue(self.get_user(self.alice)["Enabled"])

    def test_08_admin_delete_user(self):
        self.client.admin_delete_user(UserPoolId=self.pool_id, Username=self.bob)
        self.assertClientError(
            self.client.admin_get_user, "UserNotFoundException", "User does not exist.",
            UserPoolId=self.pool_id, Username=self.bob,
        )
        self.assertClientError(
            self.client.admin_delete_user, "UserNotFoundException", "User does not exist.",
            UserPoolId=self.pool_id, Username=self.bob,
        )
        self.assertEqual(self.usernames(), [self.alice])

    def test_09_not_found(self):
        self.assertClientError(
            self.client.admin_add_user_to_group, "UserNotFoundException", "User does not exist.",
            UserPoolId=self.pool_id, Username="nobody", GroupName="staff",
        )
        self.assertClientError(
            self.client.admin_add_user_to_group, "ResourceNotFoundException", "Group not found.",
            UserPoolId=self.pool_id, Username=self.alice, GroupName="nosuchgroup",
        )
        self.assertClientError(
            self.client.admin_get_user, "ResourceNotFoundException",
            "User pool us-east-1_NoSuchPool does not exist.",
            UserPoolId="us-east-1_NoSuchPool", Username=self.alice,
        )


if __name__ == "__main__":
    unittest.main()
