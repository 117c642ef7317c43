package org

import (
	"crypto/sha256"
	"encoding/hex"
	"slices"
	"strings"

	"github.com/hutong-gov/hutong/internal/errs"
)

// tagOf is the edit tag of a record whose edited fields are fields
// (Department.Tag, User.Tag): the first 12 bytes of the SHA-256 of the
// fields joined by NUL, in hex.
func tagOf(fields ...string) string {
	sum := sha256.Sum256([]byte(strings.Join(fields, "\x00")))
	return hex.EncodeToString(sum[:12])
}

// tagMatches reports whether a change conditioned on the tags ifMatch
// (DepartmentChange.IfMatch, UserChange.IfMatch, the API's If-Match) may
// go on for a record whose tag is tag: nil is no condition, an empty list
// matches nothing.
func tagMatches(ifMatch []string, tag string) bool {
	return ifMatch == nil || slices.Contains(ifMatch, tag)
}

// errConcurrentUpdate refuses a change of what (部门“…”, 账号“…”)
// started from a tag that is not its tag as stored (tagMatches).
func errConcurrentUpdate(what string) error {
	return errs.E(errs.Conflict, "concurrent_update", what+"的信息在您打开后已被他人修改，为免覆盖他人的修改，本次未保存：请刷新，按最新内容重新修改")
}
