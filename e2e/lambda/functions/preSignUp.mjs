// Pre sign-up: only addresses of example.com may sign up; those of
// auto.example.com are confirmed and verified at once.
export const handler = async (event) => {
  const email = event.request.userAttributes.email ?? '';
  if (!email.endsWith('example.com')) {
    throw new Error('Domain not allowed');
  }
  if (event.request.validationData?.invite === 'blocked') {
    throw new Error('Invitation revoked');
  }
  if (email.endsWith('@auto.example.com')) {
    event.response.autoConfirmUser = true;
    event.response.autoVerifyEmail = true;
  }
  return event;
};
