// Post confirmation: creates the user's records elsewhere; here it only
// insists on what Cognito's event always carries.
export const handler = async (event) => {
  const attrs = event.request.userAttributes;
  if (!attrs.sub || attrs['cognito:user_status'] !== 'CONFIRMED') {
    throw new Error(`unexpected attributes ${JSON.stringify(attrs)}`);
  }
  return event;
};
