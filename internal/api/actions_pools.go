package api

// poolActions lists the pool actions.
func (a *API) poolActions() map[string]action {
	return map[string]action{
		"AddCustomAttributes":         {authSigV4, handle(a.AddCustomAttributes)},
		"CreateUserPool":              {authSigV4, handle(a.CreateUserPool)},
		"DeleteUserPool":              {authSigV4, handle(a.DeleteUserPool)},
		"DescribeRiskConfiguration":   {authSigV4, handle(a.DescribeRiskConfiguration)},
		"DescribeUserPool":            {authSigV4, handle(a.DescribeUserPool)},
		"GetLogDeliveryConfiguration": {authSigV4, handle(a.GetLogDeliveryConfiguration)},
		"ListUserPools":               {authSigV4, handle(a.ListUserPools)},
		"SetLogDeliveryConfiguration": {authSigV4, handle(a.SetLogDeliveryConfiguration)},
		"SetRiskConfiguration":        {authSigV4, handle(a.SetRiskConfiguration)},
		"UpdateUserPool":              {authSigV4, handle(a.UpdateUserPool)},
	}
}
