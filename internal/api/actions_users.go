package api

// userActions lists the user actions.
func (a *API) userActions() map[string]action {
	return map[string]action{
		"AdminAddUserToGroup":       {authSigV4, handle(a.AdminAddUserToGroup)},
		"AdminConfirmSignUp":        {authSigV4, handle(a.AdminConfirmSignUp)},
		"AdminCreateUser":           {authSigV4, handle(a.AdminCreateUser)},
		"AdminDeleteUser":           {authSigV4, handle(a.AdminDeleteUser)},
		"AdminDeleteUserAttributes": {authSigV4, handle(a.AdminDeleteUserAttributes)},
		"AdminDisableUser":          {authSigV4, handle(a.AdminDisableUser)},
		"AdminEnableUser":           {authSigV4, handle(a.AdminEnableUser)},
		"AdminGetUser":              {authSigV4, handle(a.AdminGetUser)},
		"AdminListGroupsForUser":    {authSigV4, handle(a.AdminListGroupsForUser)},
		"AdminRemoveUserFromGroup":  {authSigV4, handle(a.AdminRemoveUserFromGroup)},
		"AdminSetUserPassword":      {authSigV4, handle(a.AdminSetUserPassword)},
		"AdminUpdateUserAttributes": {authSigV4, handle(a.AdminUpdateUserAttributes)},
		"ListUsers":                 {authSigV4, handle(a.ListUsers)},
		"ListUsersInGroup":          {authSigV4, handle(a.ListUsersInGroup)},
	}
}
