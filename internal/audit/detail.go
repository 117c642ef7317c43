package audit

import (
	"bytes"
	"cmp"
	"encoding/json"
	"strconv"
	"strings"
	"time"

	"github.com/hutong-gov/hutong/internal/calendar"
)

// DetailField is one member of an audit row's detail as the console's
// audit page and hutong audit list show it; the API gives the detail as
// written.
type DetailField struct {
	Label string // the key in Chinese (detailLabels), or the key itself
	Key   string
	Value string // in Chinese when it is a reason code or a duration it knows, a time in Beijing time
	Raw   string // the value as written, when Value is not it
	Time  bool   // Value is an RFC 3339 time shown in Beijing time (timeLabel)
}

// DetailFields returns the members of detail, the JSON object of a row of
// the action of with outcome (OK, Denied, Failed; empty is OK), in the
// order they were written: strings as they are or in Chinese
// (detailValue), other values as compact JSON. A detail that is not an
// object is one field labelled 详情, whole; an empty one, none.
func DetailFields(of, outcome, detail string) []DetailField {
	if detail == "" || detail == "{}" {
		return nil
	}
	dec := json.NewDecoder(strings.NewReader(detail))
	dec.UseNumber()
	whole := []DetailField{{Label: "详情", Value: detail}}
	if t, err := dec.Token(); err != nil || t != json.Delim('{') {
		return whole
	}
	var out []DetailField
	for dec.More() {
		t, err := dec.Token()
		if err != nil {
			return whole
		}
		key, _ := t.(string)
		var raw json.RawMessage
		if err := dec.Decode(&raw); err != nil {
			return whole
		}
		value := string(raw)
		var str string
		if json.Unmarshal(raw, &str) == nil {
			value = str
		} else {
			var b bytes.Buffer
			if json.Compact(&b, raw) == nil {
				value = b.String()
			}
		}
		f := DetailField{Label: cmp.Or(detailLabels[key], key), Key: key, Value: value}
		shown, isTime := detailValue(of, outcome, key, value)
		if shown != value {
			f.Value, f.Raw = shown, value
		}
		f.Time = isTime
		out = append(out, f)
	}
	return out
}

