package sqldb_test

import (
	"context"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/hutong-gov/hutong/internal/sqldb"
)

// silentPeer listens on a local port, accepts every connection and never
// answers: a server that hangs, or another service on the port that waits
// for its own protocol's request.
func silentPeer(t *testing.T) string {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan struct{})
	go func() {
		defer close(done)
		var held []net.Conn
		defer func() {
			for _, c := range held {
				c.Close()
			}
		}()
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			held = append(held, c)
		}
	}()
	t.Cleanup(func() {
		ln.Close()
		<-done
	})
	return ln.Addr().String()
}

// TestConnectTimeoutDefault: a PostgreSQL DSN that sets no connect_timeout
// gets the default one, so that Open on a peer that accepts and never
// answers fails, saying so, instead of waiting for ever; a DSN's
// connect_timeout is kept, 0 (wait without end) too.
func TestConnectTimeoutDefault(t *testing.T) {
	defer sqldb.SetDefaultConnectTimeout(200 * time.Millisecond)()
	addr := silentPeer(t)
	for _, dsn := range []string{
		"postgres://hutong@" + addr + "/hutong?sslmode=disable",
		"host=127.0.0.1 port=" + addr[strings.LastIndexByte(addr, ':')+1:] + " user=hutong dbname=hutong sslmode=disable",
	} {
		err := openSilent(t, dsn)
		want := "无法连接数据库 " + dsn + "：连接数据库服务器超时"
		if err == nil || !strings.HasPrefix(err.Error(), want) || !strings.Contains(err.Error(), "connect_timeout") {
			t.Errorf("Open(%q) on a silent peer: %v; want %s… naming connect_timeout", dsn, err, want)
		}
	}
	// The DSN's own connect_timeout=0 waits on: Open has not returned when
	// it is cancelled.
	ctx, cancel := context.WithCancel(t.Context())
	errc := make(chan error, 1)
	go func() {
		_, err := sqldb.Open(ctx, "postgres://hutong@"+addr+"/hutong?sslmode=disable&connect_timeout=0", sqldb.Options{})
		errc <- err
	}()
	select {
	case err := <-errc:
		t.Errorf("connect_timeout=0: Open returned %v before it was cancelled", err)
	case <-time.After(2 * time.Second):
	}
	cancel()
	<-errc
}

// openSilent opens dsn on a silent peer and returns Open's error, failing
// the test when Open still waits after a minute.
func openSilent(t *testing.T, dsn string) error {
	t.Helper()
	errc := make(chan error, 1)
	go func() {
		db, err := sqldb.Open(t.Context(), dsn, sqldb.Options{})
		if err == nil {
			db.Close()
		}
		errc <- err
	}()
	select {
	case err := <-errc:
		return err
	case <-time.After(time.Minute):
		t.Fatalf("Open(%q) on a silent peer: still waiting after a minute", dsn)
		return nil
	}
}

// TestConnectTimeoutEnvNamed: a connection that PGCONNECT_TIMEOUT timed
// out is said naming PGCONNECT_TIMEOUT and its value, not connect_timeout
// of the address (地址中未设置时为 10s), which was not what set it; a DSN's
// own connect_timeout, which wins over the variable, is named as before.
func TestConnectTimeoutEnvNamed(t *testing.T) {
	t.Setenv("PGCONNECT_TIMEOUT", "1")
	addr := silentPeer(t)
	port := addr[strings.LastIndexByte(addr, ':')+1:]
	for _, dsn := range []string{
		"postgres://hutong@" + addr + "/hutong?sslmode=disable",
		"host=127.0.0.1 port=" + port + " user=hutong dbname=hutong sslmode=disable",
	} {
		err := openSilent(t, dsn)
		if err == nil || !strings.Contains(err.Error(), "连接数据库服务器超时：服务器未在环境变量 PGCONNECT_TIMEOUT（1 秒）内应答") ||
			strings.Contains(err.Error(), "地址中未设置") {
			t.Errorf("Open(%q) with PGCONNECT_TIMEOUT=1: %v; want PGCONNECT_TIMEOUT named", dsn, err)
		}
	}
	dsn := "host=127.0.0.1 port=" + port + " user=hutong dbname=hutong sslmode=disable connect_timeout=1"
	if err := openSilent(t, dsn); err == nil || strings.Contains(err.Error(), "PGCONNECT_TIMEOUT") || !strings.Contains(err.Error(), "connect_timeout") {
		t.Errorf("Open(%q) with PGCONNECT_TIMEOUT=1: %v; want the DSN's connect_timeout named", dsn, err)
	}
}

