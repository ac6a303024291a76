package userpool

import (
	"context"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"fmt"

	"github.com/google/uuid"

	"github.com/userpool/userpool/internal/cognito"
	"github.com/userpool/userpool/internal/srp"
	"github.com/userpool/userpool/internal/store"
)

// Remembered devices (Cognito's device tracking). A sign-in in a pool with
// a DeviceConfiguration is issued a device key (NewDeviceMetadata); the
// app confirms it with ConfirmDevice, uploading the SRP verifier of a
// random password only it knows, and from then on signs in from that
// device with DEVICE_SRP_AUTH and refreshes with the device key. Only
// confirmed devices are stored: a key nobody confirmed is known only to
// the tokens of the sign-in it was issued to.

// Cognito's answers for devices. Only msgDeviceNotFound is observed (the
// AWS Mobile SDK's integration tests expect it); the reference is silent
// on the others, which name the member at fault.
const (
	msgDeviceNotFound        = "Device does not exist."
	msgDeviceVerifierMissing = "Missing required parameter DeviceSecretVerifierConfig"
	msgDeviceVerifierInvalid = "DeviceSecretVerifierConfig is invalid: PasswordVerifier and Salt must be the base64 of an SRP verifier and its salt."
)

// maxDevicePage is the largest page, and the default, of ListDevices and
// AdminListDevices (Limit 0..60).
const maxDevicePage = 60

// Device attribute names and values, as Cognito returns them in
// DeviceType.DeviceAttributes (AdminListDevices' documented example).
const (
	deviceAttrStatus     = "device_status"
	deviceAttrName       = "device_name"
	deviceAttrARN        = "dev:device_arn"
	deviceAttrOwner      = "dev:device_owner"
	deviceAttrRemembered = "dev:device_remembered_status"
	deviceStatusValid    = "valid"
)

func devicesKind(poolID, sub string) string { return "devices/" + poolID + "/" + sub }

// NewDeviceKey returns a fresh DeviceKey for a sign-in in the pool:
// "<region>_<uuid>", Cognito's form.
func NewDeviceKey(poolID string) string { return poolRegion(poolID) + "_" + uuid.NewString() }

// DeviceGroupKey is the DeviceGroupKey of the user's devices. Cognito
// gives all the devices of a user one group key, which the device's SRP
// maths uses in place of the pool name. It is derived rather than stored:
// a device key is issued with it before any device record exists, and
// ConfirmDevice must store the same one. It is not a secret (apps keep it
// in plain storage): the device's random password is.
//
// Its characters are letters and digits after a leading "-", the shape of
// Cognito's: no "_", which some SRP clients would take for the separator
// of a pool id when they are handed the group key in its place.
func DeviceGroupKey(poolID, sub string) string {
	const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
	sum := sha256.Sum256([]byte("userpool device group\x00" + poolID + "\x00" + sub))
	out := []byte{'-'}
	for _, b := range sum[:8] {
		out = append(out, alphabet[int(b)%len(alphabet)])
	}
	return string(out)
}

// TracksDevices reports whether sign-ins in the pool are issued device
// keys: whether it has a DeviceConfiguration.
func TracksDevices(pool *cognito.UserPoolType) bool { return pool.DeviceConfiguration != nil }

// rememberedOnPrompt is the pool's DeviceOnlyRememberedOnUserPrompt: a
// confirmed device is remembered only once the user says so
// (UpdateDeviceStatus).
func rememberedOnPrompt(pool *cognito.UserPoolType) bool {
	c := pool.DeviceConfiguration
	return c != nil && c.DeviceOnlyRememberedOnUserPrompt != nil && *c.DeviceOnlyRememberedOnUserPrompt
}

func deviceStoreError(err error) error {
	if errors.Is(err, store.ErrNotFound) {
		return cognito.ResourceNotFound(msgDeviceNotFound)
	}
	return err
}