// detailLabels name the detail keys the platform writes: every key
// written has one (TestDetailLabelsCoverWrittenKeys).
var detailLabels = map[string]string{
	"name": "名称", "old_name": "原名称", "short_name": "简称", "old_short_name": "原简称", "uscc": "统一社会信用代码", "old_uscc": "原统一社会信用代码",
	"uscc_warnings": "代码提示", "username": "账号", "role": "角色", "reason": "原因", "scopes": "权限范围",
	"key_id": "密钥编号", "description": "说明", "code": "代码", "level": "级别", "grace": "宽限期",
	"format": "格式", "feedback": "意见", "disputed": "不认可（提请政务数据主管部门协调）", "entry_id": "数据资源编号", "rule": "规则", "is_operator": "政务数据主管部门",
	"path": "请求路径", "department_id": "部门编号",
	// Departments moved (org.UpdateDepartment).
	"region_code": "行政区划代码", "old_region_code": "原行政区划代码", "parent_id": "上级部门编号", "old_parent_id": "原上级部门编号",
	// Departments disabled (org.SetDepartmentDisabled).
	"disabled_users": "停用的账号数", "revoked_apps": "注销的应用数",
	// Accounts changed (org.UpdateUser).
	"display_name": "姓名", "old_display_name": "原姓名", "old_role": "原角色", "old_department_id": "原部门编号",
	"failures": "认证失败次数", "window_minutes": "统计时长（分钟）", // an address throttled (auth.throttle)
	"waiting": "排队等待的登录数", // an address's logins refused while too many wait (auth.throttle)
	// Catalog entries passed to another department (catalog.TransferEntries).
	"from_department_id": "转出部门编号", "from_department": "转出部门", "to_department_id": "接收部门编号", "to_department": "接收部门",
	// Catalog entries: edits, review, sources, imports.
	"version": "版本", "old_code": "原代码", "source_conflicts": "来源冲突数", "placeholders_cleared": "清除的占位内容",
	"unchanged_confirmation": "确认无变化的现行版本", "sources_dropped": "不再作为唯一来源的信息项", "item": "信息项", "authoritative_entry_id": "权威数源数据资源编号", "decision": "裁定",
	"revision_discarded": "随注销作废的修订版本", "requested_by": "申请注销人", "request_reason": "申请注销的理由", "content_digest": "内容摘要", "rows": "行数", "created": "新建", "updated": "更新", "errors": "错误数",
	// The other subjects of an audited read (Event.Subjects), and a
	// detail written before as no object, kept whole with them.
	"other_subjects": "涉及的其他主体", "detail": "详情",
	// Records: a pushed batch, a cross-check sweep, a resolution.
	"entry_code": "数据资源代码", "batch_id": "批次编号", "applied": "已导入", "duplicates": "重复", "unchanged": "未变化",
	"late": "迟报", "first_seq": "起始序号", "last_seq": "截止序号", "pairs": "比对资源对数", "compared": "比对主体数",
	"found": "新发现差异", "resolved": "已消除差异", "closed": "已关闭差异", "note": "备注",
	// A page of a cross-check sweep, audited as it commits.
	"peer_entry_id": "比对的另一数据资源编号", "peer_entry_code": "比对的另一数据资源代码", "page_compared": "本页比对主体数",
	"page_found": "本页新发现差异", "page_resolved": "本页已消除差异", "page_updated": "本页取值更新的差异",
	"at": "查询时点", // a read of a record as it was at a time
	// A read of the audit log: its filter, from the console, the API or
	// hutong audit list.
	"action": "操作", "subject": "数据主体", "subject_id": "数据主体", "actor_kind": "操作者类型", "actor-kind": "操作者类型",
	"actor": "操作者", "actor_id": "操作者编号", "department": "部门", "since": "起始", "until": "截止", "outcome": "结果",
	"before": "分页位置", "cursor": "分页位置", "limit": "每页条数",
}

// reasonLabels name the codes written as a detail's reason: a login's
// refusal (org.Login), an administrative action's (auth.AuditRefusal, the
// Forbidden errors' codes; a department's disable refused by a rule,
// org.AuditDisableRefusal), a read's refusal or miss (records.DeniedEvent,
// records.MissEvent) and a discrepancy closed by a sweep (records'
// uncompared). A reason given in words (catalog.reject, catalog.retire and
// the steps of a retirement request) is shown as it is (freeReason), but
// for a refusal of those actions (outcome denied), whose reason is the
// refusal's code.
var reasonLabels = map[string]string{
	// A login refused.
	"bad_password": "密码错误", "locked": "账号已锁定（登录失败次数过多）", "disabled": "账号已停用",
	"invalid_username": "用户名无效", "role_platform_only": "角色只能属于政务数据主管部门的账号",
	// A write refused as it committed: its session had ended meanwhile
	// (auth.session).
	"session_invalid": "登录已失效（会话已结束或过期，或账号已停用、角色或部门已变更）",
	// An address throttled (auth.throttle): what failed too often, or its
	// logins refused while too many of them wait for a place.
	"key_failures": "API 密钥认证失败次数过多", "login_failures": "登录失败次数过多",
	"login_busy": "同时排队等待的登录过多（未计为失败）",
	// A change of one's own password sent again once done (org.ChangePassword).
	"repeat": "重复提交已完成的密码修改（未再修改）",
	// An action refused.
	"forbidden": "无权操作", "role_not_manageable": "无权管理该角色的账号", "scope_not_grantable": "不能授予本人没有的权限范围",
	"scope_not_manageable": "不能管理本人没有的权限范围", "self_disable": "不能停用本人账号", "self_role_change": "不能修改本人账号的角色或部门",
	"own_password": "修改本人密码须输入当前密码", "csrf_failed": "请求校验失败（CSRF）", "cross_origin_refused": "拒绝跨站请求",
	"not_provider": "不是该数据资源的数源部门", "not_party": "不是该差异涉及的数源部门", "not_authoritative": "不是该信息项的权威数源部门",
	"password_change_required": "须先修改管理员设置的初始密码",
	// A department's disable refused by a rule (audit.RecordDenied).
	"department_holds_entries": "部门仍有已发布或审核中的数据资源，须先转移", "last_operator": "将停用最后一个启用的平台管理员账号",
	// A read refused, or finding nothing.
	"share_consent_required": "有条件共享，须经数源部门同意", "not_shared": "不予共享", "record_not_found": "没有该主体的记录",
	"entry_not_found": "数据资源不存在", "version_not_found": "版本不存在", "not_found": "不存在",
	// A discrepancy no longer compared.
	"pair_retired": "两个数据资源之一已注销或未发布", "same_department": "两个数据资源已属同一部门",
	"subject_kind_mismatch": "两个数据资源的主体类型已不相同", "item_not_shared": "两个数据资源已不再都有该信息项",
	"item_distinct": "审核已裁定两个数据资源的同名信息项不是同一数据项",
	// A discrepancy merged into an older one of the same fact
	// (records.RekeyItems).
	"merged_same_fact": "已并入同一事实的较早差异（信息项名称外观相同）",
}

