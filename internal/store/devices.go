package store

import (
	"context"
	"time"
)

// Devices stores the devices users confirmed with ConfirmDevice
// (Cognito's device tracking). A device key is unique across pools; every
// method also takes the pool and the user's sub, so a device is only ever
// found through its owner.
type Devices interface {
	// CreateDevice inserts d. ErrNotFound when the user does not exist,
	// ErrAlreadyExists when the device key is taken.
	CreateDevice(ctx context.Context, d Device) error
	// GetDevice returns the user's device. ErrNotFound.
	GetDevice(ctx context.Context, poolID, sub, key string) (Device, error)
	// UpdateDevice is the read-modify-write of one device. fn must not
	// change PoolID, Sub or Key. ErrNotFound.
	UpdateDevice(ctx context.Context, poolID, sub, key string, fn func(*Device) error) (Device, error)
	// DeleteDevice removes the device and, in the same transaction,
	// revokes at `at` every refresh family bound to it (RefreshFamily's
	// DeviceKey), so a forgotten device's sessions end with it.
	// ErrNotFound.
	DeleteDevice(ctx context.Context, poolID, sub, key string, at time.Time) error
	// ListDevices lists the user's devices ordered by key; with
	// rememberedOnly, only those whose RememberedStatus is
	// DeviceRemembered.
	ListDevices(ctx context.Context, poolID, sub string, rememberedOnly bool, page Page) (devices []Device, next string, err error)
}

// Device remembered statuses (Cognito's DeviceRememberedStatusType).
const (
	DeviceRemembered    = "remembered"
	DeviceNotRemembered = "not_remembered"
)

// Device is a device a user's app confirmed. The app keeps a random
// password for it and proves it with DEVICE_SRP_AUTH, against the salt
// and verifier it uploaded: the server never learns the password.
type Device struct {
	PoolID string
	Sub    string
	// Key is the DeviceKey, "<region>_<uuid>".
	Key string
	// GroupKey is the DeviceGroupKey the device was issued with; it takes
	// the pool name's place in the device's SRP maths.
	GroupKey string
	// Name is the DeviceName given at confirmation, "" if none.
	Name     string
	Salt     []byte
	Verifier []byte
	// RememberedStatus is DeviceRemembered or DeviceNotRemembered.
	RememberedStatus string
	CreatedAt        time.Time
	UpdatedAt        time.Time
	// LastAuthenticatedAt is the last sign-in the device took part in.
	LastAuthenticatedAt time.Time
}
