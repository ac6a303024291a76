// Package logdelivery writes a user pool's exported logs (the user
// activity and message delivery logs of SetLogDeliveryConfiguration) to
// destinations this server can reach. Pools name their destinations by
// AWS ARN — a CloudWatch Logs log group, an S3 bucket, a Firehose stream —
// as Cognito requires; the server maps chosen ARNs to a local file, which
// gets one JSON record per line, or to a URL, which gets each record as a
// JSON POST. A record for an ARN with no mapping is not delivered, and the
// server says so once in its log.
package logdelivery
