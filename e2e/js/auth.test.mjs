// Admin actions need a valid SigV4 signature: what the AWS SDK for
// JavaScript v3 surfaces when it signs with the wrong secret, with an
// unknown key, or not at all.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ListUserPoolsCommand } from '@aws-sdk/client-cognito-identity-provider';
import { adminClient, adminCredentials, rejects } from './helpers.mjs';

const list = new ListUserPoolsCommand({ MaxResults: 10 });

test('a correctly signed admin call is accepted', async () => {
  const out = await adminClient().send(list);
  assert.ok(Array.isArray(out.UserPools));
});

test('a wrong secret is refused with InvalidSignatureException', async () => {
  const client = adminClient({
    credentials: { accessKeyId: adminCredentials.accessKeyId, secretAccessKey: `${adminCredentials.secretAccessKey}x` },
  });
  await rejects(client.send(list), 'InvalidSignatureException', {
    message: 'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.',
  });
});

test('an unknown access key is refused with UnrecognizedClientException', async () => {
  const client = adminClient({
    credentials: { accessKeyId: 'AKIAE2EUNKNOWNKEY000', secretAccessKey: adminCredentials.secretAccessKey },
  });
  await rejects(client.send(list), 'UnrecognizedClientException', {
    message: 'The security token included in the request is invalid.',
  });
});

test('an unsigned call is refused with MissingAuthenticationTokenException', async () => {
  const client = adminClient();
  // Strip what the signer added, after it ran: the request then reaches the
  // server exactly as an unsigned one would.
  client.middlewareStack.addRelativeTo((next) => async (args) => {
    for (const h of Object.keys(args.request.headers)) {
      if (['authorization', 'x-amz-date', 'x-amz-content-sha256', 'x-amz-security-token'].includes(h.toLowerCase())) {
        delete args.request.headers[h];
      }
    }
    return next(args);
  }, { relation: 'after', toMiddleware: 'httpSigningMiddleware', name: 'e2eStripSignature' });
  // Captures of real Cognito show the type and message but not the status
  // of this one, so either client-error status is accepted.
  await rejects(client.send(list), 'MissingAuthenticationTokenException', {
    status: [400, 403],
    message: 'Missing Authentication Token',
  });
});
