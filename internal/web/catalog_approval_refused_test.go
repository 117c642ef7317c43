package web_test

import (
	"html"
	"net/http"
	"net/url"
	"regexp"
	"testing"

	"github.com/hutong-gov/hutong/internal/catalog"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

var rejectReasonRE = regexp.MustCompile(`(?s)<textarea id="reject-reason-input"[^>]*>(.*?)</textarea>`)

// TestApprovalRefusedReviewCard: a licence draft submitted with 次日更新
// before 2026-12-05, when 次日 read as real time, cannot be approved since
// 次日 is 1 day. Its reviewer's card says so before anything is clicked,
// with what breaks the rule and that it is to be sent back
// (catalog.ApprovalRefused), offers no 审核通过, and fills the reason to
// send it back with what to change; the rejection goes through and its
// department reads the reason, edits the 时效要求, submits again and the
// reviewer approves. A post approving it anyway is refused with the same
// words. Until 2026-12-05 the card offered 审核通过 alone to click, refused
// with 不能发布：请退回修改, the reason left for the reviewer to write. On
// both engines.
func TestApprovalRefusedReviewCard(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db)
		police, op := f.client(t), f.client(t)
		ptok, otok := police.login("police.admin"), op.login("operator")
		form := entryForm(ptok, "枪支持有许可证信息", "公民身份号码", "C", "18", "yes", "姓名", "C", "50", "no")
		form.Set("timeliness", "实时推送")
		path := createEntry(t, police, form)
		postOK(t, police, path+"/submit", url.Values{"csrf_token": {ptok}}, path+"?msg=submitted")
		for _, q := range []string{`UPDATE catalog_entry_versions SET data = REPLACE(data, '实时推送', '次日更新')`,
			`UPDATE catalog_entries SET data = REPLACE(data, '实时推送', '次日更新')`} {
			sqldbtest.Exec(t, db, q)
		}

		r := op.get(path)
		wantStatus(t, "review card", r, http.StatusOK)
		wantBody(t, "review card", r, `id="approval-refused"`, catalog.ApprovalRefused, "时效要求“次日更新”", `id="reject-entry"`)
		wantNoBody(t, "review card", r, `id="approve-entry"`)
		m := rejectReasonRE.FindStringSubmatch(r.Body)
		if m == nil {
			t.Fatalf("no reason to send it back:\n%s", r.Body)
		}
		reason := html.UnescapeString(m[1])
		for _, want := range []string{"提交后目录规则已更新", "时效要求“次日更新”", "请将时效要求改为"} {
			if !regexp.MustCompile(regexp.QuoteMeta(want)).MatchString(reason) {
				t.Errorf("reason filled in %q lacks %q", reason, want)
			}
		}

		tag := formTag(t, op, path)
		r = op.post(path+"/approve", url.Values{"csrf_token": {otok}, "tag": {tag}})
		wantStatus(t, "approve anyway", r, http.StatusBadRequest)
		wantBody(t, "approve anyway", r, `id="action-error"`, catalog.ApprovalRefused, `id="approval-refused"`)
		wantNoBody(t, "approve anyway", r, `id="approve-entry"`)

		postOK(t, op, path+"/reject", url.Values{"csrf_token": {otok}, "tag": {tag}, "reason": {reason}}, path+"?msg=rejected")
		wantBody(t, "sent back", police.get(path), "审核退回理由：提交后目录规则已更新", "请将时效要求改为")
		wantNoBody(t, "sent back", op.get(path), `id="approval-refused"`)

		edit := entryForm(ptok, "枪支持有许可证信息", "公民身份号码", "C", "18", "yes", "姓名", "C", "50", "no")
		edit.Set("timeliness", "实时推送")
		edit.Set("edit_tag", editTag(t, police, path))
		postOK(t, police, path+"/edit", edit, path+"?msg=saved")
		postOK(t, police, path+"/submit", url.Values{"csrf_token": {ptok}, "tag": {formTag(t, police, path)}}, path+"?msg=submitted")
		r = op.get(path)
		wantBody(t, "mended", r, `id="approve-entry"`)
		wantNoBody(t, "mended", r, `id="approval-refused"`)
		if m := rejectReasonRE.FindStringSubmatch(r.Body); m == nil || m[1] != "" {
			t.Errorf("mended: reason to send it back %q, want none filled in", m)
		}
		postOK(t, op, path+"/approve", url.Values{"csrf_token": {otok}, "tag": {formTag(t, op, path)}}, path+"?msg=approved")
	})
}
