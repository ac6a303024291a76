package api

// identityProviderActions lists the identity provider actions.
func (a *API) identityProviderActions() map[string]action {
	return map[string]action{
		"AdminDisableProviderForUser":     {authSigV4, handle(a.AdminDisableProviderForUser)},
		"AdminLinkProviderForUser":        {authSigV4, handle(a.AdminLinkProviderForUser)},
		"CreateIdentityProvider":          {authSigV4, handle(a.CreateIdentityProvider)},
		"DeleteIdentityProvider":          {authSigV4, handle(a.DeleteIdentityProvider)},
		"DescribeIdentityProvider":        {authSigV4, handle(a.DescribeIdentityProvider)},
		"GetIdentityProviderByIdentifier": {authSigV4, handle(a.GetIdentityProviderByIdentifier)},
		"GetSigningCertificate":           {authSigV4, handle(a.GetSigningCertificate)},
		"ListIdentityProviders":           {authSigV4, handle(a.ListIdentityProviders)},
		"UpdateIdentityProvider":          {authSigV4, handle(a.UpdateIdentityProvider)},
	}
}
