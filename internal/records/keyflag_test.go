package records_test

import (
	"strings"
	"testing"

	"github.com/hutong-gov/hutong/internal/errs"
	"github.com/hutong-gov/hutong/internal/records"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// TestBatchKeyErrorsName: a batch key's errors name the API's
// Idempotency-Key header (as their field when the key is invalid), and,
// for a key given by a command-line flag (Options.KeyFlag), the flag as
// their field with a message that does not name the header. The message
// names noncharacters, which text.Key refuses too (U+FFFF).
func TestBatchKeyErrorsName(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := setup(t, db)
		push := func(body string, opt records.Options) error {
			s, err := records.Spool(strings.NewReader(body))
			if err != nil {
				t.Fatal(err)
			}
			defer s.Close()
			_, err = records.IngestSpooled(f.ctx, db, f.pusher, f.hj, s, records.JSONLines, f.receivedAt, opt)
			return err
		}
		if err := push(people(0, 2), records.Options{BatchKey: "k"}); err != nil {
			t.Fatal(err)
		}
		long := strings.Repeat("k", 129)
		for _, c := range []struct {
			key, flag, body string
			code, field     string
			msg             string
		}{
			{long, "", people(0, 2), "invalid_idempotency_key", "Idempotency-Key", "Idempotency-Key 不能超过128个字符，不能含有控制字符、非字符（如 U+FFFF）或无效的字符编码"},
			{long, "-key", people(0, 2), "invalid_idempotency_key", "-key", "不能超过128个字符，不能含有控制字符、非字符（如 U+FFFF）或无效的字符编码"},
			{"k\uffff", "", people(0, 2), "invalid_idempotency_key", "Idempotency-Key", "Idempotency-Key 不能超过128个字符，不能含有控制字符、非字符（如 U+FFFF）或无效的字符编码"},
			{"k", "", people(2, 4), "idempotency_key_reused", "", "Idempotency-Key 已用于另一个批次（批次 1），请为新的批次使用新的键"},
			{"k", "-key", people(2, 4), "idempotency_key_reused", "-key", "已用于另一个批次（批次 1），请为新的批次使用新的键"},
		} {
			err := push(c.body, records.Options{BatchKey: c.key, KeyFlag: c.flag})
			if e := errs.As(err); e == nil || e.Code != c.code || e.Field != c.field || e.Message != c.msg {
				t.Errorf("key %.8q… flag %q: %#v, want %s field %q %q", c.key, c.flag, e, c.code, c.field, c.msg)
			}
		}
	})
}
