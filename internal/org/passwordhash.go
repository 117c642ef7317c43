package org

import (
	"context"
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"fmt"
	"runtime"
	"strings"

	"golang.org/x/crypto/argon2"
)

// argon2id parameters (OWASP: m=19 MiB, t=2, p=1).
const (
	argonTime    = 2
	argonMemory  = 19 * 1024
	argonThreads = 1
	argonKeyLen  = 32
)

// hashSlots bounds the password hashes computed at once in the process:
// each takes argonMemory (19 MiB) while it runs, and logins are
// anonymous, so that without a bound a few hundred wrong logins at once
// (an unknown username hashes as long as a known one) would take
// gigabytes. Two per processor keep every processor busy; more would only
// share them. Every hash, of a login, a password change, a new account's
// or a reset password, an Idempotency-Key's request holding a secret,
// holds one (withHashSlot).
var hashSlots = make(chan struct{}, 2*runtime.GOMAXPROCS(0))

// hashWaits and hashRuns, when set (by the tests), are called by a hash
// that waits for a slot, before it waits, and by one holding its slot,
// before it hashes.
var hashWaits, hashRuns func()

// withHashSlot runs hash holding one of hashSlots. While none is free it
// waits, as long as ctx lasts: a request whose client has gone leaves the
// queue, with ctx's error.
func withHashSlot(ctx context.Context, hash func()) error {
	select {
	case hashSlots <- struct{}{}:
	default:
		if hashWaits != nil {
			hashWaits()
		}
		select {
		case hashSlots <- struct{}{}:
		case <-ctx.Done():
			return fmt.Errorf("password hash: %w", ctx.Err())
		}
	}
	defer func() { <-hashSlots }()
	if hashRuns != nil {
		hashRuns()
	}
	hash()
	return nil
}

// HashPassword returns an argon2id hash of pw in the PHC string format,
// once a hash slot is free (withHashSlot).
func HashPassword(ctx context.Context, pw string) (string, error) {
	var h string
	err := withHashSlot(ctx, func() { h = hashPassword(pw) })
	return h, err
}

// CheckPassword reports whether pw matches a hash from HashPassword, once
// a hash slot is free (withHashSlot).
func CheckPassword(ctx context.Context, hash, pw string) (bool, error) {
	var ok bool
	err := withHashSlot(ctx, func() { ok = checkPassword(hash, pw) })
	return ok, err
}

func hashPassword(pw string) string {
	salt := make([]byte, 16)
	rand.Read(salt)
	key := argon2.IDKey([]byte(pw), salt, argonTime, argonMemory, argonThreads, argonKeyLen)
	b64 := base64.RawStdEncoding
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s", argon2.Version, argonMemory, argonTime, argonThreads,
		b64.EncodeToString(salt), b64.EncodeToString(key))
}

func checkPassword(hash, pw string) bool {
	parts := strings.Split(hash, "$")
	if len(parts) != 6 || parts[1] != "argon2id" {
		return false
	}
	var m, t uint32
	var p uint8
	if _, err := fmt.Sscanf(parts[3], "m=%d,t=%d,p=%d", &m, &t, &p); err != nil {
		return false
	}
	b64 := base64.RawStdEncoding
	salt, err1 := b64.DecodeString(parts[4])
	want, err2 := b64.DecodeString(parts[5])
	if err1 != nil || err2 != nil || len(want) == 0 {
		return false
	}
	got := argon2.IDKey([]byte(pw), salt, t, m, p, uint32(len(want)))
	return subtle.ConstantTimeCompare(got, want) == 1
}

// dummyHash is compared against when a username does not exist, so that
// unknown and known usernames take the same time. It is computed once,
// at start, outside the slots.
var dummyHash = hashPassword("hutong-dummy-password")
