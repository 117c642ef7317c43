// Package recordstest sets up what records tests need: departments,
// published catalog entries written straight into catalog_entries, and
// valid subject identifiers.
package recordstest

import (
	"context"
	"encoding/json"
	"fmt"
	"testing"
	"time"

	"github.com/hutong-gov/hutong/internal/audit"
	"github.com/hutong-gov/hutong/internal/demo"
	"github.com/hutong-gov/hutong/internal/ident"
	"github.com/hutong-gov/hutong/internal/org"
	"github.com/hutong-gov/hutong/internal/records"
	"github.com/hutong-gov/hutong/internal/sqldb"
)

// CitizenID returns a valid citizen ID number, different for each n < 1000000.
func CitizenID(n int) string {
	birth := time.Date(1960, 1, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, n%15000)
	first17 := fmt.Sprintf("440605%s%03d", birth.Format("20060102"), n/15000%1000)
	if n >= 15000*1000 {
		panic("recordstest: CitizenID n too large")
	}
	return first17 + string(ident.CitizenIDCheck(first17))
}

// USCC returns a valid unified social credit code of a company (registration
// department 9, category 1), different for each n.
func USCC(n int) string {
	code, err := ident.MakeUSCC("91440605", fmt.Sprintf("%08d", 30000000+n))
	if err != nil {
		panic(err)
	}
	return code
}

// Department creates a department (and the region 440000 when missing).
func Department(t testing.TB, db *sqldb.DB, name string, n int) int64 {
	t.Helper()
	ctx := context.Background()
	by := audit.Actor{Kind: audit.ActorSystem, ID: "test"}
	var id int64
	err := db.Tx(ctx, func(tx *sqldb.Tx) error {
		var c int
		if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM regions WHERE code = '440000'`).Scan(&c); err != nil {
			return err
		}
		if c == 0 {
			if err := org.CreateRegion(ctx, tx, by, &org.Region{Code: "440000", Name: "广东省", Level: org.Province}, time.Now()); err != nil {
				return err
			}
		}
		d := org.Department{Name: name, USCC: deptUSCC(n), RegionCode: "440000"}
		if err := org.CreateDepartment(ctx, tx, by, &d, time.Now()); err != nil {
			return err
		}
		id = d.ID
		return nil
	})
	if err != nil {
		t.Fatalf("create department %s: %v", name, err)
	}
	return id
}

func deptUSCC(n int) string { return demo.USCC("440605", n) }

// Spec describes a published entry to create.
type Spec struct {
	Code, Name      string
	SubjectKind     string // person, legal_entity, none
	UpdateFrequency string // default daily
	FrequencyOther  string // 具体更新周期, when UpdateFrequency is other
	Class           string // default departmental
	CategoryCode    string
	Timeliness      string // 时效要求
	Items           []records.Item
	PublishedAt     time.Time
}

// Entry inserts a published catalog entry for department dept and returns its id.
func Entry(t testing.TB, db *sqldb.DB, dept int64, s Spec) int64 {
	t.Helper()
	id, err := InsertEntry(context.Background(), db.Write(), dept, s)
	if err != nil {
		t.Fatalf("insert entry %s: %v", s.Code, err)
	}
	return id
}

// InsertEntry is Entry for benchmarks and commands.
func InsertEntry(ctx context.Context, q sqldb.Querier, dept int64, s Spec) (int64, error) {
	if s.UpdateFrequency == "" {
		s.UpdateFrequency = "daily"
	}
	if s.Class == "" {
		s.Class = "departmental"
	}
	if s.PublishedAt.IsZero() {
		s.PublishedAt = time.Date(2026, 1, 5, 0, 0, 0, 0, time.UTC)
	}
	data, err := json.Marshal(map[string]any{
		"name": s.Name, "items": s.Items, "update_frequency": s.UpdateFrequency, "subject_kind": s.SubjectKind,
		"timeliness": s.Timeliness, "update_frequency_other": s.FrequencyOther, "classification": map[string]string{"class": s.Class, "category_code": s.CategoryCode},
	})
	if err != nil {
		return 0, err
	}
	var id int64
	err = q.QueryRowContext(ctx, `INSERT INTO catalog_entries (code, department_id, status, version, published_version,
		name, name_key, abstract, domain, share_type, share_methods, update_frequency, security_level, open_attribute,
		subject_kind, data, created_at, updated_at, published_at)
		VALUES ($1, $2, 'published', 1, 1, $3, $3, '', '99', 'unconditional', 1, $4, 1, 'closed', $5, $6, $7, $7, $7)
		RETURNING id`, s.Code, dept, s.Name, s.UpdateFrequency, s.SubjectKind, string(data), s.PublishedAt).Scan(&id)
	return id, err
}

// Pusher is a provider app of dept.
func Pusher(dept int64) records.Pusher {
	return records.Pusher{DepartmentID: dept, Actor: audit.Actor{Kind: audit.ActorApp, ID: fmt.Sprint("app-", dept), DepartmentID: dept}}
}

// Republish publishes a new version of entry id with items in place of its
// own, as approving a revision does (catalog_entries holds the published
// version's data).
func Republish(t testing.TB, db *sqldb.DB, id int64, items []records.Item) {
	t.Helper()
	ctx := context.Background()
	var data string
	if err := db.Read().QueryRowContext(ctx, `SELECT data FROM catalog_entries WHERE id = $1`, id).Scan(&data); err != nil {
		t.Fatalf("republish entry %d: %v", id, err)
	}
	var m map[string]any
	if err := json.Unmarshal([]byte(data), &m); err != nil {
		t.Fatalf("republish entry %d: %v", id, err)
	}
	m["items"] = items
	b, err := json.Marshal(m)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.Write().ExecContext(ctx, `UPDATE catalog_entries SET version = version + 1,
		published_version = version + 1, data = $2 WHERE id = $1`, id, string(b)); err != nil {
		t.Fatalf("republish entry %d: %v", id, err)
	}
}
