package web

import (
	"slices"
	"testing"

	"github.com/hutong-gov/hutong/internal/org"
)

func TestNavFor(t *testing.T) {
	for _, tt := range []struct {
		role   org.Role
		path   string
		labels []string
		active string
	}{
		{org.Operator, "/", []string{"首页", "数据资源目录", "数据归集", "部门与账号", "应用与密钥", "审计日志", "工作日历"}, "首页"},
		{org.DeptAdmin, "/apps", []string{"首页", "数据资源目录", "数据归集", "本部门账号", "应用与密钥", "工作日历"}, "应用与密钥"},
		{org.DeptAdmin, "/org/users/7", []string{"首页", "数据资源目录", "数据归集", "本部门账号", "应用与密钥", "工作日历"}, "本部门账号"},
		{org.Operator, "/org/users/7", []string{"首页", "数据资源目录", "数据归集", "部门与账号", "应用与密钥", "审计日志", "工作日历"}, "部门与账号"},
		{org.Reviewer, "/calendar", []string{"首页", "数据资源目录", "数据归集", "工作日历"}, "工作日历"},
		{org.Auditor, "/audit/verify", []string{"首页", "数据资源目录", "数据归集", "审计日志", "工作日历"}, "审计日志"},
		{org.Auditor, "/nowhere", []string{"首页", "数据资源目录", "数据归集", "审计日志", "工作日历"}, ""},
	} {
		var labels []string
		active := ""
		for _, l := range navFor(tt.role, tt.path) {
			labels = append(labels, l.Label)
			if l.Active {
				active += l.Label
			}
		}
		if !slices.Equal(labels, tt.labels) || active != tt.active {
			t.Errorf("navFor(%s, %s) = %v active %q; want %v active %q", tt.role, tt.path, labels, active, tt.labels, tt.active)
		}
	}
}

func TestSafeNext(t *testing.T) {
	for in, want := range map[string]string{
		"":                      "/",
		"/apps":                 "/apps",
		"/audit?action=auth.":   "/audit?action=auth.",
		"//evil.example":        "/",
		"/\\evil.example":       "/",
		"https://evil.example/": "/",
		"apps":                  "/",
		"/login?next=/apps":     "/",
		"/logout":               "/",
		"/a\r\nSet-Cookie: x":   "/",
	} {
		if got := safeNext(in); got != want {
			t.Errorf("safeNext(%q) = %q, want %q", in, got, want)
		}
	}
}