// freeReason are the actions whose reason is words typed by a person,
// not a code.
var freeReason = map[string]bool{"catalog.reject": true, "catalog.retire": true, "catalog.retire.request": true,
	"catalog.retire.approve": true, "catalog.retire.reject": true}

// detailValue is the value of key in a detail of the action of with
// outcome as people read it: a reason code (reasonLabels: any reason of a
// row denied, and of an action whose reason is not words, freeReason) and a duration (grace, as
// time.Duration writes it) in Chinese, a time stored as RFC 3339 (the at
// of a past-time read, the until of an auth.throttle row, stored in UTC)
// in Beijing time, reported by isTime, others as they are.
func detailValue(of, outcome, key, value string) (shown string, isTime bool) {
	switch key {
	case "reason":
		if !freeReason[of] || outcome == Denied {
			return cmp.Or(reasonLabels[value], value), false
		}
	case "grace":
		if d, err := time.ParseDuration(value); err == nil {
			return durationLabel(d), false
		}
	}
	if t, err := time.Parse(time.RFC3339Nano, value); err == nil {
		return timeLabel(t), true
	}
	return value, false
}

// timeLabel is t in Beijing time, to the fraction of a second it has; the
// last nanosecond of a day, the time a read of a record at a date reads
// (records.ParseAt: ?at=2026-03-02), as that day's end, 2026-03-02
// 当日结束时, where it showed 2026-03-02 23:59:59.999999999. The stored
// time is shown beside it (DetailFields' Raw).
func timeLabel(t time.Time) string {
	t = t.In(calendar.Location())
	if next := t.Add(time.Nanosecond); next.Hour() == 0 && next.Minute() == 0 && next.Second() == 0 && next.Nanosecond() == 0 {
		return t.Format(time.DateOnly) + " 当日结束时"
	}
	return t.Format("2006-01-02 15:04:05.999999999")
}

// durationLabel is d in Chinese, in days, hours, minutes and seconds, the
// units it has: 24 小时, 1 小时 30 分钟; 立即 when it is not positive.
func durationLabel(d time.Duration) string {
	if d <= 0 {
		return "立即"
	}
	var parts []string
	for _, u := range []struct {
		d    time.Duration
		name string
	}{{time.Hour, "小时"}, {time.Minute, "分钟"}, {time.Second, "秒"}} {
		if n := d / u.d; n > 0 {
			parts = append(parts, strconv.FormatInt(int64(n), 10)+" "+u.name)
			d -= n * u.d
		}
	}
	if d > 0 {
		parts = append(parts, d.String())
	}
	return strings.Join(parts, " ")
}
