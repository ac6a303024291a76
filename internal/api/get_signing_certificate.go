package api

import (
	"context"

	"github.com/userpool/userpool/internal/cognito"
)

// GetSigningCertificate returns the certificate a user pool signs SAML
// requests with.
func (a *API) GetSigningCertificate(ctx context.Context, in *cognito.GetSigningCertificateInput) (*cognito.GetSigningCertificateOutput, error) {
	return a.svc.GetSigningCertificate(ctx, in)
}
