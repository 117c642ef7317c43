package sqldb_test

import (
	"strings"
	"testing"

	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// TestDriverOnlyDSNSettings: a PostgreSQL DSN may carry the settings that
// only the Go driver reads (docs/backup.md): pgxpool's pool_* settings size
// hutong's pool, pgx v4's min_read_buffer_size is ignored, and none of them
// reaches the server, which refused them as unknown runtime parameters. A
// pool setting that is not a number or a duration is refused in Chinese.
func TestDriverOnlyDSNSettings(t *testing.T) {
	dsn := sqldbtest.PostgresDSN(t) // it has a query (?sslmode=disable)
	db, err := sqldb.Open(t.Context(), dsn+"&pool_max_conns=5&pool_max_conn_idle_time=90s&pool_max_conn_lifetime=1h"+
		"&pool_min_conns=1&pool_min_idle_conns=1&pool_health_check_period=30s&pool_max_conn_lifetime_jitter=1m"+
		"&min_read_buffer_size=8192", sqldb.Options{})
	if err != nil {
		t.Fatalf("Open with pool_* and min_read_buffer_size: %v", err)
	}
	defer db.Close()
	var one int
	if err := db.Read().QueryRowContext(t.Context(), "SELECT 1").Scan(&one); err != nil {
		t.Fatal(err)
	}
	for name, p := range db.Pools() {
		if got := p.Stats().MaxOpenConnections; got != 5 {
			t.Errorf("pool %s: %d connections at most, want pool_max_conns=5", name, got)
		}
	}

	// -db-conns (Options.MaxReaders) wins over the DSN's pool_max_conns.
	db2, err := sqldb.Open(t.Context(), dsn+"&pool_max_conns=5", sqldb.Options{MaxReaders: 3})
	if err != nil {
		t.Fatal(err)
	}
	defer db2.Close()
	for name, p := range db2.Pools() {
		if got := p.Stats().MaxOpenConnections; got != 3 {
			t.Errorf("pool %s: %d connections at most, want MaxReaders=3", name, got)
		}
	}

	for _, bad := range []string{"pool_max_conns=0", "pool_max_conns=many", "pool_max_conn_idle_time=soon"} {
		_, err := sqldb.Open(t.Context(), dsn+"&"+bad, sqldb.Options{})
		key, _, _ := strings.Cut(bad, "=")
		if err == nil || !strings.Contains(err.Error(), "数据库地址无效") || !strings.Contains(err.Error(), key) {
			t.Errorf("Open with %s: got %v, want 数据库地址无效 naming %s", bad, err, key)
		}
	}
}
