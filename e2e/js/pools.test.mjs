// Pool administration through the AWS SDK for JavaScript v3: pools, app
// clients, domains, resource servers, groups and tags.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  CreateGroupCommand,
  CreateResourceServerCommand,
  CreateUserPoolClientCommand,
  CreateUserPoolDomainCommand,
  DescribeResourceServerCommand,
  DescribeUserPoolClientCommand,
  DescribeUserPoolCommand,
  DescribeUserPoolDomainCommand,
  GetGroupCommand,
  ListTagsForResourceCommand,
  ListUserPoolsCommand,
  TagResourceCommand,
  UntagResourceCommand,
  UpdateUserPoolCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import {
  adminClient, createPool, customAttribute, passwordPolicy, recordSecret, rejects, suffix,
} from './helpers.mjs';

const client = adminClient();

test('pool administration', async (t) => {
  const name = `e2e-js-${suffix()}`;
  let pool;

  await t.test('CreateUserPool with a custom attribute and a password policy', async () => {
    pool = await createPool(client, name);
    assert.match(pool.Id, /^us-east-1_[0-9A-Za-z]+$/);
    assert.equal(pool.Name, name);
    assert.equal(pool.Arn, `arn:aws:cognito-idp:us-east-1:000000000000:userpool/${pool.Id}`);
    assert.ok(pool.CreationDate instanceof Date, 'CreationDate is a Date');
    assert.ok(pool.LastModifiedDate instanceof Date, 'LastModifiedDate is a Date');
    assert.equal(pool.Policies.PasswordPolicy.MinimumLength, passwordPolicy.MinimumLength);
    const custom = pool.SchemaAttributes.find((a) => a.Name === 'custom:tier');
    assert.ok(custom, 'custom:tier is in SchemaAttributes');
    assert.equal(custom.AttributeDataType, 'String');
    assert.equal(custom.Mutable, true);
    assert.deepEqual(custom.StringAttributeConstraints, customAttribute.StringAttributeConstraints);
    for (const standard of ['sub', 'email']) {
      assert.ok(pool.SchemaAttributes.some((a) => a.Name === standard), `${standard} is in SchemaAttributes`);
    }
  });

  await t.test('DescribeUserPool returns what was created', async () => {
    const out = await client.send(new DescribeUserPoolCommand({ UserPoolId: pool.Id }));
    assert.equal(out.UserPool.Id, pool.Id);
    assert.equal(out.UserPool.Name, name);
    assert.equal(out.UserPool.Arn, pool.Arn);
    for (const [k, v] of Object.entries(passwordPolicy)) {
      assert.equal(out.UserPool.Policies.PasswordPolicy[k], v, `PasswordPolicy.${k}`);
    }
    assert.ok(out.UserPool.SchemaAttributes.some((a) => a.Name === 'custom:tier'));
  });

  await t.test('ListUserPools lists it', async () => {
    const out = await client.send(new ListUserPoolsCommand({ MaxResults: 60 }));
    const found = out.UserPools.find((p) => p.Id === pool.Id);
    assert.ok(found, `pool ${pool.Id} is listed`);
    assert.equal(found.Name, name);
  });

  await t.test('UpdateUserPool changes the policy and keeps the schema', async () => {
    await client.send(new UpdateUserPoolCommand({
      UserPoolId: pool.Id,
      Policies: { PasswordPolicy: { ...passwordPolicy, MinimumLength: 14, RequireSymbols: true } },
      AdminCreateUserConfig: { AllowAdminCreateUserOnly: true },
    }));
    const out = await client.send(new DescribeUserPoolCommand({ UserPoolId: pool.Id }));
    assert.equal(out.UserPool.Name, name);
    assert.equal(out.UserPool.Policies.PasswordPolicy.MinimumLength, 14);
    assert.equal(out.UserPool.Policies.PasswordPolicy.RequireSymbols, true);
    assert.equal(out.UserPool.AdminCreateUserConfig.AllowAdminCreateUserOnly, true);
    assert.ok(out.UserPool.SchemaAttributes.some((a) => a.Name === 'custom:tier'), 'custom:tier survives the update');
    assert.ok(out.UserPool.LastModifiedDate >= out.UserPool.CreationDate);
  });

  await t.test('CreateUserPoolClient with GenerateSecret; DescribeUserPoolClient returns the secret', async () => {
    const created = await client.send(new CreateUserPoolClientCommand({
      UserPoolId: pool.Id,
      ClientName: 'web',
      GenerateSecret: true,
      ExplicitAuthFlows: ['ALLOW_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
    }));
    const app = created.UserPoolClient;
    assert.equal(app.UserPoolId, pool.Id);
    assert.equal(app.ClientName, 'web');
    assert.match(app.ClientId, /^[\w+]+$/);
    assert.match(app.ClientSecret ?? '', /^[\w+]{24,64}$/);
    recordSecret(app.ClientSecret);

    const described = await client.send(new DescribeUserPoolClientCommand({ UserPoolId: pool.Id, ClientId: app.ClientId }));
    assert.equal(described.UserPoolClient.ClientId, app.ClientId);
    assert.equal(described.UserPoolClient.ClientSecret, app.ClientSecret);
    assert.deepEqual([...described.UserPoolClient.ExplicitAuthFlows].sort(), ['ALLOW_REFRESH_TOKEN_AUTH', 'ALLOW_USER_PASSWORD_AUTH']);
  });

  await t.test('CreateUserPoolDomain; DescribeUserPoolDomain finds the pool', async () => {
    const domain = `e2e-js-${suffix()}`;
    await client.send(new CreateUserPoolDomainCommand({ UserPoolId: pool.Id, Domain: domain }));
    const out = await client.send(new DescribeUserPoolDomainCommand({ Domain: domain }));
    assert.equal(out.DomainDescription.Domain, domain);
    assert.equal(out.DomainDescription.UserPoolId, pool.Id);
    const described = await client.send(new DescribeUserPoolCommand({ UserPoolId: pool.Id }));
    assert.equal(described.UserPool.Domain, domain);
  });

  await t.test('CreateResourceServer with scopes', async () => {
    const scopes = [
      { ScopeName: 'read', ScopeDescription: 'Read orders' },
      { ScopeName: 'write', ScopeDescription: 'Write orders' },
    ];
    const created = await client.send(new CreateResourceServerCommand({
      UserPoolId: pool.Id, Identifier: 'https://orders.example.com', Name: 'orders', Scopes: scopes,
    }));
    assert.equal(created.ResourceServer.Identifier, 'https://orders.example.com');
    assert.equal(created.ResourceServer.UserPoolId, pool.Id);
    const out = await client.send(new DescribeResourceServerCommand({ UserPoolId: pool.Id, Identifier: 'https://orders.example.com' }));
    assert.equal(out.ResourceServer.Name, 'orders');
    assert.deepEqual(out.ResourceServer.Scopes, scopes);
  });

  await t.test('CreateGroup, GetGroup, and a duplicate group', async () => {
    const created = await client.send(new CreateGroupCommand({
      UserPoolId: pool.Id, GroupName: 'admins', Description: 'Administrators', Precedence: 1,
    }));
    assert.equal(created.Group.GroupName, 'admins');
    assert.equal(created.Group.UserPoolId, pool.Id);
    assert.equal(created.Group.Precedence, 1);
    assert.ok(created.Group.CreationDate instanceof Date);
    const got = await client.send(new GetGroupCommand({ UserPoolId: pool.Id, GroupName: 'admins' }));
    assert.equal(got.Group.Description, 'Administrators');
    await rejects(
      client.send(new CreateGroupCommand({ UserPoolId: pool.Id, GroupName: 'admins' })),
      'GroupExistsException',
      { message: 'A group with the name admins already exists.' },
    );
  });

  await t.test('TagResource, ListTagsForResource, UntagResource', async () => {
    await client.send(new TagResourceCommand({ ResourceArn: pool.Arn, Tags: { env: 'e2e', owner: 'qa' } }));
    let out = await client.send(new ListTagsForResourceCommand({ ResourceArn: pool.Arn }));
    assert.deepEqual(out.Tags, { env: 'e2e', owner: 'qa' });
    await client.send(new UntagResourceCommand({ ResourceArn: pool.Arn, TagKeys: ['owner'] }));
    out = await client.send(new ListTagsForResourceCommand({ ResourceArn: pool.Arn }));
    assert.deepEqual(out.Tags, { env: 'e2e' });
  });

  await t.test('errors for missing pools and clients', async () => {
    await rejects(
      client.send(new DescribeUserPoolCommand({ UserPoolId: 'us-east-1_NoSuchPool' })),
      'ResourceNotFoundException',
      { message: 'User pool us-east-1_NoSuchPool does not exist.' },
    );
    await rejects(
      client.send(new DescribeUserPoolClientCommand({ UserPoolId: pool.Id, ClientId: 'nosuchclient0000000000000' })),
      'ResourceNotFoundException',
      { message: 'User pool client nosuchclient0000000000000 does not exist.' },
    );
  });
});
