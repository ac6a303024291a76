// User migration: users whose name starts with "legacy" come over from
// the old system, at sign-in with their old password, or when they ask to
// reset it.
const oldSystem = { password: 'old-system-Passw0rd' };

export const handler = async (event) => {
  if (!event.userName.startsWith('legacy')) {
    throw new Error('Unknown user');
  }
  if (event.triggerSource === 'UserMigration_Authentication' && event.request.password !== oldSystem.password) {
    throw new Error('Bad password');
  }
  event.response.userAttributes = {
    email: `${event.userName}@example.com`,
    email_verified: 'true',
    given_name: 'Legacy',
  };
  event.response.finalUserStatus = 'CONFIRMED';
  event.response.messageAction = 'SUPPRESS';
  return event;
};