// deviceType renders a device in the wire shape of GetDevice and
// ListDevices.
func (s *Service) deviceType(pool *cognito.UserPoolType, u store.User, d store.Device) cognito.DeviceType {
	attrs := []cognito.AttributeType{{Name: deviceAttrStatus, Value: deviceStatusValid}}
	if d.Name != "" {
		attrs = append(attrs, cognito.AttributeType{Name: deviceAttrName, Value: d.Name})
	}
	owner := u.Username + "." + pool.ID
	attrs = append(attrs,
		cognito.AttributeType{Name: deviceAttrARN, Value: fmt.Sprintf("arn:aws:cognito-idp:%s:%s:owner/%s/device/%s",
			poolRegion(pool.ID), s.cfg.AccountID, owner, d.Key)},
		cognito.AttributeType{Name: deviceAttrOwner, Value: owner},
		cognito.AttributeType{Name: deviceAttrRemembered, Value: d.RememberedStatus},
	)
	return cognito.DeviceType{
		DeviceKey:                   d.Key,
		DeviceAttributes:            attrs,
		DeviceCreateDate:            cognito.Epoch(d.CreatedAt),
		DeviceLastModifiedDate:      cognito.Epoch(d.UpdatedAt),
		DeviceLastAuthenticatedDate: cognito.Epoch(d.LastAuthenticatedAt),
	}
}

// decodeDeviceVerifier reads a DeviceSecretVerifierConfig: base64 (the
// JS SDK's encoding of the padded hex) of a verifier srp accepts and of a
// non-empty salt.
func decodeDeviceVerifier(c *cognito.DeviceSecretVerifierConfigType) (salt, verifier []byte, err error) {
	if c == nil || c.PasswordVerifier == "" || c.Salt == "" {
		return nil, nil, cognito.InvalidParameter(msgDeviceVerifierMissing)
	}
	verifier, verr := base64.StdEncoding.DecodeString(c.PasswordVerifier)
	salt, serr := base64.StdEncoding.DecodeString(c.Salt)
	if verr != nil || serr != nil || len(salt) == 0 || srp.CheckVerifier(verifier) != nil {
		return nil, nil, cognito.InvalidParameter(msgDeviceVerifierInvalid)
	}
	return salt, verifier, nil
}

// ConfirmDevice stores the device a sign-in was issued (the access
// token's device_key, tokenDeviceKey) with the SRP verifier the app
// computed for it. The device is remembered at once, unless the pool
// remembers devices only when the user says so: then it is not
// remembered yet and UserConfirmationNecessary tells the app to ask.
// Confirming a device again replaces its verifier and name.
func (s *Service) ConfirmDevice(ctx context.Context, pool *cognito.UserPoolType, u store.User, tokenDeviceKey string, in *cognito.ConfirmDeviceInput) (*cognito.ConfirmDeviceOutput, error) {
	// A device key is proof of nothing by itself; the one the sign-in
	// behind the access token was issued is what binds the device to
	// this user. Any other key is, for this sign-in, a device that does
	// not exist (Cognito's answer here is not documented).
	if tokenDeviceKey == "" || in.DeviceKey != tokenDeviceKey {
		return nil, cognito.ResourceNotFound(msgDeviceNotFound)
	}
	salt, verifier, err := decodeDeviceVerifier(in.DeviceSecretVerifierConfig)
	if err != nil {
		return nil, err
	}
	now := s.now()
	var status string
	err = s.cfg.Store.InTx(ctx, func(tx store.Store) error {
		status = store.DeviceRemembered
		if rememberedOnPrompt(pool) {
			status = store.DeviceNotRemembered
		}
		d, err := tx.UpdateDevice(ctx, pool.ID, u.Sub, in.DeviceKey, func(d *store.Device) error {
			d.Salt, d.Verifier, d.Name, d.UpdatedAt = salt, verifier, in.DeviceName, now
			return nil
		})
		if err == nil {
			status = d.RememberedStatus
			return nil
		}
		if !errors.Is(err, store.ErrNotFound) {
			return err
		}
		return tx.CreateDevice(ctx, store.Device{
			PoolID: pool.ID, Sub: u.Sub, Key: in.DeviceKey, GroupKey: DeviceGroupKey(pool.ID, u.Sub),
			Name: in.DeviceName, Salt: salt, Verifier: verifier, RememberedStatus: status,
			CreatedAt: now, UpdatedAt: now, LastAuthenticatedAt: now,
		})
	})
	if errors.Is(err, store.ErrAlreadyExists) {
		// Another user's device: a key is a UUID, so only a forged
		// token could name one.
		return nil, cognito.ResourceNotFound(msgDeviceNotFound)
	}
	if err != nil {
		return nil, userStoreError(err)
	}
	return &cognito.ConfirmDeviceOutput{UserConfirmationNecessary: pointerTo(status != store.DeviceRemembered)}, nil
}

