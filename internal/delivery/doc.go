// Package delivery sends the messages that carry one-time codes: sign-up
// confirmations, attribute verifications and password resets.
//
// Cognito hands these to SES (e-mail) and SNS (SMS). A self-hosted server
// has neither, so delivery sits behind one small interface, Sender, with
// a sender per channel:
//
//   - SMTP sends e-mail through any mail server or relay, in the clear,
//     with STARTTLS, or over implicit TLS, with or without credentials.
//   - Webhook POSTs the message as JSON to a URL, for SMS gateways and any
//     other channel an operator wants to bridge (a queue, a chat bot). It
//     retries with backoff a bounded number of times.
//   - Router picks the sender of a message's medium. A medium without a
//     sender is logged as not delivered, and the request still succeeds:
//     the code exists and an administrator can confirm the user, which
//     keeps a server without mail set up usable. A sender that fails is
//     logged and its error returned, so the action answers
//     CodeDeliveryFailureException, as Cognito does when SES refuses a
//     message: a failure is never silent.
//   - Outbox keeps the last messages in memory and logs them, codes
//     included, for `serve --dev`, where local tests read their codes from
//     GET /_dev/messages. It never exists outside development mode,
//     because it holds live codes.
//
// Senders block until the message is handed over or has failed: delivery
// happens inside the request, so the answer to the client says whether it
// worked.
package delivery
