package federation

// IdentitiesEntry is one element of a user's identities attribute, a
// JSON array in a string (reference federation.md §5): each upstream
// identity that signs in as the user, the one that created it marked
// primary. The ID token carries the same members with string scalars.
type IdentitiesEntry struct {
	UserID       string `json:"userId"`
	ProviderName string `json:"providerName"`
	ProviderType string `json:"providerType"`
	// Issuer is the SAML entity ID; null for OIDC and social providers.
	Issuer  *string `json:"issuer"`
	Primary bool    `json:"primary"`
	// DateCreated is when the identity was added, in Unix milliseconds.
	DateCreated int64 `json:"dateCreated"`
}
