// Package triggers runs a user pool's Lambda triggers as Cognito does:
// it builds each trigger's event (the envelope of version, triggerSource,
// region, userPoolId, userName and callerContext around the trigger's own
// request and response), invokes the function named in the pool's
// LambdaConfig through an Invoker, reads its answer, and turns a refusal
// or a failure into the exception Cognito answers with
// (UserLambdaValidationException, UnexpectedLambdaException,
// InvalidLambdaResponseException).
//
// The real Invoker is aws-sdk-go-v2's Lambda client (lambda.go), which
// speaks the Lambda Invoke API to AWS Lambda or to any service that
// implements its one route (sam local start-lambda, LocalStack). Tests
// substitute an in-process Invoker. The package knows nothing of HTTP
// requests or of the store's rules: userpool and auth call it at the
// points Cognito does and apply what the functions answer.
package triggers
