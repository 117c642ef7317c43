package web_test

import (
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/hutong-gov/hutong/internal/records/recordstest"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// TestConsoleFeedbackStaleAndRepeated: the feedback form sent again (Back
// and resubmit) stored the feedback twice, two history rows, two audit
// rows, listed twice; and from the same old page a department that had
// accepted the other side's value then disputed it, both answered 303,
// the discrepancy sent to the operator without the second tab being told
// of the first. The form now carries the discrepancy's feedback tag
// (edit_tag): the same feedback again is answered 303 and writes nothing;
// another from the old page is refused 409 at its card, the typed text
// kept and the current feedback shown, nothing written; sent from the
// refreshed page it is taken. On both engines.
func TestConsoleFeedbackStaleAndRepeated(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		market, tok, did, feedback := marketFeedback(t, newFixture(t, db))
		ids := strconv.FormatInt(did, 10)
		list := "/records/discrepancies?" + checking
		tagOf := func(what string) string {
			t.Helper()
			return feedbackTag(t, did, what, market.get(list).Body)
		}
		old := tagOf("opened")
		accept := url.Values{"csrf_token": {tok}, "edit_tag": {old}, "feedback": {"经核实，本局登记有误，将推送更正"}, "disputed": {"false"}}
		wantStatus(t, "accepting", market.post(feedback, accept), http.StatusSeeOther)
		wantStatus(t, "accepting again", market.post(feedback, accept), http.StatusSeeOther)
		rows := func() (int, int) {
			return count(t, db, `SELECT count(*) FROM record_discrepancy_feedback WHERE discrepancy_id = $1`, did),
				count(t, db, `SELECT count(*) FROM audit_log WHERE action = 'records.discrepancy.feedback' AND object_id = $1 AND outcome <> 'denied'`, ids)
		}
		if h, n := rows(); h != 1 || n != 1 {
			t.Errorf("the form sent twice: %d history rows, %d audit rows; want 1 and 1", h, n)
		}
		if n := strings.Count(market.get(list).Body, "经核实，本局登记有误，将推送更正"); n != 1 {
			t.Errorf("the feedback listed %d times, want once", n)
		}

		dispute := url.Values{"csrf_token": {tok}, "edit_tag": {old}, "feedback": {"经核实本局登记无误，请协调"}, "disputed": {"true"}}
		r := market.post(feedback, dispute)
		wantStatus(t, "disputing from the old page", r, http.StatusConflict)
		wantBody(t, "disputing from the old page", r, "为免覆盖，本次反馈未提交", ">经核实本局登记无误，请协调</textarea>",
			`<input type="hidden" name="edit_tag" value="`+tagOf("after accepting")+`">`)
		if h, n := rows(); h != 1 || n != 1 {
			t.Errorf("after the stale refusal: %d history rows, %d audit rows; want 1 and 1", h, n)
		}
		if n := count(t, db, `SELECT count(*) FROM record_discrepancies WHERE disputed_a OR disputed_b`); n != 0 {
			t.Errorf("after the stale refusal %d disputed, want none", n)
		}
		dispute.Set("edit_tag", tagOf("refreshed"))
		wantStatus(t, "disputing from the refreshed page", market.post(feedback, dispute), http.StatusSeeOther)
		if n := count(t, db, `SELECT count(*) FROM record_discrepancies WHERE disputed_a OR disputed_b`); n != 1 {
			t.Errorf("after disputing from the refreshed page %d disputed, want 1", n)
		}
	})
}

// marketFeedback pushes the 姓名 discrepancy of citizen 62
// (pushNameDiscrepancy) and logs market.admin in: its client, its CSRF
// token, the discrepancy and the path its feedback form posts to.
func marketFeedback(t *testing.T, f *fixture) (market *client, tok string, did int64, feedback string) {
	t.Helper()
	_, did = pushNameDiscrepancy(t, f, recordstest.CitizenID(62))
	market = f.client(t)
	tok = market.login("market.admin")
	return market, tok, did, "/records/discrepancies/" + strconv.FormatInt(did, 10) + "/feedback?" + checking
}

// feedbackTag is the edit_tag of discrepancy id's feedback form in body,
// the page what names.
func feedbackTag(t *testing.T, id int64, what, body string) string {
	t.Helper()
	re := regexp.MustCompile(`action="/records/discrepancies/` + strconv.FormatInt(id, 10) + `/feedback[^"]*"[^>]*>\s*<input[^>]*>\s*<input type="hidden" name="edit_tag" value="([0-9a-f]+)">`)
	m := re.FindStringSubmatch(body)
	if m == nil {
		t.Fatalf("%s: no edit_tag in the feedback form:\n%s", what, body)
	}
	return m[1]
}
