package org

import (
	"context"
	"crypto/subtle"
	"errors"
	"strings"

	"github.com/hutong-gov/hutong/internal/errs"
	"github.com/hutong-gov/hutong/internal/sqldb"
)

// CheckWholeKey checks the secret of key when it is a whole key
// (htk_<key id>_<secret>), as RevokeKey does before it reads its id: a
// whole key whose secret is not the key's is refused (key_secret_mismatch),
// naming the id and never the secret, so that a key mistyped or of
// another platform does not revoke the key its id happens to name. A key
// id alone, or a key no key has the id of, is left to RevokeKey, which
// says so. The key's state does not matter: a revoked key's secret is
// checked as well.
func CheckWholeKey(ctx context.Context, q sqldb.Querier, key string) error {
	id, secret, err := parseKey(strings.TrimSpace(key))
	if err != nil {
		return nil
	}
	k, err := loadKey(ctx, q, id)
	if errors.Is(err, errBadKey) {
		return nil
	}
	if err != nil {
		return err
	}
	if subtle.ConstantTimeCompare([]byte(sha256Hex(secret)), []byte(k.hash)) != 1 {
		return errs.E(errs.Invalid, "key_secret_mismatch",
			"所给完整密钥的密钥部分与密钥 "+id+" 不符，未吊销：请核对所给的密钥；确要吊销该密钥时，只给出其编号 -key "+id)
	}
	return nil
}
