package audit

import "testing"

// TestLabels: each outcome and actor kind, and the object types rows are
// written with, have their console labels; a value without one has "".
func TestLabels(t *testing.T) {
	for _, c := range []struct {
		label func(string) string
		in    map[string]string
	}{
		{OutcomeLabel, map[string]string{OK: "成功", Denied: "拒绝", Failed: "失败", "": "", "maybe": ""}},
		{ActorKindLabel, map[string]string{ActorUser: "工作人员", ActorApp: "应用", ActorApplicant: "申请人",
			ActorSystem: "系统", ActorAnonymous: "匿名", "robot": ""}},
		{ObjectKindLabel, map[string]string{"catalog_entry": "数据资源", "department": "部门", "user": "账号",
			"app_key": "应用密钥", "record_batch": "归集批次", "record_discrepancy": "多源校核差异", "widget": ""}},
	} {
		for in, want := range c.in {
			if got := c.label(in); got != want {
				t.Errorf("label of %q: got %q, want %q", in, got, want)
			}
		}
	}
}
