package catalog_test

import (
	"context"
	"encoding/csv"
	"fmt"
	"os"
	"strconv"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/hutong-gov/hutong/internal/audit"
	"github.com/hutong-gov/hutong/internal/catalog"
	"github.com/hutong-gov/hutong/internal/catalog/catalogtest"
	"github.com/hutong-gov/hutong/internal/demo"
	"github.com/hutong-gov/hutong/internal/org"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// BenchmarkImport measures a registration import of a district
// department's whole catalog, 1,200 entries built from the real catalog
// (/work/shared/realdata), on each engine: "create" into a platform that
// knows none of them (the provider is registered too), "update" a second
// import of the same document with every tenth abstract revised (120 new
// versions, 1,080 unchanged).
func BenchmarkImport(b *testing.B) {
	reg := realRegistration(b, 1200)
	for _, engine := range []string{"sqlite", "postgres"} {
		open := sqldbtest.SQLite
		if engine == "postgres" {
			open = sqldbtest.Postgres
		}
		b.Run(engine, func(b *testing.B) {
			b.Run("create", func(b *testing.B) {
				for b.Loop() {
					b.StopTimer()
					db := open(b)
					op := receivingOperator(b, db)
					b.StartTimer()
					if res := importBench(b, db, op, reg); res.Created != len(reg.Entries) {
						b.Fatalf("created %d, want %d", res.Created, len(reg.Entries))
					}
				}
				b.ReportMetric(float64(b.Elapsed().Milliseconds())/float64(b.N)/float64(len(reg.Entries)), "ms/entry")
			})
			b.Run("update", func(b *testing.B) {
				db := open(b)
				op := receivingOperator(b, db)
				importBench(b, db, op, reg)
				rev := reg
				rev.Entries = append([]catalog.RegisteredEntry(nil), reg.Entries...)
				for i := 0; b.Loop(); i++ {
					for k := 0; k < len(rev.Entries); k += 10 {
						rev.Entries[k].Resource.Abstract = reg.Entries[k].Resource.Abstract + "（第" + strconv.Itoa(i+1) + "次修订）"
					}
					if res := importBench(b, db, op, rev); res.Updated != 120 || res.Unchanged != 1080 {
						b.Fatalf("import: %+v, want 120 updated, 1080 unchanged", res)
					}
				}
			})
		})
	}
}

// importBench imports reg into db as op, in one transaction.
func importBench(b testing.TB, db *sqldb.DB, op catalog.Actor, reg catalog.Registration) catalog.ImportResult {
	ctx := context.Background()
	var res catalog.ImportResult
	if err := db.Tx(ctx, func(tx *sqldb.Tx) (err error) {
		res, err = catalog.Import(ctx, tx, op, reg, t0)
		return err
	}); err != nil {
		b.Fatal(err)
	}
	return res
}

// receivingPlatform is a new, empty database of db's engine, the platform
// that receives a registration, and its operator (receivingOperator).
func receivingPlatform(t *testing.T, db *sqldb.DB) (*sqldb.DB, catalog.Actor) {
	t.Helper()
	city := sqldbtest.SQLite(t)
	if db.Dialect == sqldb.Postgres {
		city = sqldbtest.Postgres(t)
	}
	return city, receivingOperator(t, city)
}

// householdRegistration is the registration 公安 exports of its one
// published entry (household), on a new platform of db.
func householdRegistration(t *testing.T, db *sqldb.DB) catalog.Registration {
	t.Helper()
	w := newWorld(t, db)
	publish(t, w, w.gaj, household())
	reg, err := catalog.Export(context.Background(), db.Read(), w.gajID, t0)
	if err != nil || len(reg.Entries) != 1 {
		t.Fatalf("export: %d entries (%v), want 1", len(reg.Entries), err)
	}
	return reg
}

// importRegistration imports reg into city as op, at t0, in one
// transaction.
func importRegistration(city *sqldb.DB, op catalog.Actor, reg catalog.Registration) (res catalog.ImportResult, err error) {
	err = city.Tx(context.Background(), func(tx *sqldb.Tx) error {
		res, err = catalog.Import(context.Background(), tx, op, reg, t0)
		return err
	})
	return res, err
}

// receivingOperator creates the regions and the operator of the platform
// that receives a registration.
func receivingOperator(tb testing.TB, db *sqldb.DB) catalog.Actor {
	tb.Helper()
	ctx := context.Background()
	sys := audit.Actor{Kind: audit.ActorSystem, ID: "bench", Name: "bench"}
	var dept org.Department
	err := db.Tx(ctx, func(tx *sqldb.Tx) error {
		for _, r := range []org.Region{{Code: "440000", Name: "广东省", Level: org.Province},
			{Code: "440605", Name: "南海区", Level: org.District, ParentCode: "440000"}} {
			if err := org.CreateRegion(ctx, tx, sys, &r, t0); err != nil {
				return err
			}
		}
		dept = org.Department{Name: "佛山市政务服务和数据管理局", USCC: "11440600MB2C93920F", RegionCode: "440000", IsOperator: true}
		return org.CreateDepartment(ctx, tx, sys, &dept, t0)
	})
	if err != nil {
		tb.Fatal(err)
	}
	return catalogtest.Actor("fs.admin", dept.ID, true, true)
}

// realRegistration returns a registration of n entries of one district
// department, built from the rows of the real catalog (cycled, with a
// suffix on the second round's names): their names, abstracts, domains,
// update frequencies, open attributes, formats and data items where the
// row has them. A third of the entries are about persons and a third about
// legal entities, with their identifying item. It skips b when the real
// catalog is not there.
func realRegistration(b testing.TB, n int) catalog.Registration {
	f, err := os.Open("/work/shared/realdata/catalog.csv")
	if err != nil {
		b.Skipf("real catalog not available (%v)", err)
	}
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil {
		b.Fatal(err)
	}
	col := map[string]int{}
	for i, name := range rows[0] {
		col[name] = i
	}
	rows = rows[1:]
	provider := catalog.Provider{Name: "南海区统计局", USCC: demo.USCC("440605", 40), RegionCode: "440605"}
	reg := catalog.Registration{Format: catalog.RegistrationFormat, ExportedAt: t0}
	seq := map[string]int{}
	for i := range n {
		row := rows[i%len(rows)]
		get := func(name string) string { return strings.TrimSpace(row[col[name]]) }
		name := cleanName(get("resource_name"), 90)
		if i >= len(rows) {
			name += "（区级）"
		}
		r := catalog.Resource{Name: name, Abstract: get("description"),
			Classification: catalog.Classification{Class: catalog.Departmental, CategoryCode: fmt.Sprintf("%02d", 1+i%12),
				CategoryName: "统计", SubcategoryCode: "001", SubcategoryName: "统计数据"},
			Format: "spreadsheet", ShareType: catalog.Unconditional, ShareMethods: []catalog.ShareMethod{"file"},
			ShareScope: "全区政务部门", OpenAttribute: catalog.NotOpen, UpdateFrequency: "yearly", SecurityLevel: 1 + i%3,
			NetworkZone: "egov_extranet", Domain: catalog.DomainOther, DomainOther: "综合", SubjectKind: catalog.NoSubject}
		if r.Abstract == "" || catalog.IsPlaceholder(r.Abstract) {
			r.Abstract = "本部门" + name + "数据"
		}
		if d, ok := catalog.Lookup("domain", get("domain")); ok && d != catalog.DomainOther {
			r.Domain, r.DomainOther = d, ""
		}
		v := get("update_frequency")
		fr, ok := catalog.Lookup("update_frequency", strings.TrimPrefix(v, "每"))
		switch {
		case ok && fr != string(catalog.FrequencyOther):
			r.UpdateFrequency = catalog.Frequency(fr)
		case v != "" && !catalog.IsPlaceholder(v) && utf8.RuneCountInString(v) <= 50:
			r.UpdateFrequency, r.FrequencyOther = catalog.FrequencyOther, v
		}
		switch get("open_attribute") {
		case "无条件开放", "普遍开放":
			r.OpenAttribute = catalog.Open
		case "有条件开放", "依申请开放":
			r.OpenAttribute, r.OpenConditions = catalog.OpenConditional, "依申请开放"
		}
		if strings.Contains(get("format"), "file") {
			r.Format = "electronic_file"
		}
		switch i % 3 {
		case 0:
			r.SubjectKind = catalog.Person
			r.Items = append(r.Items, catalog.Item{Name: "公民身份号码", Type: "C", Length: 18, IdentifiesSubject: true},
				catalog.Item{Name: "姓名", Type: "C", Length: 50})
		case 1:
			r.SubjectKind = catalog.LegalEntity
			r.Items = append(r.Items, catalog.Item{Name: "统一社会信用代码", Type: "C", Length: 18, IdentifiesSubject: true},
				catalog.Item{Name: "单位名称", Type: "C", Length: 200})
		}
		items := strings.Split(get("data_items"), "|")
		if items[0] == "" {
			items = []string{"年份", "统计指标", "数值", "计量单位", "所属区域", "备注"}[:3+i%4]
		}
		seen := map[string]bool{}
		for _, it := range r.Items {
			seen[it.Name] = true
		}
		for _, it := range items {
			it = cleanName(it, 50)
			if it != "" && !seen[it] && len(r.Items) < 40 {
				seen[it] = true
				r.Items = append(r.Items, catalog.Item{Name: it, Type: "C", Length: 200})
			}
		}
		if es := catalog.ValidateEntry(r); len(es) > 0 {
			b.Fatalf("row %d (%s): %v", i, name, es[0])
		}
		class := r.Classification.Code()
		seq[class]++
		reg.Entries = append(reg.Entries, catalog.RegisteredEntry{Code: fmt.Sprintf("%s/%06d", class, seq[class]),
			Provider: provider, Version: 1, PublishedAt: t0, Resource: r})
	}
	return reg
}

// cleanName drops the characters names may not hold and cuts s to max
// characters.
func cleanName(s string, max int) string {
	s = strings.Map(func(r rune) rune {
		if strings.ContainsRune("<>\"'\\`|{}[]", r) {
			return -1
		}
		return r
	}, s)
	if r := []rune(strings.TrimSpace(s)); len(r) > max {
		return string(r[:max])
	}
	return strings.TrimSpace(s)
}
