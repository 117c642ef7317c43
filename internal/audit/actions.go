package audit

import (
	"slices"
	"strings"
	"time"

	"github.com/hutong-gov/hutong/internal/calendar"
	"github.com/hutong-gov/hutong/internal/errs"
	"github.com/hutong-gov/hutong/internal/text"
)

// GroupPrefix starts an action filter's value that stands for a whole
// group of actions: GroupPrefix + an ActionGroup's Key.
const GroupPrefix = "group:"

// ActionGroup is an area of audited actions. The console's audit page
// offers each group's actions under its label, and the group as a whole.
type ActionGroup struct {
	Key, Label string
	Actions    []ActionName
}

// ActionName is an audited action and its name in Chinese.
type ActionName struct{ Action, Label string }

// ActionGroups name every action written to the audit log in Chinese, by
// area; TestEveryAuditedActionLabelled finds the actions in the source and
// fails on one missing here. Callers must not modify it.
var ActionGroups = []ActionGroup{
	{"account", "登录与账号", []ActionName{
		{"auth.login", "登录"},
		{"auth.logout", "退出登录"},
		{"auth.key", "API 密钥认证"},
		{"auth.session", "会话认证（写入提交前登录已失效）"},
		{"auth.throttle", "限制来源地址（认证失败过多，或同时登录过多）"},
		{"user.create", "新增账号"},
		{"user.password", "修改密码"},
		{"user.disable", "停用账号"},
		{"user.enable", "启用账号"},
		{"user.update", "修改账号（姓名、角色、部门）"},
	}},
	{"org", "部门与应用", []ActionName{
		{"region.create", "新增行政区划"},
		{"department.create", "新增部门"},
		{"department.update", "修改部门"},
		{"department.disable", "停用部门（连同其账号和应用）"},
		{"department.enable", "启用部门"},
		{"app.create", "新增应用"},
		{"app.revoke", "注销应用"},
		{"app.key.issue", "签发密钥"},
		{"app.key.rotate", "轮换密钥"},
		{"app.key.revoke", "吊销密钥"},
	}},
	{"catalog", "目录", []ActionName{
		{"catalog.create", "编制数据资源"},
		{"catalog.update", "修改数据资源"},
		{"catalog.submit", "提交审核"},
		{"catalog.approve", "审核通过"},
		{"catalog.reject", "审核退回"},
		{"catalog.retire", "注销数据资源"},
		{"catalog.retire.request", "申请注销数据资源"},
		{"catalog.retire.approve", "注销申请审核通过"},
		{"catalog.retire.reject", "注销申请审核退回"},
		{"catalog.retire.withdraw", "撤回注销申请"},
		{"catalog.delete", "删除草稿"},
		{"catalog.revision.discard", "放弃修订"},
		{"catalog.transfer", "转移数据资源到其他部门"},
		{"catalog.import", "导入目录"},
		{"catalog.source.decide", "确定权威数源（一数一源）"},
		{"catalog.security_level.update", "修改安全级别定义"},
		{"catalog.import_mapping.save", "保存导入列映射"},
	}},
	{"read", "数据读取", []ActionName{
		{"records.read", "查询记录"},
		{"records.history", "查询记录历史"},
		{"records.feed", "读取变更流"},
		{"records.discrepancy.read", "查看多源校核差异"},
		{"records.batch.read", "查看其他部门批次的警告"},
	}},
	{"push", "数据推送", []ActionName{
		{"records.batch", "推送数据"},
		{"records.rule.set", "设定时效规则"},
	}},
	{"check", "比对与纠错", []ActionName{
		{"records.crosscheck", "多源校核（全量比对）"},
		{"records.discrepancy.feedback", "差异核查反馈"},
		{"records.discrepancy.resolve", "处理差异"},
	}},
	{"audit", "审计", []ActionName{
		{"audit.read", "查看审计日志"},
	}},
}

// actionLabels are ActionGroups' labels by action.
var actionLabels = func() map[string]string {
	m := map[string]string{}
	for _, g := range ActionGroups {
		for _, a := range g.Actions {
			m[a.Action] = a.Label
		}
	}
	return m
}()

// ActionLabel names an audited action in Chinese, "" for an action no
// group has (one no longer written, in a row of an older version).
func ActionLabel(a string) string { return actionLabels[a] }

// ActionDisplay is an action as the console's audit page and the CLI's
// audit list name it: its label, or its code when it has none.
func ActionDisplay(a string) string {
	if l := actionLabels[a]; l != "" {
		return l
	}
	return a
}

// maxActionFilter is the longest value of an action filter, in bytes:
// longer than any action.
const maxActionFilter = 100

