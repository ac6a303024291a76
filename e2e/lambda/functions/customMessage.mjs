// Custom message: the company's own wording for sign-up and password
// reset e-mails and for invitations (with the username placeholder and
// who invited, from the action's ClientMetadata); other messages keep the
// pool's text.
export const handler = async (event) => {
  const code = event.request.codeParameter;
  if (event.triggerSource === 'CustomMessage_SignUp') {
    event.response.emailSubject = 'Welcome to Acme';
    event.response.emailMessage = `Welcome ${event.request.userAttributes.email}! Your code is ${code}.`;
  } else if (event.triggerSource === 'CustomMessage_ForgotPassword') {
    event.response.emailSubject = 'Acme password reset';
    event.response.emailMessage = `Acme: your reset code is ${code}.`;
  } else if (event.triggerSource === 'CustomMessage_AdminCreateUser') {
    const inviter = event.request.clientMetadata?.inviter ?? 'Acme';
    event.response.emailSubject = 'Your Acme account';
    event.response.emailMessage = `${inviter} invited you. Sign in as ${event.request.usernameParameter} with ${code}.`;
  }
  return event;
};
