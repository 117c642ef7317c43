package catalog

import (
	"context"
	"fmt"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/hutong-gov/hutong/internal/ident"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
	"github.com/hutong-gov/hutong/internal/text"
)

// benchHintDepartments is how many departments BenchmarkNamedDepartments
// makes: a province's departments, districts and towns included.
const benchHintDepartments = 5000

// BenchmarkNamedDepartments measures the public catalog's first page with
// its department hints (Public, Query.Hints) over benchHintDepartments
// departments, each engine, for a text naming no department (户籍人口), a
// department's name exactly, the end of a hundred departments' names
// (统计局) and of all the others' (中心); nohints and nohints4900 are the
// pages of 户籍人口 and 中心 without them.
func BenchmarkNamedDepartments(b *testing.B) {
	for _, engine := range []string{"sqlite", "postgres"} {
		b.Run(engine, func(b *testing.B) {
			var db *sqldb.DB
			if engine == "sqlite" {
				db = sqldbtest.SQLite(b)
			} else {
				db = sqldbtest.Postgres(b)
			}
			ctx := context.Background()
			depts := hintDepartments(b, db)
			if err := Generate(ctx, db, depts, 5000, rand.New(rand.NewPCG(1, 2)), nil, nil); err != nil {
				b.Fatal(err)
			}
			for _, c := range []struct {
				name, text string
				hints      bool
			}{
				{"nohints", "户籍人口", false},
				{"nohints4900", "中心", false},
				{"none", "户籍人口", true},
				{"exact", "第1234统计局", true},
				{"suffix100", "统计局", true},
				{"suffix4900", "中心", true},
			} {
				b.Run(c.name, func(b *testing.B) {
					for b.Loop() {
						if _, err := Public(ctx, db.Read(), Query{Text: c.text, Hints: c.hints}); err != nil {
							b.Fatal(err)
						}
					}
				})
			}
		})
	}
}

// hintDepartments writes benchHintDepartments departments into db, one in
// fifty named 第N统计局 and the others 第N数据中心, and returns their ids.
// It inserts them directly, with their keys: org.CreateDepartment
// compares each new name with all the others.
func hintDepartments(b *testing.B, db *sqldb.DB) []int64 {
	ctx := context.Background()
	var depts []int64
	err := db.Tx(ctx, func(tx *sqldb.Tx) error {
		if _, err := tx.ExecContext(ctx, `INSERT INTO regions (code, name, level) VALUES ('440000', '广东省', 'province')`); err != nil {
			return err
		}
		for i := range benchHintDepartments {
			first17 := fmt.Sprintf("11440000%09d", i)
			check, err := ident.USCCCheck(first17)
			if err != nil {
				return err
			}
			name := fmt.Sprintf("第%d数据中心", i)
			if i%50 == 34 {
				name = fmt.Sprintf("第%d统计局", i)
			}
			var id int64
			if err := tx.QueryRowContext(ctx, `INSERT INTO departments (name, name_key, uscc, region_code, created_at) VALUES ($1, $2, $3, '440000', $4) RETURNING id`,
				name, text.NameKey(name), first17+string(check), time.Now().UTC()).Scan(&id); err != nil {
				return err
			}
			depts = append(depts, id)
		}
		return nil
	})
	if err != nil {
		b.Fatal(err)
	}
	return depts
}
