// Package userpool holds Cognito's rules for the directory: pools, app
// clients, domains, resource servers, groups, users and their attributes,
// with Cognito's ids, defaults, ranges and error messages. The JSON API,
// the hosted endpoints and the command line all go through it, so a rule
// lives in one place whichever door a request comes in by.
package userpool
