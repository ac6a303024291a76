// Custom message: the company's own wording for sign-up and password
// reset e-mails; other messages keep the pool's text.
export const handler = async (event) => {
  const code = event.request.codeParameter;
  if (event.triggerSource === 'CustomMessage_SignUp') {
    event.response.emailSubject = 'Welcome to Acme';
    event.response.emailMessage = `Welcome ${event.request.userAttributes.email}! Your code is ${code}.`;
  } else if (event.triggerSource === 'CustomMessage_ForgotPassword') {
    event.response.emailSubject = 'Acme password reset';
    event.response.emailMessage = `Acme: your reset code is ${code}.`;
  }
  return event;
};
