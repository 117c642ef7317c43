package org

import (
	"context"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"github.com/hutong-gov/hutong/internal/sqldb"
)

// KeyCacheTTL is how long a KeyCache trusts a key it read: the longest a key
// revoked or rotated by another process (the CLI, another server) is still
// accepted by this one.
const KeyCacheTTL = time.Second

// keyCacheMax bounds a KeyCache; when full it starts afresh.
const keyCacheMax = 10000

// keysChanged counts the committed transactions of this process that
// revoked or rotated keys or revoked apps (RotateKey, RevokeKey,
// RevokeApp): a KeyCache forgets every key it read before the latest. Any
// function that changes what a key authenticates as (its app's scopes,
// department, expiry, revocation) calls keysChange.
var keysChanged atomic.Uint64

// keysChange has every KeyCache forget its keys once tx commits.
func keysChange(tx *sqldb.Tx) { tx.OnCommit(func() { keysChanged.Add(1) }) }

// KeyCache checks bearer keys (htk_<key id>_<secret>), reading each key
// from the database at most once per KeyCacheTTL, so that a client's every
// request does not read its key. The secret is checked on every request;
// expiry against the request's time. A key revoked or rotated away by this
// process is refused by every request that starts once the revocation is
// answered: the caches forget what they read as soon as the revoking
// transaction has committed (OnCommit), before the answer. One revoked by
// another process is refused within KeyCacheTTL. Failed keys are not
// remembered. The zero value is ready to use; a new one checks against the
// database.
type KeyCache struct {
	mu    sync.Mutex
	epoch uint64 // keysChanged when keys were read
	keys  map[string]cachedKey
}

type cachedKey struct {
	storedKey
	read time.Time // the request time it was read at
}

// Authenticate checks a bearer key and returns its app and key. Callers
// audit failures (auth writes the row), record the key id as the actor of
// whatever the request does, and call TouchKey when touch is set: the key's
// last recorded use is older than KeyTouchInterval (the cache then counts
// it as used at now, so that one of many concurrent requests writes it).
// On failure the returned Key carries the presented key id, if the token
// had one, for the audit row, and KeyInactive tells a right secret of a
// key that cannot be used from a wrong one (the error says the same).
func (c *KeyCache) Authenticate(ctx context.Context, q sqldb.Querier, token string, now time.Time) (app App, key Key, touch bool, err error) {
	keyID, secret, err := parseKey(token)
	if err != nil {
		return App{}, Key{}, false, err
	}
	// The key is read under the epoch loaded before: a change committed
	// meanwhile moves keysChanged on, and used then does not keep it.
	epoch := keysChanged.Load()
	c.mu.Lock()
	ck, fresh := c.keys[keyID]
	fresh = fresh && c.epoch == epoch && !now.Before(ck.read) && now.Sub(ck.read) < KeyCacheTTL
	c.mu.Unlock()
	if !fresh {
		sk, err := loadKey(ctx, q, keyID)
		if err != nil {
			return App{}, Key{ID: keyID}, false, err
		}
		ck = cachedKey{storedKey: sk, read: now}
	}
	if app, key, err = ck.check(secret, now); err != nil {
		return app, key, false, err
	}
	// A key read now is kept; one kept whose use was recorded lately
	// needs nothing more.
	if !fresh || stale(ck.key.LastUsedAt, now) {
		if touch = c.used(keyID, ck, epoch, now); touch {
			key.LastUsedAt = &now
		}
	}
	app.Scopes = slices.Clone(app.Scopes)
	return app, key, touch, nil
}

// used keeps ck, read at epoch (unless keys changed since, or a fresher
// read of it is kept), and reports whether its use at now is to be
// recorded, counting it as recorded.
func (c *KeyCache) used(keyID string, ck cachedKey, epoch uint64, now time.Time) (touch bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if epoch != keysChanged.Load() {
		return stale(ck.key.LastUsedAt, now)
	}
	if c.epoch != epoch || c.keys == nil || len(c.keys) >= keyCacheMax {
		c.epoch, c.keys = epoch, map[string]cachedKey{}
	}
	if kept, ok := c.keys[keyID]; ok && !kept.read.Before(ck.read) {
		ck = kept
	}
	if touch = stale(ck.key.LastUsedAt, now); touch {
		ck.key.LastUsedAt = &now
	}
	c.keys[keyID] = ck
	return touch
}

func stale(lastUsed *time.Time, now time.Time) bool {
	return lastUsed == nil || now.Sub(*lastUsed) >= KeyTouchInterval
}