// GetDevice returns one of the caller's remembered devices. A device that
// is tracked but not remembered is not found: Cognito answers so to the
// user (the AWS Mobile SDK's integration tests rely on it), while
// AdminGetDevice shows it.
func (s *Service) GetDevice(ctx context.Context, pool *cognito.UserPoolType, u store.User, key string) (*cognito.GetDeviceOutput, error) {
	d, err := s.cfg.Store.GetDevice(ctx, pool.ID, u.Sub, key)
	if err != nil {
		return nil, deviceStoreError(err)
	}
	if d.RememberedStatus != store.DeviceRemembered {
		return nil, cognito.ResourceNotFound(msgDeviceNotFound)
	}
	out := s.deviceType(pool, u, d)
	return &cognito.GetDeviceOutput{Device: &out}, nil
}

// ListDevices lists the caller's remembered devices, as Cognito's
// ListDevices does (amazon-cognito-identity-js documents that only
// remembered devices are returned).
func (s *Service) ListDevices(ctx context.Context, pool *cognito.UserPoolType, u store.User, limit *int64, token string) (*cognito.ListDevicesOutput, error) {
	devices, next, err := s.listDevices(ctx, pool, u, true, limit, token)
	if err != nil {
		return nil, err
	}
	return &cognito.ListDevicesOutput{Devices: devices, PaginationToken: next}, nil
}

func (s *Service) listDevices(ctx context.Context, pool *cognito.UserPoolType, u store.User, rememberedOnly bool, limit *int64, token string) ([]cognito.DeviceType, string, error) {
	kind := devicesKind(pool.ID, u.Sub)
	after, err := decodeNextToken(kind, token)
	if err != nil {
		return nil, "", cognito.InvalidParameter("The PaginationToken is not valid.")
	}
	page := store.Page{Limit: maxDevicePage, After: after}
	if limit != nil && *limit > 0 {
		page.Limit = int(*limit)
	}
	devices, next, err := s.cfg.Store.ListDevices(ctx, pool.ID, u.Sub, rememberedOnly, page)
	if err != nil {
		return nil, "", err
	}
	out := make([]cognito.DeviceType, 0, len(devices))
	for _, d := range devices {
		out = append(out, s.deviceType(pool, u, d))
	}
	return out, encodeNextToken(kind, next), nil
}

// ForgetDevice removes one of the caller's devices, remembered or not.
// The refresh tokens of the sign-ins bound to it stop working in the same
// transaction.
func (s *Service) ForgetDevice(ctx context.Context, pool *cognito.UserPoolType, u store.User, key string) error {
	return deviceStoreError(s.cfg.Store.DeleteDevice(ctx, pool.ID, u.Sub, key, s.now()))
}