// TestConnectTimeoutQuoted: "connect_timeout=" within a keyword DSN's
// quoted value (a password) sets no connect_timeout, so that the default
// one applies; it was taken for a setting, and Open on a silent peer
// waited for ever.
func TestConnectTimeoutQuoted(t *testing.T) {
	defer sqldb.SetDefaultConnectTimeout(200 * time.Millisecond)()
	addr := silentPeer(t)
	dsn := "host=127.0.0.1 port=" + addr[strings.LastIndexByte(addr, ':')+1:] +
		" user=hutong password='x connect_timeout=1' dbname=hutong sslmode=disable"
	if err := openSilent(t, dsn); err == nil || !strings.Contains(err.Error(), "连接数据库服务器超时") {
		t.Errorf("Open(%q) on a silent peer: %v; want the default timeout", sqldb.Redact(dsn), err)
	}
}

// TestConnectTimeoutServiceNamed: a connection that the connect_timeout
// of its service file timed out is said naming the service, its file and
// that connect_timeout, also when PGCONNECT_TIMEOUT is set, which the
// service file's setting wins over (pgx, as libpq); PGCONNECT_TIMEOUT was
// named, with its own value. The service of the DSN (in the file of
// PGSERVICEFILE or of the DSN's servicefile) and of PGSERVICE alike.
func TestConnectTimeoutServiceNamed(t *testing.T) {
	addr := silentPeer(t)
	port := addr[strings.LastIndexByte(addr, ':')+1:]
	file := filepath.Join(t.TempDir(), "pg_service.conf")
	if err := os.WriteFile(file, []byte("[svc]\nhost=127.0.0.1\nport="+port+"\nuser=hutong\ndbname=hutong\nsslmode=disable\nconnect_timeout=1\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	t.Setenv("PGCONNECT_TIMEOUT", "30")
	want := "连接数据库服务器超时：服务器未在连接服务文件 " + file + " 中服务 svc 的 connect_timeout（1 秒）内应答"
	check := func(dsn string) {
		t.Helper()
		if err := openSilent(t, dsn); err == nil || !strings.Contains(err.Error(), want) || strings.Contains(err.Error(), "PGCONNECT_TIMEOUT") {
			t.Errorf("Open(%q) with PGCONNECT_TIMEOUT=30: %v; want the service's connect_timeout named", dsn, err)
		}
	}
	check("service=svc servicefile='" + file + "'")
	t.Setenv("PGSERVICEFILE", file)
	check("service=svc")
	check("postgres://?service=svc")
	t.Setenv("PGSERVICE", "svc")
	check("host=127.0.0.1 port=" + port + " user=hutong dbname=hutong sslmode=disable")
}

// TestConnectTimeoutCallerDeadline: a connection cut short by the
// caller's own deadline, before any connect timeout, names neither
// connect_timeout nor PGCONNECT_TIMEOUT, which had not run out; it named
// the one that applied.
func TestConnectTimeoutCallerDeadline(t *testing.T) {
	addr := silentPeer(t)
	for _, env := range []string{"", "30"} {
		t.Setenv("PGCONNECT_TIMEOUT", env)
		ctx, cancel := context.WithTimeout(t.Context(), 200*time.Millisecond)
		_, err := sqldb.Open(ctx, "postgres://hutong@"+addr+"/hutong?sslmode=disable", sqldb.Options{})
		cancel()
		if err == nil || !strings.Contains(err.Error(), "连接数据库服务器超时：本次操作的时限已到") || strings.Contains(err.Error(), "connect_timeout") ||
			strings.Contains(err.Error(), "PGCONNECT_TIMEOUT") {
			t.Errorf("Open with PGCONNECT_TIMEOUT=%q cut short by the caller's deadline: %v; want neither timeout named", env, err)
		}
	}
}
