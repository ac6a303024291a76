package api

// clientActions lists the client actions.
func (a *API) clientActions() map[string]action {
	return map[string]action{
		"AddUserPoolClientSecret":              {authSigV4, handle(a.AddUserPoolClientSecret)},
		"CreateManagedLoginBranding":           {authSigV4, handle(a.CreateManagedLoginBranding)},
		"DeleteManagedLoginBranding":           {authSigV4, handle(a.DeleteManagedLoginBranding)},
		"DescribeManagedLoginBranding":         {authSigV4, handle(a.DescribeManagedLoginBranding)},
		"DescribeManagedLoginBrandingByClient": {authSigV4, handle(a.DescribeManagedLoginBrandingByClient)},
		"UpdateManagedLoginBranding":           {authSigV4, handle(a.UpdateManagedLoginBranding)},
		"CreateTerms":                          {authSigV4, handle(a.CreateTerms)},
		"DeleteTerms":                          {authSigV4, handle(a.DeleteTerms)},
		"DescribeTerms":                        {authSigV4, handle(a.DescribeTerms)},
		"ListTerms":                            {authSigV4, handle(a.ListTerms)},
		"UpdateTerms":                          {authSigV4, handle(a.UpdateTerms)},
		"CreateUserPoolClient":                 {authSigV4, handle(a.CreateUserPoolClient)},
		"DeleteUserPoolClientSecret":           {authSigV4, handle(a.DeleteUserPoolClientSecret)},
		"ListUserPoolClientSecrets":            {authSigV4, handle(a.ListUserPoolClientSecrets)},
		"DeleteUserPoolClient":                 {authSigV4, handle(a.DeleteUserPoolClient)},
		"DescribeUserPoolClient":               {authSigV4, handle(a.DescribeUserPoolClient)},
		"ListUserPoolClients":                  {authSigV4, handle(a.ListUserPoolClients)},
		"UpdateUserPoolClient":                 {authSigV4, handle(a.UpdateUserPoolClient)},
	}
}
