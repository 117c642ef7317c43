package web_test

import (
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"testing"
	"time"

	"github.com/hutong-gov/hutong/internal/catalog"
	"github.com/hutong-gov/hutong/internal/records/recordstest"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// TestRecordPageAuditsHistory: the record page, which shows a record's
// past versions, writes a records.history read of the subject with the
// versions' items and the purpose, as the API's history read does, beside
// its records.read of the current values alone, as the API's record read
// names them, so that the subject's access log shows that staff saw past
// values. On both engines.
func TestRecordPageAuditsHistory(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db)
		e := publish(t, f, "公安分局", "户籍人口基本信息", "01", "002",
			catalog.Item{Name: "公民身份号码", Type: "C", Length: 18, IdentifiesSubject: true},
			catalog.Item{Name: "姓名", Type: "C", Length: 50}, catalog.Item{Name: "婚姻状况", Type: "C", Length: 10})
		es, p := strconv.FormatInt(e, 10), recordstest.CitizenID(51)
		police := f.client(t)
		tok := police.login("police.admin")
		for i, op := range []string{`"op":"add","values":{"姓名":"张三","婚姻状况":"未婚"}`, `"op":"change","values":{"婚姻状况":"已婚"}`,
			`"op":"change","values":{"婚姻状况":""}`} {
			produced := f.clock.Now().Add(time.Duration(i-2) * time.Hour).Format(time.RFC3339)
			line := `{"subject_id":"` + p + `","produced_at":"` + produced + `",` + op + "}\n"
			wantStatus(t, "upload", police.upload("/records/upload", tok, fmt.Sprintf("v%d.jsonl", i), []byte(line), "entry", es), http.StatusOK)
		}
		r := police.get("/records/entries/" + es + "/subjects/" + p + "?purpose=" + url.QueryEscape("核查"))
		wantStatus(t, "record page", r, http.StatusOK)
		wantBody(t, "record page", r, `<tr id="version-2">`, `<tr id="version-1">`)
		for _, action := range []string{"records.read", "records.history"} {
			q := `SELECT count(*) FROM audit_log WHERE action = $1 AND object_id = $2 AND subject_id = $3 AND purpose = '核查' AND outcome = 'ok'`
			if n := count(t, db, q, action, es, p); n != 1 {
				t.Errorf("%s rows of the record page: %d, want 1", action, n)
			}
		}
		// The current values (婚姻状况 cleared) are the read's, as the API's
		// record read names them; the versions' the history's.
		for action, want := range map[string]string{"records.read": "姓名", "records.history": "姓名,婚姻状况"} {
			var fields string
			if err := db.Read().QueryRowContext(t.Context(), `SELECT fields FROM audit_log WHERE action = $1`, action).Scan(&fields); err != nil {
				t.Fatal(err)
			}
			if fields != want {
				t.Errorf("%s row's fields %q, want %s", action, fields, want)
			}
		}
	})
}
