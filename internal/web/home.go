package web

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/hutong-gov/hutong/internal/audit"
	"github.com/hutong-gov/hutong/internal/auth"
	"github.com/hutong-gov/hutong/internal/calendar"
	"github.com/hutong-gov/hutong/internal/catalog"
	"github.com/hutong-gov/hutong/internal/org"
	"github.com/hutong-gov/hutong/internal/sqldb"
)

type stat struct {
	Label string
	Value int64
	Link  string // page with the details, "" if none for this role
}

type homeData struct {
	Greeting   string
	User       org.User
	Department org.Department
	Region     string
	Stats      []stat

	Today        time.Time
	DayKind      calendar.Kind
	DayName      string // holiday or adjusted working day name, if any
	Working      bool
	NextWorking  time.Time
	Covered      bool // the calendar knows this year's holidays
	CalendarYear int
	// Missing and NextMissing name the notice's holidays this year and
	// the coming one lack, joined by 、; Partial and NextPartial, that the
	// calendar has some of them (a file arranging only part of a year).
	Missing, NextMissing string
	Partial, NextPartial bool
	// NextUncovered is the coming year when it is December and the
	// calendar does not know that year's holidays: deadlines that cross
	// into it then skip weekends and calendar.StatutoryHolidays only.
	// Only the platform operator, who imports them, is told.
	NextUncovered int
}

func greeting(t time.Time) string {
	switch h := t.In(calendar.Location()).Hour(); {
	case h < 5:
		return "您好"
	case h < 11:
		return "上午好"
	case h < 13:
		return "中午好"
	case h < 18:
		return "下午好"
	default:
		return "晚上好"
	}
}

func (w *Web) home(rw http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	p := auth.From(ctx)
	q := w.cfg.DB.Read()
	now := w.cfg.Now()
	dept, err := org.DepartmentByID(ctx, q, p.User.DepartmentID)
	if err != nil {
		return err
	}
	d := homeData{Greeting: greeting(now), User: *p.User, Department: dept, Today: now,
		Working: w.cfg.Calendar.IsWorkingDay(now), NextWorking: w.cfg.Calendar.NextWorkingDay(now)}
	d.DayKind, d.DayName = w.cfg.Calendar.DayKind(now)
	d.CalendarYear, d.Covered = calendar.DateOf(now).Year, true
	all := len(calendar.NoticeHolidays())
	for _, y := range w.cfg.Calendar.Gaps(now) {
		missing := w.cfg.Calendar.Missing(y)
		if y == d.CalendarYear {
			d.Covered = false
			d.Missing, d.Partial = strings.Join(missing, "、"), len(missing) < all
		} else if p.HasRole(org.Operator) {
			d.NextUncovered = y
			d.NextMissing, d.NextPartial = strings.Join(missing, "、"), len(missing) < all
		}
	}
	regions, err := org.Regions(ctx, q)
	if err != nil {
		return err
	}
	for _, rg := range regions {
		if rg.Code == dept.RegionCode {
			d.Region = rg.Name
		}
	}
	if d.Stats, err = w.stats(ctx, q, p, now); err != nil {
		return err
	}
	return w.render(rw, r, http.StatusOK, "home", "工作台", d)
}

// stats counts what the home page shows. The operator sees the platform;
// others see their department; those who review the catalog, its review
// queue.
func (w *Web) stats(ctx context.Context, q sqldb.Querier, p *auth.Principal, now time.Time) ([]stat, error) {
	role := p.User.Role
	dept := p.User.DepartmentID
	scope := "本部门"
	if role == org.Operator {
		dept, scope = 0, "平台"
	}
	link := func(path string, roles []org.Role) string {
		if p.HasRole(roles...) {
			return path
		}
		return ""
	}
	var out []stat
	count := func(label, link, query string, args ...any) error {
		var n int64
		if err := q.QueryRowContext(ctx, query, args...).Scan(&n); err != nil {
			return fmt.Errorf("home: count %s: %w", label, err)
		}
		out = append(out, stat{Label: label, Value: n, Link: link})
		return nil
	}
	// Those who review the catalog see first what waits for them: the
	// entries of the review queue (the catalog's 待审核 view, counted by
	// the same search: revisions of published entries too) and the
	// departments' retirement requests it lists with them.
	if p.ReviewsCatalog() {
		c, err := catalog.Search(ctx, q, catalogActor(p), catalog.Query{Statuses: []catalog.Status{catalog.Submitted},
			Now: now, Limit: 1, Count: true})
		if err != nil {
			return nil, fmt.Errorf("home: count 待审核: %w", err)
		}
		retiring, err := catalog.CountRetireRequests(ctx, q, catalogActor(p), catalog.Query{})
		if err != nil {
			return nil, fmt.Errorf("home: count 待审核: %w", err)
		}
		out = append(out, stat{Label: "待审核", Value: int64(c.Total + retiring), Link: "/catalog?view=submitted"})
	}
	if err := count("接入部门", link("/org", rolesOrg), `SELECT COUNT(*) FROM departments`); err != nil {
		return nil, err
	}
	// The department condition is added only for a department: PostgreSQL
	// would type "$1 = 0" int4 and refuse an id beyond 32 bits.
	inDept, deptArgs := "", []any{}
	if dept != 0 {
		inDept, deptArgs = " AND department_id = $1", []any{dept}
	}
	if err := count(scope+"账号", link("/org", rolesOrg),
		`SELECT COUNT(*) FROM users WHERE NOT disabled`+inDept, deptArgs...); err != nil {
		return nil, err
	}
	if err := count(scope+"在用应用", link("/apps", rolesApps),
		`SELECT COUNT(*) FROM apps WHERE revoked_at IS NULL`+inDept, deptArgs...); err != nil {
		return nil, err
	}
	if p.HasRole(rolesAudit...) {
		// Today in Beijing time, as the audit page's dates read: each
		// link lists the rows its count counts.
		today := calendar.DateOf(now)
		from := today.Start()
		start, end := from.UTC(), from.AddDate(0, 0, 1).UTC()
		day := auditFilter{Since: today.String(), Until: today.String()}
		if err := count("今日审计记录", "/audit?"+day.values().Encode(),
			`SELECT COUNT(*) FROM audit_log WHERE at >= $1 AND at < $2`, start, end); err != nil {
			return nil, err
		}
		day.Outcome = notOK
		if err := count("今日拒绝或失败", "/audit?"+day.values().Encode(),
			`SELECT COUNT(*) FROM audit_log WHERE at >= $1 AND at < $2 AND outcome IN ($3, $4)`,
			start, end, audit.Denied, audit.Failed); err != nil {
			return nil, err
		}
	}
	return out, nil
}
