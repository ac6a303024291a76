package api

// importActions lists the user import actions.
func (a *API) importActions() map[string]action {
	return map[string]action{
		"CreateUserImportJob":   {authSigV4, handle(a.CreateUserImportJob)},
		"DescribeUserImportJob": {authSigV4, handle(a.DescribeUserImportJob)},
		"GetCSVHeader":          {authSigV4, handle(a.GetCSVHeader)},
		"ListUserImportJobs":    {authSigV4, handle(a.ListUserImportJobs)},
		"StartUserImportJob":    {authSigV4, handle(a.StartUserImportJob)},
		"StopUserImportJob":     {authSigV4, handle(a.StopUserImportJob)},
	}
}
