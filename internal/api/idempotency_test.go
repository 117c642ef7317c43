package api_test

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/hutong-gov/hutong/internal/api"
	"github.com/hutong-gov/hutong/internal/auth"
	"github.com/hutong-gov/hutong/internal/calendar"
	"github.com/hutong-gov/hutong/internal/demo"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
	"github.com/hutong-gov/hutong/internal/testclock"
)

// onClock serves the fixture's API on a settable clock.
func (f *fixture) onClock(t *testing.T, c *testclock.Clock) {
	t.Helper()
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	authn := &auth.Authenticator{DB: f.db, Log: log, Now: c.Now}
	a := &api.API{DB: f.db, Log: log, Now: c.Now, Auth: authn, Calendar: calendar.Default()}
	mux := http.NewServeMux()
	a.Register(mux)
	f.srv = httptest.NewServer(authn.Middleware(a.Error)(mux))
	t.Cleanup(f.srv.Close)
}

// TestIdempotencyKeepsNoSecret: the response kept for an Idempotency-Key
// of POST /apps holds no API key, and its replay says so; kept responses
// expire after api.KeyTTL and are deleted.
func TestIdempotencyKeepsNoSecret(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db)
		clock := testclock.New(t0)
		f.onClock(t, clock)
		app := `{"name":"婚姻登记系统","scopes":["catalog.read"]}`
		first := f.do(t, "POST", "/api/v1/apps", f.opKey, app, "Idempotency-Key", "app-1")
		secret, _ := first.body["api_key"].(string)
		if first.status != 201 || !strings.HasPrefix(secret, "htk_") {
			t.Fatalf("create app: got %d %v", first.status, first.body)
		}
		// The secret is all that follows htk_<key id>_: base64url, which
		// has '_' too, so what follows the last '_' may be a character or
		// two that any body holds (the 'w' of api_key_withheld).
		_, keySecret, _ := strings.Cut(strings.TrimPrefix(secret, "htk_"), "_")
		if len(keySecret) < 40 {
			t.Fatalf("API key %q: want htk_<key id>_<secret>", secret)
		}
		// Compared in Go: LIKE would read the key's '_' as any character,
		// and SQLite's LIKE ignores case, so a random body could match.
		rows, err := db.Read().QueryContext(context.Background(), `SELECT body FROM idempotency_keys`)
		if err != nil {
			t.Fatal(err)
		}
		kept := 0
		for rows.Next() {
			var body string
			if err := rows.Scan(&body); err != nil {
				t.Fatal(err)
			}
			kept++
			if strings.Contains(body, "htk_") || strings.Contains(body, keySecret) {
				t.Errorf("kept response holds the key: %s", body)
			}
		}
		if err := rows.Err(); err != nil || kept == 0 {
			t.Errorf("kept responses: %d (%v), want one", kept, err)
		}
		rows.Close()
		again := f.do(t, "POST", "/api/v1/apps", f.opKey, app, "Idempotency-Key", "app-1")
		id := jsonNumber(first.body["app"].(map[string]any)["id"])
		notice, _ := again.body["notice"].(string)
		if again.status != 201 || again.header.Get("Idempotent-Replayed") != "true" || again.body["api_key"] != nil ||
			again.body["api_key_withheld"] != true || !strings.Contains(notice, "/api/v1/apps/"+id+"/rotate") ||
			jsonNumber(again.body["app"].(map[string]any)["id"]) != id {
			t.Errorf("replay: got %d %v %v", again.status, again.header, again.body)
		}
		if n := f.count(t, "apps"); n != 3 {
			t.Errorf("apps = %d, want 3", n)
		}

		dept := `{"name":"南海区卫生健康局","uscc":"` + demo.USCC("440605", 99) + `","region_code":"440605"}`
		if r := f.do(t, "POST", "/api/v1/departments", f.opKey, dept, "Idempotency-Key", "dept-1"); r.status != 201 {
			t.Fatalf("create department: got %d %v", r.status, r.body)
		}
		// A day later the keys are free again: the same key serves another
		// request; the expired responses are deleted KeySweepMargin later,
		// when a key is stored again.
		clock.Add(api.KeyTTL + time.Minute)
		later := f.do(t, "POST", "/api/v1/apps", f.opKey, strings.Replace(app, "婚姻", "收养", 1), "Idempotency-Key", "app-1")
		if later.status != 201 || later.header.Get("Idempotent-Replayed") != "" || later.body["api_key"] == nil {
			t.Errorf("key reused after it expired: got %d %v %v", later.status, later.header, later.body)
		}
		clock.Add(api.KeySweepMargin)
		dept = `{"name":"南海区医疗保障局","uscc":"` + demo.USCC("440605", 98) + `","region_code":"440605"}`
		if r := f.do(t, "POST", "/api/v1/departments", f.opKey, dept, "Idempotency-Key", "dept-2"); r.status != 201 {
			t.Fatalf("create department: got %d %v", r.status, r.body)
		}
		for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(20 * time.Millisecond) {
			var keys []string
			rows, err := db.Read().QueryContext(context.Background(), `SELECT key FROM idempotency_keys ORDER BY key`)
			if err != nil {
				t.Fatal(err)
			}
			for rows.Next() {
				var k string
				rows.Scan(&k)
				keys = append(keys, k)
			}
			rows.Close()
			if strings.Join(keys, ",") == "app-1,dept-2" {
				break
			}
			if time.Now().After(deadline) {
				t.Fatalf("idempotency keys after expiry: %v, want only the new app-1 and dept-2", keys)
			}
		}
	})
}

