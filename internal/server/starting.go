package server

import (
	"fmt"
	"io"
	"net/http"

	"github.com/hutong-gov/hutong/internal/api"
	"github.com/hutong-gov/hutong/internal/plainpage"
)

// Phase is what serve or demo does after binding its address and before
// it serves: Starting answers for the server meanwhile.
type Phase int

const (
	// Opening is opening the database and checking its schema.
	Opening Phase = iota
	// Migrating is applying the database's pending migrations.
	Migrating
	// Seeding is creating or completing the demo district.
	Seeding
)

// readyz is the phase as /readyz says it, in the words of the server's
// own /readyz.
func (p Phase) readyz() string {
	switch p {
	case Migrating:
		return "starting: migrating the database schema"
	case Seeding:
		return "starting: seeding the demo data"
	}
	return "starting: opening the database"
}

// label is the phase in the Chinese of the answers to users.
func (p Phase) label() string {
	switch p {
	case Migrating:
		return "数据库迁移中"
	case Seeding:
		return "演示数据创建中"
	}
	return "正在连接数据库"
}

// Starting answers on the bound address while the server starts in phase
// p, so that a probe or a client is answered rather than left waiting on a
// connection accepted but never read: /healthz 200 (the process runs, and
// its release: Version), /readyz 503 saying it is starting, and every
// other path 503 with Retry-After, a problem document (code starting)
// under /api/ and a short page elsewhere; an API path that is not clean
// 404 as when the server runs (api.CleanPaths).
func Starting(p Phase) http.Handler {
	return starting(p, p.readyz())
}

// StartingMigration is Starting(Migrating) while the migration name, the
// i-th of n, is applied: /readyz names it, so that a long upgrade is
// seen to progress.
func StartingMigration(name string, i, n int) http.Handler {
	return starting(Migrating, fmt.Sprintf("%s: applying %s (%d of %d)", Migrating.readyz(), name, i, n))
}

// starting is Starting(p), /readyz answering readyz.
func starting(p Phase, readyz string) http.Handler {
	msg := "服务正在启动（" + p.label() + "），请稍后重试"
	mux := http.NewServeMux()
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		w.Header().Set("Cache-Control", "no-store")
		io.WriteString(w, healthBody())
	})
	mux.HandleFunc("GET /readyz", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		w.Header().Set("Cache-Control", "no-store")
		w.WriteHeader(http.StatusServiceUnavailable)
		fmt.Fprintln(w, readyz)
	})
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		if isAPI(r) {
			api.WriteProblem(w, api.Problem{Type: "about:blank", Title: "服务正在启动", Status: http.StatusServiceUnavailable,
				Code: "starting", Detail: msg})
			return
		}
		w.Header().Set("Retry-After", "5")
		plainpage.Write(w, plainpage.Page{Title: "服务正在启动", Text: []string{msg + "。本页 5 秒后自动刷新。"},
			Status: http.StatusServiceUnavailable, Code: "starting", Refresh: 5}, r.Method == http.MethodHead)
	})
	return api.CleanPaths(mux)
}
