"""Pool administration through boto3: pools, app clients, domains, resource
servers, groups and tags. Steps run in name order and share one pool."""

import unittest

from e2ehelpers import (
    CUSTOM_ATTRIBUTE,
    PASSWORD_POLICY,
    ClientTestCase,
    create_pool,
    record_secret,
    suffix,
)


class PoolAdministration(ClientTestCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.name = f"e2e-py-{suffix()}"
        cls.pool = create_pool(cls.client, cls.name)

    def describe(self):
        return self.client.describe_user_pool(UserPoolId=self.pool["Id"])["UserPool"]

    def test_01_create_user_pool(self):
        pool = self.pool
        self.assertRegex(pool["Id"], r"^us-east-1_[0-9A-Za-z]+$")
        self.assertEqual(pool["Name"], self.name)
        self.assertEqual(pool["Arn"], f"arn:aws:cognito-idp:us-east-1:000000000000:userpool/{pool['Id']}")
        self.assertIsNotNone(pool["CreationDate"].tzinfo)
        custom = [a for a in pool["SchemaAttributes"] if a["Name"] == "custom:tier"]
        self.assertEqual(len(custom), 1, pool["SchemaAttributes"])
        self.assertEqual(custom[0]["AttributeDataType"], "String")
        self.assertTrue(custom[0]["Mutable"])
        self.assertEqual(custom[0]["StringAttributeConstraints"], CUSTOM_ATTRIBUTE["StringAttributeConstraints"])
        names = {a["Name"] for a in pool["SchemaAttributes"]}
        self.assertLessEqual({"sub", "email"}, names)

    def test_02_describe_user_pool(self):
        pool = self.describe()
        self.assertEqual(pool["Id"], self.pool["Id"])
        self.assertEqual(pool["Name"], self.name)
        for key, value in PASSWORD_POLICY.items():
            self.assertEqual(pool["Policies"]["PasswordPolicy"][key], value, key)

    def test_03_list_user_pools(self):
        pools = self.client.list_user_pools(MaxResults=60)["UserPools"]
        found = [p for p in pools if p["Id"] == self.pool["Id"]]
        self.assertEqual(len(found), 1, pools)
        self.assertEqual(found[0]["Name"], self.name)

    def test_04_update_user_pool(self):
        policy = dict(PASSWORD_POLICY, MinimumLength=14, RequireSymbols=True)
        self.client.update_user_pool(
            UserPoolId=self.pool["Id"],
            Policies={"PasswordPolicy": policy},
            AdminCreateUserConfig={"AllowAdminCreateUserOnly": True},
        )
        pool = self.describe()
        self.assertEqual(pool["Name"], self.name)
        self.assertEqual(pool["Policies"]["PasswordPolicy"]["MinimumLength"], 14)
        self.assertTrue(pool["Policies"]["PasswordPolicy"]["RequireSymbols"])
        self.assertTrue(pool["AdminCreateUserConfig"]["AllowAdminCreateUserOnly"])
        self.assertIn("custom:tier", {a["Name"] for a in pool["SchemaAttributes"]})
        self.assertGreaterEqual(pool["LastModifiedDate"], pool["CreationDate"])

    def test_05_app_client_secret(self):
        app = self.client.create_user_pool_client(
            UserPoolId=self.pool["Id"],
            ClientName="web",
            GenerateSecret=True,
            ExplicitAuthFlows=["ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
        )["UserPoolClient"]
        self.assertEqual(app["UserPoolId"], self.pool["Id"])
        self.assertEqual(app["ClientName"], "web")
        self.assertRegex(app.get("ClientSecret", ""), r"^[\w+]{24,64}$")
        record_secret(app["ClientSecret"])
        described = self.client.describe_user_pool_client(UserPoolId=self.pool["Id"], ClientId=app["ClientId"])
        self.assertEqual(described["UserPoolClient"]["ClientSecret"], app["ClientSecret"])
        self.assertEqual(
            sorted(described["UserPoolClient"]["ExplicitAuthFlows"]),
            ["ALLOW_REFRESH_TOKEN_AUTH", "ALLOW_USER_PASSWORD_AUTH"],
        )

    def test_06_domain(self):
        domain = f"e2e-py-{suffix()}"
        self.client.create_user_pool_domain(UserPoolId=self.pool["Id"], Domain=domain)
        out = self.client.describe_user_pool_domain(Domain=domain)["DomainDescription"]
        self.assertEqual(out["Domain"], domain)
        self.assertEqual(out["UserPoolId"], self.pool["Id"])
        self.assertEqual(self.describe().get("Domain"), domain)

    def test_07_resource_server(self):
        scopes = [
            {"ScopeName": "read", "ScopeDescription": "Read orders"},
            {"ScopeName": "write", "ScopeDescription": "Write orders"},
        ]
        created = self.client.create_resource_server(
            UserPoolId=self.pool["Id"], Identifier="https://orders.example.com", Name="orders", Scopes=scopes,
        )["ResourceServer"]
        self.assertEqual(created["Identifier"], "https://orders.example.com")
        out = self.client.describe_resource_server(
            UserPoolId=self.pool["Id"], Identifier="https://orders.example.com",
        )["ResourceServer"]
        self.assertEqual(out["Name"], "orders")
        self.assertEqual(out["Scopes"], scopes)

    def test_08_group(self):
        group = self.client.create_group(
            UserPoolId=self.pool["Id"], GroupName="admins", Description="Administrators", Precedence=1,
        )["Group"]
        self.assertEqual(group["GroupName"], "admins")
        self.assertEqual(group["UserPoolId"], self.pool["Id"])
        self.assertEqual(group["Precedence"], 1)
        got = self.client.get_group(UserPoolId=self.pool["Id"], GroupName="admins")["Group"]
        self.assertEqual(got["Description"], "Administrators")
        self.assertClientError(
            self.client.create_group, "GroupExistsException", "A group with the name admins already exists.",
            UserPoolId=self.pool["Id"], GroupName="admins",
        )

    def test_09_tags(self):
        arn = self.pool["Arn"]
        self.client.tag_resource(ResourceArn=arn, Tags={"env": "e2e", "owner": "qa"})
        self.assertEqual(self.client.list_tags_for_resource(ResourceArn=arn)["Tags"], {"env": "e2e", "owner": "qa"})
        self.client.untag_resource(ResourceArn=arn, TagKeys=["owner"])
        self.assertEqual(self.client.list_tags_for_resource(ResourceArn=arn)["Tags"], {"env": "e2e"})

    def test_10_not_found(self):
        self.assertClientError(
            self.client.describe_user_pool, "ResourceNotFoundException",
            "User pool us-east-1_NoSuchPool does not exist.", UserPoolId="us-east-1_NoSuchPool",
        )
        self.assertClientError(
            self.client.describe_user_pool_client, "ResourceNotFoundException",
            "User pool client nosuchclient0000000000000 does not exist.",
            UserPoolId=self.pool["Id"], ClientId="nosuchclient0000000000000",
        )


if __name__ == "__main__":
    unittest.main()
