// Pre token generation V2_0: a tenant claim in both tokens, a typed
// entitlement in the access token, an extra scope, and the e-mail
// address kept out of the ID token.
export const handler = async (event) => {
  event.response = {
    claimsAndScopeOverrideDetails: {
      idTokenGeneration: {
        claimsToAddOrOverride: { tenant: 'acme' },
        claimsToSuppress: ['family_name'],
      },
      accessTokenGeneration: {
        claimsToAddOrOverride: { tenant: 'acme', entitlements: { plan: 'pro', seats: 5 } },
        scopesToAdd: ['acme/read'],
      },
    },
  };
  return event;
};
