package web_test

import (
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/hutong-gov/hutong/internal/records"
	"github.com/hutong-gov/hutong/internal/records/recordstest"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// TestDiscrepancyRefusedAtItsCard: a feedback or a resolution note the
// server refuses (longer than records.MaxNote) is shown again beside that
// difference's field, what was typed kept, rather than in a banner at the
// top with the field emptied; the fields allow as many characters as the
// server takes. On both engines.
func TestDiscrepancyRefusedAtItsCard(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db)
		a, b := publishNamePair(t, f)
		produced := f.clock.Now().Add(-time.Hour).Format(time.RFC3339)
		for i, p := range []string{recordstest.CitizenID(31), recordstest.CitizenID(32)} {
			for dept, entry := range map[string]int64{"公安分局": a, "市场监管局": b} {
				line := `{"op":"add","subject_id":"` + p + `","produced_at":"` + produced + `","values":{"姓名":"` + dept + strconv.Itoa(i) + `"}}` + "\n"
				res, err := records.Ingest(t.Context(), db, recordstest.Pusher(f.depts[dept].ID), entry,
					records.JSONLines(strings.NewReader(line)), f.clock.Now(), records.Options{})
				if err != nil || res.Applied != 1 {
					t.Fatalf("push %s: %+v %v", dept, res, err)
				}
			}
		}
		var did int64
		if err := db.Read().QueryRowContext(t.Context(), `SELECT max(id) FROM record_discrepancies`).Scan(&did); err != nil {
			t.Fatal(err)
		}
		ds := strconv.FormatInt(did, 10)
		max, attr := strconv.Itoa(records.MaxNote), strconv.Itoa(2*records.MaxNote)
		long := strings.Repeat("核", records.MaxNote+1)
		action := func(r response, what string) string {
			t.Helper()
			m := regexp.MustCompile(`action="(/records/discrepancies/` + ds + `/` + what + `[^"]*)"`).FindStringSubmatch(r.Body)
			if m == nil {
				t.Fatalf("no %s form:\n%s", what, r.Body)
			}
			return strings.ReplaceAll(m[1], "&amp;", "&")
		}

		police := f.client(t)
		ptok := police.login("police.admin")
		r := police.get("/records/discrepancies?" + checking)
		wantBody(t, "list", r, `id="feedback-`+ds+`" name="feedback" rows="2" maxlength="`+attr+`"`)
		r = police.post(action(r, "feedback"), url.Values{"csrf_token": {ptok}, "feedback": {long}})
		wantStatus(t, "long feedback", r, http.StatusBadRequest)
		wantBody(t, "long feedback", r, `aria-invalid="true" aria-describedby="feedback-`+ds+`-error"`,
			`>`+long+`</textarea>`, `id="feedback-`+ds+`-error">反馈内容不能超过 `+max+` 个字`)
		wantNoBody(t, "long feedback", r, `id="action-error"`)
		if n := count(t, db, `SELECT count(*) FROM record_discrepancy_feedback`); n != 0 {
			t.Errorf("long feedback: %d feedback rows, want 0", n)
		}

		op := f.client(t)
		otok := op.login("operator")
		r = op.get("/records/discrepancies?" + checking)
		wantBody(t, "list", r, `id="note-`+ds+`" name="note" type="text" maxlength="`+attr+`"`)
		r = op.post(action(r, "resolve"), url.Values{"csrf_token": {otok}, "authority": {strconv.FormatInt(a, 10)}, "note": {long}})
		wantStatus(t, "long note", r, http.StatusBadRequest)
		wantBody(t, "long note", r, `value="`+long+`"`, `aria-invalid="true" aria-describedby="note-`+ds+`-error"`,
			`id="note-`+ds+`-error">处理说明不能超过 `+max+` 个字`)
		wantNoBody(t, "long note", r, `id="action-error"`)
		if n := count(t, db, `SELECT count(*) FROM record_discrepancies WHERE status = 'open'`); n != 2 {
			t.Errorf("long note: %d open discrepancies, want 2", n)
		}
	})
}
