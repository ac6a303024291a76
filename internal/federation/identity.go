package federation

// Identity is a user as an upstream identity provider vouched for them,
// after the protocol's own checks (signatures, audience, expiry, nonce or
// InResponseTo) have passed.
type Identity struct {
	// ProviderName is the pool's name for the provider (the IdP's
	// ProviderName, e.g. "Google" or "MyOkta").
	ProviderName string
	// ProviderType is Cognito's type name: OIDC, SAML, Google, Facebook,
	// SignInWithApple or LoginWithAmazon.
	ProviderType string
	// UserID is the upstream's stable id for the user: the OIDC "sub",
	// the SAML NameID, Facebook's "id", Login with Amazon's "user_id".
	// The pool user is named "<ProviderName>_<UserID>".
	UserID string
	// Issuer is the SAML IdP's entity ID, which the user's identities
	// attribute records; "" for OIDC and social providers, recorded as
	// null as Cognito does.
	Issuer string
	// Attributes are the upstream's claims or SAML attributes as received,
	// by the upstream's names, before the provider's AttributeMapping.
	// Multi-valued SAML attributes are joined as Cognito joins them.
	Attributes map[string]string
}
