// User administration through the AWS SDK for JavaScript v3.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  AdminAddUserToGroupCommand,
  AdminCreateUserCommand,
  AdminDeleteUserCommand,
  AdminDisableUserCommand,
  AdminEnableUserCommand,
  AdminGetUserCommand,
  AdminListGroupsForUserCommand,
  AdminSetUserPasswordCommand,
  CreateGroupCommand,
  ListUsersCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import {
  adminClient, attr, createPool, newPassword, recordSecret, rejects, suffix,
} from './helpers.mjs';

const client = adminClient();

async function getUser(poolId, username) {
  return client.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: username }));
}

async function usernames(poolId, filter) {
  const out = await client.send(new ListUsersCommand({ UserPoolId: poolId, Filter: filter }));
  return out.Users.map((u) => u.Username).sort();
}

test('user administration', async (t) => {
  const pool = await createPool(client);
  const alice = `alice-${suffix()}`;
  const bob = `bob-${suffix()}`;
  const aliceEmail = `${alice}@example.com`;
  const bobEmail = `${bob}@example.org`;

  await t.test('AdminCreateUser with email and a custom attribute', async () => {
    const out = await client.send(new AdminCreateUserCommand({
      UserPoolId: pool.Id,
      Username: alice,
      TemporaryPassword: newPassword(),
      MessageAction: 'SUPPRESS',
      UserAttributes: [
        { Name: 'email', Value: aliceEmail },
        { Name: 'custom:tier', Value: 'gold' },
      ],
    }));
    assert.equal(out.User.Username, alice);
    assert.equal(out.User.Enabled, true);
    assert.equal(out.User.UserStatus, 'FORCE_CHANGE_PASSWORD');
    assert.ok(out.User.UserCreateDate instanceof Date);
    assert.match(attr(out.User.Attributes, 'sub') ?? '', /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    assert.equal(attr(out.User.Attributes, 'email'), aliceEmail);
    assert.equal(attr(out.User.Attributes, 'custom:tier'), 'gold');

    await client.send(new AdminCreateUserCommand({
      UserPoolId: pool.Id,
      Username: bob,
      TemporaryPassword: newPassword(),
      MessageAction: 'SUPPRESS',
      UserAttributes: [{ Name: 'email', Value: bobEmail }],
    }));
  });

  await t.test('AdminCreateUser refuses an existing username', async () => {
    await rejects(
      client.send(new AdminCreateUserCommand({ UserPoolId: pool.Id, Username: alice, MessageAction: 'SUPPRESS' })),
      'UsernameExistsException',
      { message: 'User account already exists' },
    );
  });

  await t.test('AdminGetUser returns the attributes', async () => {
    const out = await getUser(pool.Id, alice);
    assert.equal(out.Username, alice);
    assert.equal(out.Enabled, true);
    assert.equal(out.UserStatus, 'FORCE_CHANGE_PASSWORD');
    assert.equal(attr(out.UserAttributes, 'email'), aliceEmail);
    assert.equal(attr(out.UserAttributes, 'custom:tier'), 'gold');
    assert.ok(attr(out.UserAttributes, 'sub'), 'sub is set');
  });

  await t.test('ListUsers with = and ^= filters on email', async () => {
    assert.deepEqual(await usernames(pool.Id, `email = "${aliceEmail}"`), [alice]);
    assert.deepEqual(await usernames(pool.Id, 'email ^= "bob-"'), [bob]);
    assert.deepEqual(await usernames(pool.Id, 'email ^= "nobody"'), []);
    assert.deepEqual(await usernames(pool.Id, undefined), [alice, bob].sort());
  });

  await t.test('AdminAddUserToGroup and AdminListGroupsForUser', async () => {
    await client.send(new CreateGroupCommand({ UserPoolId: pool.Id, GroupName: 'staff' }));
    await client.send(new AdminAddUserToGroupCommand({ UserPoolId: pool.Id, Username: alice, GroupName: 'staff' }));
    const out = await client.send(new AdminListGroupsForUserCommand({ UserPoolId: pool.Id, Username: alice }));
    assert.deepEqual(out.Groups.map((g) => g.GroupName), ['staff']);
    const none = await client.send(new AdminListGroupsForUserCommand({ UserPoolId: pool.Id, Username: bob }));
    assert.deepEqual(none.Groups, []);
  });

  await t.test('AdminSetUserPassword enforces the policy and confirms the user', async () => {
    const weak = recordSecret(`Sh0rt-${suffix().slice(0, 2)}`);
    await rejects(
      client.send(new AdminSetUserPasswordCommand({ UserPoolId: pool.Id, Username: alice, Password: weak, Permanent: true })),
      'InvalidPasswordException',
      { message: /^Password (did not conform with|does not conform to) policy: Password not long enough$/ },
    );
    await client.send(new AdminSetUserPasswordCommand({ UserPoolId: pool.Id, Username: alice, Password: newPassword(), Permanent: true }));
    assert.equal((await getUser(pool.Id, alice)).UserStatus, 'CONFIRMED');
  });

  await t.test('AdminDisableUser and AdminEnableUser', async () => {
    await client.send(new AdminDisableUserCommand({ UserPoolId: pool.Id, Username: alice }));
    assert.equal((await getUser(pool.Id, alice)).Enabled, false);
    await client.send(new AdminEnableUserCommand({ UserPoolId: pool.Id, Username: alice }));
    assert.equal((await getUser(pool.Id, alice)).Enabled, true);
  });

  await t.test('AdminDeleteUser, then the user does not exist', async () => {
    await client.send(new AdminDeleteUserCommand({ UserPoolId: pool.Id, Username: bob }));
    await rejects(getUser(pool.Id, bob), 'UserNotFoundException', { message: 'User does not exist.' });
    await rejects(
      client.send(new AdminDeleteUserCommand({ UserPoolId: pool.Id, Username: bob })),
      'UserNotFoundException',
      { message: 'User does not exist.' },
    );
    assert.deepEqual(await usernames(pool.Id, undefined), [alice]);
  });

  await t.test('errors for missing users, groups and pools', async () => {
    await rejects(
      client.send(new AdminAddUserToGroupCommand({ UserPoolId: pool.Id, Username: 'nobody', GroupName: 'staff' })),
      'UserNotFoundException',
      { message: 'User does not exist.' },
    );
    await rejects(
      client.send(new AdminAddUserToGroupCommand({ UserPoolId: pool.Id, Username: alice, GroupName: 'nosuchgroup' })),
      'ResourceNotFoundException',
      { message: 'Group not found.' },
    );
    await rejects(getUser('us-east-1_NoSuchPool', alice), 'ResourceNotFoundException', {
      message: 'User pool us-east-1_NoSuchPool does not exist.',
    });
  });
});
