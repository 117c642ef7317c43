package web

import (
	"html/template"
	"time"

	"github.com/hutong-gov/hutong/internal/audit"
	"github.com/hutong-gov/hutong/internal/calendar"
	"github.com/hutong-gov/hutong/internal/org"
)

// funcs are the template functions. version maps static file names to
// content hashes for cache-busting URLs.
func funcs(version map[string]string) template.FuncMap {
	return template.FuncMap{
		"static": func(name string) string {
			if v, ok := version[name]; ok {
				return "/static/" + name + "?v=" + v
			}
			return "/static/" + name
		},
		"datetime":     formatTime,
		"date":         formatDate,
		"weekday":      weekdayName,
		"scopeLabel":   func(s string) string { return org.Scopes[s] },
		"actionLabel":  actionLabel,
		"outcomeLabel": func(s string) string { return outcomeLabels[s] },
		"actorLabel":   func(s string) string { return actorLabels[s] },
		"dayKind":      func(k calendar.Kind) string { return k.String() },
		"fieldLabel":   fieldLabel,
		"columnSource": func(s string) string { return columnSources[s] },
	}
}

// formatTime shows t in Beijing time to the second; nil or zero is "—".
func formatTime(t any) string {
	var v time.Time
	switch x := t.(type) {
	case time.Time:
		v = x
	case *time.Time:
		if x == nil {
			return "—"
		}
		v = *x
	}
	if v.IsZero() {
		return "—"
	}
	return v.In(calendar.Location()).Format("2006-01-02 15:04:05")
}

// formatDate shows t's date in Beijing time with its weekday, e.g.
// "2026年3月2日 星期一".
func formatDate(t time.Time) string {
	t = t.In(calendar.Location())
	return t.Format("2006年1月2日") + " " + weekdayName(t.Weekday())
}

var weekdayNames = [...]string{"星期日", "星期一", "星期二", "星期三", "星期四", "星期五", "星期六"}

func weekdayName(d time.Weekday) string { return weekdayNames[d] }

var outcomeLabels = map[string]string{audit.OK: "成功", audit.Denied: "拒绝", audit.Failed: "失败"}

var actorLabels = map[string]string{
	audit.ActorUser: "工作人员", audit.ActorApp: "应用", audit.ActorApplicant: "申请人",
	audit.ActorSystem: "系统", audit.ActorAnonymous: "匿名",
}

// actionGroup is an area of audited actions: the audit page's filter
// offers each group's actions under its label, and the group as a whole.
type actionGroup struct {
	Key, Label string // Key: the filter's value for the whole group is "group:" + Key
	Actions    []actionName
}

type actionName struct{ Action, Label string }

// actionGroups name every action written to the audit log in Chinese, by
// area; TestEveryAuditedActionLabelled finds the actions in the source and
// fails on one missing here.
var actionGroups = []actionGroup{
	{"account", "登录与账号", []actionName{
		{"auth.login", "登录"},
		{"auth.logout", "退出登录"},
		{"auth.key", "API 密钥认证"},
		{"user.create", "新增账号"},
		{"user.password", "修改密码"},
		{"user.disable", "停用账号"},
		{"user.enable", "启用账号"},
	}},
	{"org", "部门与应用", []actionName{
		{"region.create", "新增行政区划"},
		{"department.create", "新增部门"},
		{"department.update", "修改部门"},
		{"app.create", "新增应用"},
		{"app.revoke", "注销应用"},
		{"app.key.issue", "签发密钥"},
		{"app.key.rotate", "轮换密钥"},
		{"app.key.revoke", "吊销密钥"},
	}},
	{"catalog", "目录", []actionName{
		{"catalog.create", "编制数据资源"},
		{"catalog.update", "修改数据资源"},
		{"catalog.submit", "提交审核"},
		{"catalog.approve", "审核通过"},
		{"catalog.reject", "审核退回"},
		{"catalog.retire", "注销数据资源"},
		{"catalog.import", "导入目录"},
		{"catalog.source.decide", "确定权威来源（一数一源）"},
		{"catalog.security_level.update", "修改安全级别定义"},
		{"catalog.import_mapping.save", "保存导入列映射"},
	}},
	{"read", "数据读取", []actionName{
		{"records.read", "查询记录"},
		{"records.history", "查询记录历史"},
		{"records.feed", "读取变更流"},
		{"records.discrepancy.read", "查看多源校核差异"},
	}},
	{"push", "数据推送", []actionName{
		{"records.batch", "推送数据"},
		{"records.rule.set", "设定时效规则"},
	}},
	{"check", "比对与纠错", []actionName{
		{"records.crosscheck", "多源校核（全量比对）"},
		{"records.discrepancy.feedback", "差异核查反馈"},
		{"records.discrepancy.resolve", "处理差异"},
	}},
}

// actionLabels are actionGroups' labels by action.
var actionLabels = func() map[string]string {
	m := map[string]string{}
	for _, g := range actionGroups {
		for _, a := range g.Actions {
			m[a.Action] = a.Label
		}
	}
	return m
}()

// actionLabel names an audited action in Chinese; an action no longer
// written (a row of an older version) keeps its code.
func actionLabel(a string) string {
	if l, ok := actionLabels[a]; ok {
		return l
	}
	return a
}
