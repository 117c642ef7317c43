package sqldb_test

import (
	"testing"

	"github.com/hutong-gov/hutong/internal/sqldb"
)

// TestOpenBadSSLMode: a DSN whose sslmode is not one of libpq's
// (sslmode=disabled) is refused naming sslmode and its values, where it
// was said as 数据库地址无效（failed to configure TLS）.
func TestOpenBadSSLMode(t *testing.T) {
	for _, dsn := range []string{
		"postgres://hutong:secretpw@127.0.0.1:1/hutong?sslmode=disabled",
		"host=127.0.0.1 port=1 user=hutong password=secretpw dbname=hutong sslmode=disabled",
	} {
		_, err := sqldb.Open(t.Context(), dsn, sqldb.Options{})
		want := "无法连接数据库 " + sqldb.Redact(dsn) + "：数据库地址无效（sslmode 的值无效：应为 disable、allow、prefer、require、verify-ca 或 verify-full）"
		if err == nil || err.Error() != want {
			t.Errorf("Open(%q):\n got %v\nwant %s", dsn, err, want)
		}
	}
}