// ParseActions reads the values of the action filter, as the console, the
// API and the CLI take them: each an action ("records.read"), a prefix
// ending in "." ("records."), or GroupPrefix and a group's key
// ("group:read") for all of that group's actions. Rows with any of them
// match: the result is a Filter's Actions. A group no ActionGroup has is
// refused (invalid_action, with the groups there are), and so is a value
// that is too long or not plain text. An action or prefix no ActionGroup
// has is refused by List unless a row has it (an action no longer written,
// in the rows of an older version). Empty values are no filter. Values
// are read in lower case, as actions are written: SQLite's LIKE ignores
// case and PostgreSQL's does not, and both engines must agree.
func ParseActions(field string, values ...string) ([]string, error) {
	var out []string
	for _, v := range values {
		v = strings.ToLower(strings.TrimSpace(v))
		if v == "" {
			continue
		}
		if len(v) > maxActionFilter || !text.Plain(v, false) {
			return nil, errs.Field(field, "invalid_action", "操作应为操作代码（如 records.read）、以“.”结尾的前缀（如 records.）或 "+GroupPrefix+"类别："+groupList())
		}
		key, ok := strings.CutPrefix(v, GroupPrefix)
		if !ok {
			out = append(out, v)
			continue
		}
		i := slices.IndexFunc(ActionGroups, func(g ActionGroup) bool { return g.Key == key })
		if i < 0 {
			return nil, errs.Field(field, "invalid_action", "没有这一类操作："+v+"；操作类别有 "+groupList())
		}
		for _, a := range ActionGroups[i].Actions {
			out = append(out, a.Action)
		}
	}
	return out, nil
}

// knownAction reports whether v is an action of ActionGroups or, ending
// in ".", a prefix of one of them ("records.", "app.key.").
func knownAction(v string) bool {
	if !strings.HasSuffix(v, ".") {
		return actionLabels[v] != ""
	}
	for a := range actionLabels {
		if strings.HasPrefix(a, v) {
			return true
		}
	}
	return false
}

// groupList names the groups' filter values and labels, for a message.
func groupList() string {
	names := make([]string, len(ActionGroups))
	for i, g := range ActionGroups {
		names[i] = GroupPrefix + g.Key + "（" + g.Label + "）"
	}
	return strings.Join(names, "、")
}

// Check refuses a filter's actor kind or outcomes that no row can have, as
// field errors of the parameters actor_kind and outcome, which the console
// and the API share.
func (f Filter) Check() error {
	if f.ActorKind != "" && !slices.Contains(actorKinds, f.ActorKind) {
		return errs.Field("actor_kind", "invalid_actor_kind", "操作者类型应为工作人员、应用、申请人、系统或匿名（user、app、applicant、system、anonymous）")
	}
	for _, o := range append([]string{f.Outcome}, f.Outcomes...) {
		if o != "" && !slices.Contains([]string{OK, Denied, Failed}, o) {
			return errs.Field("outcome", "invalid_outcome", "结果应为成功、拒绝或失败（ok、denied、failed），几种以逗号分隔（denied,failed）")
		}
	}
	return nil
}

// ParseOutcomes reads the values of the outcome filter, as the console
// and the API take them: each an outcome or several joined by ","
// ("denied,failed", the rows that were not ok). Rows with any of them
// match: the result is a Filter's Outcomes, each once, checked by
// Filter.Check. Empty values are no filter.
func ParseOutcomes(values ...string) []string {
	var out []string
	for _, v := range values {
		for _, o := range strings.Split(v, ",") {
			if o = strings.TrimSpace(o); o != "" && !slices.Contains(out, o) {
				out = append(out, o)
			}
		}
	}
	return out
}

// ParseRange reads the bounds of a filter's time, since and until, as the
// API and the CLI take them: each an RFC 3339 time, or a date in Beijing
// time (2026-10-01), since from the start of that day and until to its end
// (the day included, as on the console's audit page). Either may be empty;
// until must be after since (invalid_range).
func ParseRange(since, until string) (time.Time, time.Time, error) {
	var bounds [2]time.Time
	for i, s := range []string{since, until} {
		field := [2]string{"since", "until"}[i]
		if s = strings.TrimSpace(s); s == "" {
			continue
		}
		t, err := calendar.ParseStart(s)
		if err == nil && len(s) == len(time.DateOnly) {
			t = t.AddDate(0, 0, i) // a date's until: the next day's start
		}
		if err != nil {
			return bounds[0], bounds[1], errs.Field(field, "invalid_time", field+" 应为日期（如 2026-10-01，北京时间）或 RFC 3339 时间（如 2026-10-01T08:00:00+08:00）")
		}
		bounds[i] = t
	}
	if !bounds[0].IsZero() && !bounds[1].IsZero() && !bounds[1].After(bounds[0]) {
		return bounds[0], bounds[1], errs.Field("until", "invalid_range", "截止时间应晚于起始时间")
	}
	return bounds[0], bounds[1], nil
}
