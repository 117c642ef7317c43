package api

import (
	"bytes"
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"errors"
	"io"
	"net/http"
	"time"

	"github.com/hutong-gov/hutong/internal/auth"
	"github.com/hutong-gov/hutong/internal/errs"
	"github.com/hutong-gov/hutong/internal/sqldb"
)

// pendingTTL is how long an in-progress claim on an Idempotency-Key blocks
// retries; a claim older than this belongs to a request that died.
const pendingTTL = time.Minute

// idempotent runs h at most once per (caller, Idempotency-Key): the first
// request claims the key, later ones with the same body get the stored
// response, later ones with a different body are refused. Failed requests
// or refused requests release the key: only successes are replayed.
func (a *API) idempotent(w http.ResponseWriter, r *http.Request, h func(http.ResponseWriter, *http.Request) error) {
	ctx := r.Context()
	key := r.Header.Get("Idempotency-Key")
	if len(key) > 128 {
		a.Error(w, r, errs.E(errs.Invalid, "invalid_idempotency_key", "Idempotency-Key 不能超过128个字符"))
		return
	}
	body, err := io.ReadAll(r.Body)
	if err != nil {
		a.Error(w, r, err)
		return
	}
	r.Body = io.NopCloser(bytes.NewReader(body))
	sum := sha256.Sum256(append([]byte(r.Method+" "+r.URL.Path+"\n"), body...))
	reqHash := hex.EncodeToString(sum[:])
	principal := auth.From(ctx).Actor.Kind + ":" + auth.From(ctx).Actor.ID
	now := a.Now().UTC()

	var replay struct {
		status int
		body   string
	}
	err = a.DB.Tx(ctx, func(tx *sqldb.Tx) error {
		var hash string
		var created time.Time
		err := tx.QueryRowContext(ctx, `SELECT request_hash, status, body, created_at FROM idempotency_keys
			WHERE principal = $1 AND key = $2`, principal, key).Scan(&hash, &replay.status, &replay.body, &created)
		switch {
		case errors.Is(err, sql.ErrNoRows):
		case err != nil:
			return err
		case hash != reqHash:
			return errs.E(errs.Conflict, "idempotency_key_reused", "Idempotency-Key 已用于另一个不同的请求")
		case replay.status != 0:
			return nil
		case now.Sub(created) < pendingTTL:
			return errs.E(errs.Conflict, "request_in_progress", "相同 Idempotency-Key 的请求正在处理中")
		}
		replay.status = 0
		_, err = tx.ExecContext(ctx, `INSERT INTO idempotency_keys (principal, key, request_hash, status, body, created_at)
			VALUES ($1, $2, $3, 0, '', $4) ON CONFLICT (principal, key) DO UPDATE SET created_at = excluded.created_at`,
			principal, key, reqHash, now)
		return err
	})
	if err != nil {
		a.Error(w, r, err)
		return
	}
	if replay.status != 0 {
		w.Header().Set("Idempotent-Replayed", "true")
		w.Header().Set("Content-Type", "application/json; charset=utf-8")
		w.WriteHeader(replay.status)
		io.WriteString(w, replay.body)
		return
	}
	c := &capture{ResponseWriter: w}
	if err := h(c, r); err != nil {
		a.Error(c, r, err)
	}
	// Store the outcome even if the client has gone: the action is done.
	ctx = context.WithoutCancel(ctx)
	err = a.DB.Tx(ctx, func(tx *sqldb.Tx) error {
		if c.status >= 300 || c.status == 0 {
			_, err := tx.ExecContext(ctx, `DELETE FROM idempotency_keys WHERE principal = $1 AND key = $2`, principal, key)
			return err
		}
		_, err := tx.ExecContext(ctx, `UPDATE idempotency_keys SET status = $1, body = $2 WHERE principal = $3 AND key = $4`,
			c.status, c.body.String(), principal, key)
		return err
	})
	if err != nil {
		a.Log.Error("store idempotent response", "key", key, "err", err)
	}
}
