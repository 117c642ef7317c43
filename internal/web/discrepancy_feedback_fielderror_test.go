package web_test

import (
	"net/http"
	"net/url"
	"testing"

	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// TestFeedbackFieldErrorKeepsTag: a dispute sent from a page older than
// the department's own acceptance, refused for its text (a zero-width
// space, 400), was shown again with the discrepancy's current feedback
// tag, so that the text fixed and sent again overrode the newer
// acceptance without the stale refusal. The refused card now keeps the
// tag its form was sent with: sent again it is refused 409 (为免覆盖),
// nothing written. On both engines.
func TestFeedbackFieldErrorKeepsTag(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		market, tok, did, feedback := marketFeedback(t, newFixture(t, db))
		old := feedbackTag(t, did, "opened", market.get("/records/discrepancies?"+checking).Body)
		accept := url.Values{"csrf_token": {tok}, "edit_tag": {old}, "feedback": {"经核实，本局登记有误，将推送更正"}, "disputed": {"false"}}
		wantStatus(t, "accepting (tab 2)", market.post(feedback, accept), http.StatusSeeOther)
		// Tab 1, the old page: a dispute whose pasted text holds a zero-width space.
		dispute := url.Values{"csrf_token": {tok}, "edit_tag": {old}, "feedback": {"经核实本局登记无误\u200b，请协调"}, "disputed": {"true"}}
		r := market.post(feedback, dispute)
		wantStatus(t, "the old page's dispute with a field error", r, http.StatusBadRequest)
		if got := feedbackTag(t, did, "refused for its text", r.Body); got != old {
			t.Fatalf("the card refused for its text carries tag %s, want the one its form was sent with, %s", got, old)
		}
		dispute.Set("feedback", "经核实本局登记无误，请协调")
		r = market.post(feedback, dispute)
		wantStatus(t, "the dispute fixed, sent again", r, http.StatusConflict)
		wantBody(t, "the dispute fixed, sent again", r, "为免覆盖")
		if n := count(t, db, `SELECT count(*) FROM record_discrepancies WHERE disputed_a OR disputed_b`); n != 0 {
			t.Error("the old page's dispute overrode the newer acceptance through a field error")
		}
	})
}
