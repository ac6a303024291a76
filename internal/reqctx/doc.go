// Package reqctx carries per-request facts (the request id returned as
// x-amzn-RequestId, the action, the exception answered) through a
// request's context, so the access log and every log line can name them
// without each layer passing them along.
package reqctx
