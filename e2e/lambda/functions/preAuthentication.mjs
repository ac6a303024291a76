// Pre authentication: users whose name starts with "blocked" may not
// sign in.
export const handler = async (event) => {
  if (event.userName.startsWith('blocked')) {
    throw new Error('This account is blocked');
  }
  return event;
};
