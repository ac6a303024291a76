// Define auth challenge: three questions after the password (SRP first);
// three right answers issue tokens, three wrong ones fail the sign-in.
export const handler = async (event) => {
  const session = event.request.session;
  const custom = session.filter((s) => s.challengeName === 'CUSTOM_CHALLENGE');
  const right = custom.filter((s) => s.challengeResult).length;
  const wrong = custom.length - right;
  if (session.length === 1 && session[0].challengeName === 'SRP_A') {
    event.response.challengeName = 'PASSWORD_VERIFIER';
  } else if (wrong >= 3) {
    event.response.failAuthentication = true;
    event.response.issueTokens = false;
  } else if (right === 3) {
    event.response.issueTokens = true;
    event.response.failAuthentication = false;
  } else {
    event.response.challengeName = 'CUSTOM_CHALLENGE';
    event.response.issueTokens = false;
    event.response.failAuthentication = false;
  }
  return event;
};
