package cognito

// Operation is one action of the service model.
type Operation struct {
	// Name is the action name, the part of X-Amz-Target after the dot.
	Name string
	// Unsigned is true for the actions the model marks as callable without
	// SigV4 (sign-up, sign-in, and those authorized by an access token or
	// session in the body).
	Unsigned bool
}
