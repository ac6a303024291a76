// Command gen writes the Cognito wire types and their validation from the
// AWS service model (botocore's cognito-idp service-2.json).
//
// The model is the same file every AWS SDK is generated from, so generating
// our server's types from it keeps member names, enums and constraints
// exactly in step with what clients send. The output is committed; the
// model is only needed to regenerate:
//
//	go run ./internal/cognito/gen -model path/to/service-2.json.gz -out internal/cognito/zz_generated.go
//
// Without -model it asks python3 where botocore is installed.
package main
