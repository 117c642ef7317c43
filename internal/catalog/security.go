package catalog

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/hutong-gov/hutong/internal/audit"
	"github.com/hutong-gov/hutong/internal/errs"
	"github.com/hutong-gov/hutong/internal/sqldb"
)

// SecurityLevel is the configurable definition of one security level
// (安全级别 1–4). Seed 002 defines levels 2 and 4; the platform ships
// similar wording for 1 and 3, which operators can change.
type SecurityLevel struct {
	Level       int       `json:"level"`
	Name        string    `json:"name"`
	Description string    `json:"description"`
	UpdatedAt   time.Time `json:"updated_at"`
}

// SecurityLevels lists the four level definitions.
func SecurityLevels(ctx context.Context, q sqldb.Querier) ([]SecurityLevel, error) {
	rows, err := q.QueryContext(ctx, `SELECT level, name, description, updated_at FROM catalog_security_levels ORDER BY level`)
	if err != nil {
		return nil, fmt.Errorf("security levels: %w", err)
	}
	defer rows.Close()
	var out []SecurityLevel
	for rows.Next() {
		var l SecurityLevel
		if err := rows.Scan(&l.Level, &l.Name, &l.Description, &l.UpdatedAt); err != nil {
			return nil, fmt.Errorf("security levels: %w", err)
		}
		l.UpdatedAt = l.UpdatedAt.UTC()
		out = append(out, l)
	}
	return out, rows.Err()
}

// Check returns every problem of l, in the order level, name, description,
// each a field error: SetSecurityLevel refuses the first, a form shows them
// all. A name or description of white space alone is none.
func (l SecurityLevel) Check() []*errs.Error {
	var out []*errs.Error
	if l.Level < 1 || l.Level > 4 {
		out = append(out, errs.Field("level", "invalid_security_level", "安全级别应为1至4级"))
	}
	if strings.TrimSpace(l.Name) == "" {
		out = append(out, errs.Field("name", "name_required", "安全级别名称不能为空"))
	}
	if strings.TrimSpace(l.Description) == "" {
		out = append(out, errs.Field("description", "description_required", "安全级别说明不能为空"))
	}
	return out
}

// SetSecurityLevel changes the name and description of one level. Only the
// platform operator may.
func SetSecurityLevel(ctx context.Context, tx *sqldb.Tx, by Actor, l SecurityLevel, now time.Time) (SecurityLevel, error) {
	if !by.Operator {
		return l, errs.E(errs.Forbidden, "forbidden", "只有平台主管部门可以修改安全级别定义")
	}
	l.Name, l.Description = strings.TrimSpace(l.Name), strings.TrimSpace(l.Description)
	if problems := l.Check(); len(problems) > 0 {
		return l, problems[0]
	}
	l.UpdatedAt = now.UTC()
	if _, err := tx.ExecContext(ctx, `UPDATE catalog_security_levels SET name = $2, description = $3, updated_at = $4
		WHERE level = $1`, l.Level, l.Name, l.Description, l.UpdatedAt); err != nil {
		return l, fmt.Errorf("set security level: %w", err)
	}
	return l, audit.Record(ctx, tx, audit.Event{Actor: by.Actor, Action: "catalog.security_level.update",
		ObjectType: "catalog_security_level", ObjectID: strconv.Itoa(l.Level),
		Detail: audit.Detail("name", l.Name, "description", l.Description)}, now)
}