// UpdateDeviceStatus remembers or stops remembering one of the caller's
// devices. A device that is not remembered still signs in with
// DEVICE_SRP_AUTH and refreshes; it is only hidden from the user's
// listings. An empty status changes nothing but the modification date.
func (s *Service) UpdateDeviceStatus(ctx context.Context, pool *cognito.UserPoolType, u store.User, key, status string) error {
	now := s.now()
	_, err := s.cfg.Store.UpdateDevice(ctx, pool.ID, u.Sub, key, func(d *store.Device) error {
		if status != "" {
			d.RememberedStatus = status
		}
		d.UpdatedAt = now
		return nil
	})
	return deviceStoreError(err)
}

// adminDeviceUser resolves the pool and the user of an admin device
// action.
func (s *Service) adminDeviceUser(ctx context.Context, poolID, username string) (*cognito.UserPoolType, store.User, error) {
	pool, err := s.Pool(ctx, poolID)
	if err != nil {
		return nil, store.User{}, err
	}
	u, err := s.lookupUser(ctx, pool, username)
	if err != nil {
		return nil, store.User{}, err
	}
	return pool, u, nil
}

// AdminGetDevice returns a device of a user, remembered or not.
func (s *Service) AdminGetDevice(ctx context.Context, in *cognito.AdminGetDeviceInput) (*cognito.AdminGetDeviceOutput, error) {
	pool, u, err := s.adminDeviceUser(ctx, in.UserPoolID, in.Username)
	if err != nil {
		return nil, err
	}
	d, err := s.cfg.Store.GetDevice(ctx, pool.ID, u.Sub, in.DeviceKey)
	if err != nil {
		return nil, deviceStoreError(err)
	}
	out := s.deviceType(pool, u, d)
	return &cognito.AdminGetDeviceOutput{Device: &out}, nil
}

// AdminListDevices lists every device of a user, remembered or not.
func (s *Service) AdminListDevices(ctx context.Context, in *cognito.AdminListDevicesInput) (*cognito.AdminListDevicesOutput, error) {
	pool, u, err := s.adminDeviceUser(ctx, in.UserPoolID, in.Username)
	if err != nil {
		return nil, err
	}
	devices, next, err := s.listDevices(ctx, pool, u, false, in.Limit, in.PaginationToken)
	if err != nil {
		return nil, err
	}
	return &cognito.AdminListDevicesOutput{Devices: devices, PaginationToken: next}, nil
}

// AdminForgetDevice is ForgetDevice for an administrator.
func (s *Service) AdminForgetDevice(ctx context.Context, in *cognito.AdminForgetDeviceInput) error {
	pool, u, err := s.adminDeviceUser(ctx, in.UserPoolID, in.Username)
	if err != nil {
		return err
	}
	return s.ForgetDevice(ctx, pool, u, in.DeviceKey)
}

// AdminUpdateDeviceStatus is UpdateDeviceStatus for an administrator.
func (s *Service) AdminUpdateDeviceStatus(ctx context.Context, in *cognito.AdminUpdateDeviceStatusInput) error {
	pool, u, err := s.adminDeviceUser(ctx, in.UserPoolID, in.Username)
	if err != nil {
		return err
	}
	return s.UpdateDeviceStatus(ctx, pool, u, in.DeviceKey, in.DeviceRememberedStatus)
}

// Device returns a device of a user for a sign-in (DEVICE_SRP_AUTH,
// refreshes bound to it), remembered or not. ResourceNotFoundException
// when the user has no such device.
func (s *Service) Device(ctx context.Context, poolID, sub, key string) (store.Device, error) {
	d, err := s.cfg.Store.GetDevice(ctx, poolID, sub, key)
	if err != nil {
		return store.Device{}, deviceStoreError(err)
	}
	return d, nil
}

// DeviceAuthenticated records that a device took part in a sign-in
// (DeviceLastAuthenticatedDate).
func (s *Service) DeviceAuthenticated(ctx context.Context, poolID, sub, key string) error {
	now := s.now()
	_, err := s.cfg.Store.UpdateDevice(ctx, poolID, sub, key, func(d *store.Device) error {
		d.LastAuthenticatedAt = now
		return nil
	})
	return deviceStoreError(err)
}
