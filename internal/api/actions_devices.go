package api

// deviceActions lists the remembered-device actions.
func (a *API) deviceActions() map[string]action {
	return map[string]action{
		"AdminForgetDevice":       {authSigV4, handle(a.AdminForgetDevice)},
		"AdminGetDevice":          {authSigV4, handle(a.AdminGetDevice)},
		"AdminListDevices":        {authSigV4, handle(a.AdminListDevices)},
		"AdminUpdateDeviceStatus": {authSigV4, handle(a.AdminUpdateDeviceStatus)},
		"ConfirmDevice":           {authAccessToken, handle(a.ConfirmDevice)},
		"ForgetDevice":            {authAccessToken, handle(a.ForgetDevice)},
		"GetDevice":               {authAccessToken, handle(a.GetDevice)},
		"ListDevices":             {authAccessToken, handle(a.ListDevices)},
		"UpdateDeviceStatus":      {authAccessToken, handle(a.UpdateDeviceStatus)},
	}
}
