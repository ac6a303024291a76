package api

import (
	"crypto/md5"
	"encoding/hex"
	"encoding/xml"
	"errors"
	"io"
	"net/http"
	"time"

	"github.com/userpool/userpool/internal/userpool"
)

// ImportUpload answers PUT /_import/{userPoolId}/{jobId}, the pre-signed
// URL a user import job gives for its CSV file, as S3 answers a PUT to a
// pre-signed URL: 200 with the ETag on success, an XML <Error> otherwise.
// Headers S3 would act on (x-amz-server-side-encryption: aws:kms, which
// Cognito's guide has clients send, Content-Type) are accepted and
// ignored: the file is kept in the database, which is where the server's
// data is protected.
func (a *API) ImportUpload(w http.ResponseWriter, r *http.Request) {
	// A file of up to 100 MB may take longer than the server's read
	// timeout, which is sized for API requests.
	http.NewResponseController(w).SetReadDeadline(time.Now().Add(10 * time.Minute))
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, userpool.MaxImportCSVBytes))
	if err != nil {
		var tooLarge *http.MaxBytesError
		if errors.As(err, &tooLarge) {
			writeS3Error(w, http.StatusBadRequest, "EntityTooLarge", "Your proposed upload exceeds the maximum allowed size of 100 MB.")
			return
		}
		writeS3Error(w, http.StatusBadRequest, "IncompleteBody", "The request body could not be read.")
		return
	}
	err = a.svc.UploadImportCSV(r.Context(), r.PathValue("userPoolId"), r.PathValue("jobId"), r.URL.Query(), body)
	switch {
	case err == nil:
		sum := md5.Sum(body)
		w.Header().Set("ETag", `"`+hex.EncodeToString(sum[:])+`"`)
		w.WriteHeader(http.StatusOK)
	case errors.Is(err, userpool.ErrUploadDenied):
		writeS3Error(w, http.StatusForbidden, "SignatureDoesNotMatch", "The request signature we calculated does not match the signature you provided.")
	case errors.Is(err, userpool.ErrUploadExpired):
		writeS3Error(w, http.StatusForbidden, "AccessDenied", "Request has expired")
	case errors.Is(err, userpool.ErrUploadUsed), errors.Is(err, userpool.ErrUploadNotReady):
		writeS3Error(w, http.StatusForbidden, "AccessDenied", "This import job does not take a file: "+err.Error()+".")
	default:
		a.log.ErrorContext(r.Context(), "import upload", "err", err)
		writeS3Error(w, http.StatusInternalServerError, "InternalError", "We encountered an internal error. Please try again.")
	}
}

func writeS3Error(w http.ResponseWriter, status int, code, msg string) {
	b, _ := xml.Marshal(struct {
		XMLName xml.Name `xml:"Error"`
		Code    string
		Message string
	}{Code: code, Message: msg})
	w.Header().Set("Content-Type", "application/xml")
	w.WriteHeader(status)
	w.Write([]byte(xml.Header))
	w.Write(b)
}
