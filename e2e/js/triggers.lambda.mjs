// Lambda triggers through the AWS SDK for JavaScript v3: the server
// invokes the handlers of e2e/lambda/functions through the Invoke API
// host the Go test started (e2e/triggers_test.go).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  AdminCreateUserCommand,
  AdminGetUserCommand,
  AdminSetUserPasswordCommand,
  CreateUserPoolClientCommand,
  CreateUserPoolCommand,
  InitiateAuthCommand,
  RespondToAuthChallengeCommand,
  SignUpCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { adminClient, newPassword, rejects, suffix } from './helpers.mjs';

const fn = (name) => `arn:aws:lambda:us-east-1:123456789012:function:${name}`;

function claims(jwt) {
  return JSON.parse(Buffer.from(jwt.split('.')[1], 'base64url').toString('utf8'));
}

test('triggers: pre sign-up, post confirmation, pre/post authentication and V2 pre token generation', async () => {
  const client = adminClient();
  const pool = (await client.send(new CreateUserPoolCommand({
    PoolName: `e2e-js-triggers-${suffix()}`,
    AutoVerifiedAttributes: ['email'],
    LambdaConfig: {
      PreSignUp: fn('preSignUp'),
      PostConfirmation: fn('postConfirmation'),
      PreAuthentication: fn('preAuthentication'),
      PostAuthentication: fn('postAuthentication'),
      PreTokenGenerationConfig: { LambdaVersion: 'V2_0', LambdaArn: fn('preTokenV2') },
    },
  }))).UserPool;
  const appClient = (await client.send(new CreateUserPoolClientCommand({
    UserPoolId: pool.Id,
    ClientName: 'triggers',
    ExplicitAuthFlows: ['ALLOW_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
  }))).UserPoolClient;
  const password = newPassword();

  // A refusing pre sign-up leaves no user.
  const refused = `mallory-${suffix()}`;
  await rejects(client.send(new SignUpCommand({
    ClientId: appClient.ClientId, Username: refused, Password: password,
    UserAttributes: [{ Name: 'email', Value: 'mallory@evil.test' }],
  })), 'UserLambdaValidationException', { message: 'PreSignUp failed with error Domain not allowed.' });
  await rejects(client.send(new AdminGetUserCommand({ UserPoolId: pool.Id, Username: refused })),
    'UserNotFoundException', { message: 'User does not exist.' });

  // An auto-confirmed sign-up needs no code, and post confirmation runs.
  const ann = `ann-${suffix()}`;
  const up = await client.send(new SignUpCommand({
    ClientId: appClient.ClientId, Username: ann, Password: password,
    UserAttributes: [{ Name: 'email', Value: `${ann}@auto.example.com` }],
  }));
  assert.equal(up.UserConfirmed, true);
  assert.equal(up.CodeDeliveryDetails, undefined);
  const user = await client.send(new AdminGetUserCommand({ UserPoolId: pool.Id, Username: ann }));
  assert.equal(user.UserStatus, 'CONFIRMED');
  assert.equal(user.UserAttributes.find((a) => a.Name === 'email_verified')?.Value, 'true');

  // The claims pre token generation adds reach both tokens and survive a refresh.
  const signIn = await client.send(new InitiateAuthCommand({
    ClientId: appClient.ClientId, AuthFlow: 'USER_PASSWORD_AUTH',
    AuthParameters: { USERNAME: ann, PASSWORD: password },
  }));
  const check = (result) => {
    const id = claims(result.IdToken);
    const access = claims(result.AccessToken);
    assert.equal(id.tenant, 'acme');
    assert.equal(access.tenant, 'acme');
    assert.deepEqual(access.entitlements, { plan: 'pro', seats: 5 });
    assert.deepEqual(access.scope.split(' ').sort(), ['acme/read', 'aws.cognito.signin.user.admin']);
    assert.equal(id['cognito:username'], ann);
  };
  check(signIn.AuthenticationResult);
  const refreshed = await client.send(new InitiateAuthCommand({
    ClientId: appClient.ClientId, AuthFlow: 'REFRESH_TOKEN_AUTH',
    AuthParameters: { REFRESH_TOKEN: signIn.AuthenticationResult.RefreshToken },
  }));
  check(refreshed.AuthenticationResult);

  // Pre authentication refuses a blocked user, whatever the password.
  const blocked = `blocked-${suffix()}`;
  await client.send(new AdminCreateUserCommand({
    UserPoolId: pool.Id, Username: blocked, MessageAction: 'SUPPRESS',
    UserAttributes: [{ Name: 'email', Value: `${blocked}@example.com` }],
  }));
  await client.send(new AdminSetUserPasswordCommand({ UserPoolId: pool.Id, Username: blocked, Password: password, Permanent: true }));
  await rejects(client.send(new InitiateAuthCommand({
    ClientId: appClient.ClientId, AuthFlow: 'USER_PASSWORD_AUTH',
    AuthParameters: { USERNAME: blocked, PASSWORD: password },
  })), 'UserLambdaValidationException', { message: 'PreAuthentication failed with error This account is blocked.' });
});

test('triggers: CUSTOM_AUTH with a three-question custom challenge', async () => {
  const client = adminClient();
  const pool = (await client.send(new CreateUserPoolCommand({
    PoolName: `e2e-js-custom-${suffix()}`,
    LambdaConfig: {
      DefineAuthChallenge: fn('defineAuthChallenge'),
      CreateAuthChallenge: fn('createAuthChallenge'),
      VerifyAuthChallengeResponse: fn('verifyAuthChallenge'),
    },
  }))).UserPool;
  const appClient = (await client.send(new CreateUserPoolClientCommand({
    UserPoolId: pool.Id, ClientName: 'custom', ExplicitAuthFlows: ['ALLOW_CUSTOM_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
  }))).UserPoolClient;
  const username = `quiz-${suffix()}`;
  await client.send(new AdminCreateUserCommand({ UserPoolId: pool.Id, Username: username, MessageAction: 'SUPPRESS' }));
  await client.send(new AdminSetUserPasswordCommand({ UserPoolId: pool.Id, Username: username, Password: newPassword(), Permanent: true }));

  const answer = (session, value) => client.send(new RespondToAuthChallengeCommand({
    ClientId: appClient.ClientId, ChallengeName: 'CUSTOM_CHALLENGE', Session: session,
    ChallengeResponses: { USERNAME: username, ANSWER: value },
  }));
  let step = await client.send(new InitiateAuthCommand({
    ClientId: appClient.ClientId, AuthFlow: 'CUSTOM_AUTH', AuthParameters: { USERNAME: username },
  }));
  assert.equal(step.ChallengeName, 'CUSTOM_CHALLENGE');
  assert.deepEqual(step.ChallengeParameters, { question: 'What is 1 times 7?', USERNAME: username });
  // A wrong answer asks again; the private answer never reaches the client.
  step = await answer(step.Session, '8');
  assert.equal(step.ChallengeParameters.question, 'What is 1 times 7?');
  assert.equal(step.ChallengeParameters.answer, undefined);
  for (const n of [1, 2, 3]) {
    step = await answer(step.Session, String(n * 7));
  }
  assert.ok(step.AuthenticationResult?.AccessToken, 'three right answers issue tokens');
  assert.equal(claims(step.AuthenticationResult.AccessToken).username, username);

  // Three wrong answers fail the sign-in.
  step = await client.send(new InitiateAuthCommand({
    ClientId: appClient.ClientId, AuthFlow: 'CUSTOM_AUTH', AuthParameters: { USERNAME: username },
  }));
  step = await answer(step.Session, 'no');
  step = await answer(step.Session, 'no');
  await rejects(answer(step.Session, 'no'), 'NotAuthorizedException', { message: 'Incorrect username or password.' });
});
