package web_test

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/hutong-gov/hutong/internal/audit"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

var verifyHeadRE = regexp.MustCompile(`链头：<span class="mono">(\d+):([0-9a-f]{64})</span>`)

// verifyHead logs f's auditor in and opens the chain check, whose page
// must hold want; it answers the client and the head the page reports (its
// row's seq and hash).
func verifyHead(t *testing.T, f *fixture, want ...string) (c *client, seq, hash string) {
	t.Helper()
	c = f.client(t)
	c.login("auditor")
	r := c.get("/audit/verify")
	wantBody(t, "verify page", r, want...)
	m := verifyHeadRE.FindStringSubmatch(r.Body)
	if m == nil {
		t.Fatalf("no head reported:\n%s", r.Body)
	}
	return c, m[1], m[2]
}

// TestAuditVerifyAnchor: the console's chain check takes an anchor, a head
// reported before, as GET /api/v1/audit/verify?anchor= does: the chain
// still holding that row with that hash is intact, a hash that differs or
// a row past the head is not, and an anchor it cannot read is refused with
// the reason (400; 200 to htmx, which swaps only a 2xx), as is a
// parameter the page does not take. On both engines.
func TestAuditVerifyAnchor(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db)
		c, seq, hash := verifyHead(t, f, `name="anchor"`, "锚点是此前校验所报的链头")
		anchor := seq + ":" + hash
		// Rows written since (the login, the reads) leave the anchor in the chain.
		err := db.Tx(context.Background(), func(tx *sqldb.Tx) error {
			return audit.Record(context.Background(), tx, audit.Event{Actor: audit.Actor{Kind: audit.ActorSystem, ID: "checker"},
				Action: "catalog.update", ObjectType: "catalog_entry", ObjectID: "1"}, f.clock.Now())
		})
		if err != nil {
			t.Fatal(err)
		}
		r := c.get("/audit/verify?anchor=" + url.QueryEscape(anchor))
		wantStatus(t, "anchor held", r, http.StatusOK)
		wantBody(t, "anchor held", r, "审计链完整", "锚点 <span class=\"mono\">"+anchor+"</span> 所记的记录仍在链中且哈希相符", `value="`+anchor+`"`)

		other := seq + ":" + strings.Repeat("0", 64)
		r = c.get("/audit/verify?anchor=" + url.QueryEscape(other))
		wantStatus(t, "hash differs", r, http.StatusOK)
		wantBody(t, "hash differs", r, "审计链异常", "与锚点")
		r = c.get("/audit/verify?anchor=" + url.QueryEscape("99999:"+hash))
		wantBody(t, "past the head", r, "审计链异常", "末尾记录连同链头被删除")

		r = c.get("/audit/verify?anchor=abc")
		wantStatus(t, "unreadable anchor", r, http.StatusBadRequest)
		wantBody(t, "unreadable anchor", r, "锚点应为“序号:哈希”", `aria-invalid="true"`)
		r = c.get("/audit/verify?anchor=abc", "HX-Request", "true")
		wantStatus(t, "unreadable anchor, htmx", r, http.StatusOK)
		wantBody(t, "unreadable anchor, htmx", r, "锚点应为“序号:哈希”")
		wantNoBody(t, "unreadable anchor, htmx", r, "审计链完整")

		wantStatus(t, "unknown parameter", c.get("/audit/verify?bogus=1"), http.StatusBadRequest)
		wantBody(t, "audit page", c.get("/audit"), `name="anchor"`, `id="anchor-help"`)
	})
}
