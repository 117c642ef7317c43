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
		"actionLabel":  audit.ActionDisplay,
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