// TestMigrationWithholdsKeptKeys: responses kept before keys were withheld
// lose their API key when the database is migrated, and replay like new
// ones.
func TestMigrationWithholdsKeptKeys(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		ctx := context.Background()
		old := `{"api_key":"htk_0123456789ab_s3cr3t","app":{"id":7,"name":"婚姻登记系统"},"notice":"API 密钥只显示这一次，请妥善保存"}` + "\n"
		for _, q := range []string{`DELETE FROM schema_migrations WHERE name = '0012_idempotency_expiry.sql'`,
			`DROP INDEX idempotency_keys_created`} {
			if _, err := db.Write().ExecContext(ctx, q); err != nil {
				t.Fatal(err)
			}
		}
		if _, err := db.Write().ExecContext(ctx, `INSERT INTO idempotency_keys (principal, key, request_hash, status, body, created_at)
			VALUES ('app:1', 'k', 'h', 201, $1, $2)`, old, t0); err != nil {
			t.Fatal(err)
		}
		if _, err := db.Migrate(ctx); err != nil {
			t.Fatal(err)
		}
		var body string
		if err := db.Read().QueryRowContext(ctx, `SELECT body FROM idempotency_keys`).Scan(&body); err != nil {
			t.Fatal(err)
		}
		var got map[string]any
		if err := json.Unmarshal([]byte(body), &got); err != nil || strings.Contains(body, "htk_") || got["api_key_withheld"] != true ||
			!strings.Contains(got["notice"].(string), "/api/v1/apps/7/rotate") || got["app"].(map[string]any)["name"] != "婚姻登记系统" ||
			!strings.HasSuffix(body, "}\n") {
			t.Errorf("kept response after the migration: %q (%v)", body, err)
		}
	})
}

// TestIdempotencyKeepsNoPasswordHash: the body of POST /users holds the new
// account's password, so the hash an Idempotency-Key keeps of it must cost
// a guesser what the account's own password hash costs: argon2id with a
// salt, not SHA-256 of the request, whose password anyone with the
// database or a backup could guess at SHA-256's speed. The response kept
// holds no password; a retry still replays, a different password is
// refused. On both engines.
func TestIdempotencyKeepsNoPasswordHash(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db)
		body := func(pw string) string {
			return `{"username":"nh.new","display_name":"某","department_id":` + itoa(f.deptID) + `,"role":"reviewer","password":"` + pw + `"}`
		}
		if r := f.do(t, "POST", "/api/v1/users", f.opKey, body(password), "Idempotency-Key", "u1"); r.status != 201 {
			t.Fatalf("create: %d %v", r.status, r.body)
		}
		var hash, kept string
		if err := db.Read().QueryRowContext(context.Background(), `SELECT request_hash, body FROM idempotency_keys WHERE key = 'u1'`).
			Scan(&hash, &kept); err != nil {
			t.Fatal(err)
		}
		sum := sha256.Sum256([]byte("POST /api/v1/users\n" + body(password)))
		if hash == hex.EncodeToString(sum[:]) || !strings.HasPrefix(hash, "$argon2id$") {
			t.Errorf("request_hash = %q, want an argon2id hash, not SHA-256 of the request", hash)
		}
		if strings.Contains(kept, password) {
			t.Errorf("the kept response holds the password: %s", kept)
		}
		if r := f.do(t, "POST", "/api/v1/users", f.opKey, body(password), "Idempotency-Key", "u1"); r.status != 201 || r.header.Get("Idempotent-Replayed") != "true" {
			t.Errorf("retry: %d %v, want the replayed 201", r.status, r.body)
		}
		if r := f.do(t, "POST", "/api/v1/users", f.opKey, body("Battery-Staple-7"), "Idempotency-Key", "u1"); r.status != 409 || r.body["code"] != "idempotency_key_reused" {
			t.Errorf("another password under the key: %d %v, want 409 idempotency_key_reused", r.status, r.body)
		}
		// A key kept before the argon2id hash holds the SHA-256 of its
		// request until it expires: its retry is still answered.
		if _, err := db.Write().ExecContext(context.Background(), `UPDATE idempotency_keys SET request_hash = $1 WHERE key = 'u1'`,
			hex.EncodeToString(sum[:])); err != nil {
			t.Fatal(err)
		}
		if r := f.do(t, "POST", "/api/v1/users", f.opKey, body(password), "Idempotency-Key", "u1"); r.status != 201 || r.header.Get("Idempotent-Replayed") != "true" {
			t.Errorf("retry of a key kept with SHA-256: %d %v, want the replayed 201", r.status, r.body)
		}
		if r := f.do(t, "POST", "/api/v1/users", f.opKey, body("Battery-Staple-7"), "Idempotency-Key", "u1"); r.status != 409 || r.body["code"] != "idempotency_key_reused" {
			t.Errorf("another password under a key kept with SHA-256: %d %v, want 409 idempotency_key_reused", r.status, r.body)
		}
	})
}

// TestIdempotencyReplayHeaders: a replayed answer carries the headers the
// first one did (Cache-Control: no-store above all: an answer to a
// creating POST is never to be kept by a cache), plus Idempotent-Replayed.
func TestIdempotencyReplayHeaders(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db)
		body := `{"name":"南海区卫生健康局","uscc":"` + demo.USCC("440605", 99) + `","region_code":"440605"}`
		first := f.do(t, "POST", "/api/v1/departments", f.opKey, body, "Idempotency-Key", "k-h")
		again := f.do(t, "POST", "/api/v1/departments", f.opKey, body, "Idempotency-Key", "k-h")
		if first.status != 201 || again.status != 201 || again.header.Get("Idempotent-Replayed") != "true" {
			t.Fatalf("got %d then %d (replayed %q), want 201 twice, the second replayed", first.status, again.status, again.header.Get("Idempotent-Replayed"))
		}
		if first.header.Get("Cache-Control") != "no-store" {
			t.Errorf("first answer: Cache-Control %q, want no-store", first.header.Get("Cache-Control"))
		}
		for name := range first.header {
			if name == "Date" || name == "Content-Length" {
				continue
			}
			if got, want := again.header.Values(name), first.header.Values(name); !slices.Equal(got, want) {
				t.Errorf("replay: header %s %q, the first answer's %q", name, got, want)
			}
		}
	})
}
