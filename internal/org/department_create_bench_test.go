package org_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/hutong-gov/hutong/internal/demo"
	"github.com/hutong-gov/hutong/internal/org"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// benchEngines are the engines the department benchmarks run on.
var benchEngines = []struct {
	name string
	open func(testing.TB) *sqldb.DB
}{{"sqlite", sqldbtest.SQLite}, {"postgres", sqldbtest.Postgres}}

// benchDepartmentRegion creates the region the benchmarks' departments
// are created in.
func benchDepartmentRegion(b *testing.B, db *sqldb.DB) {
	err := db.Tx(context.Background(), func(tx *sqldb.Tx) error {
		for _, r := range []org.Region{{Code: "440000", Name: "广东省", Level: org.Province},
			{Code: "440605", Name: "南海区", Level: org.District, ParentCode: "440000"}} {
			if err := org.CreateRegion(context.Background(), tx, admin, &r, t0); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		b.Fatal(err)
	}
}

// createBenchDepartments creates the departments from-th to (from+n-1)-th
// (from 0) of the region, as hutong bench seeds them (org.CreateDepartment,
// a thousand a transaction), each with a short name when short.
func createBenchDepartments(b *testing.B, db *sqldb.DB, from, n int, short bool) {
	ctx := context.Background()
	for i := from; i < from+n; i += 1000 {
		err := db.Tx(ctx, func(tx *sqldb.Tx) error {
			for j := i; j < min(i+1000, from+n); j++ {
				d := org.Department{Name: fmt.Sprintf("压测部门%06d", j+1), USCC: demo.USCC("440605", j+1), RegionCode: "440605"}
				if short {
					d.ShortName = fmt.Sprintf("压测%06d", j+1)
				}
				if err := org.CreateDepartment(ctx, tx, admin, &d, t0); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkCreateDepartment creates one department with a short name a
// transaction, as the API and the console do, in a region of none and of
// 5,000 others, on each engine: the time of a creation should not grow
// with the departments there are.
func BenchmarkCreateDepartment(b *testing.B) {
	for _, engine := range benchEngines {
		for _, existing := range []int{0, 5000} {
			b.Run(fmt.Sprintf("%s/existing=%d", engine.name, existing), func(b *testing.B) {
				db := engine.open(b)
				benchDepartmentRegion(b, db)
				createBenchDepartments(b, db, 0, existing, true)
				next := existing
				for b.Loop() {
					createBenchDepartments(b, db, next, 1, true)
					next++
				}
			})
		}
	}
}

// BenchmarkSeedDepartments creates 10,000 departments in one region as
// hutong bench seeds them (createBenchDepartments), on each engine, and
// reports the time per department. Run it with -benchtime=1x: an
// iteration is the whole seeding, in a database of its own.
func BenchmarkSeedDepartments(b *testing.B) {
	const n = 10000
	for _, engine := range benchEngines {
		b.Run(engine.name, func(b *testing.B) {
			var took time.Duration
			for b.Loop() {
				b.StopTimer()
				db := engine.open(b)
				benchDepartmentRegion(b, db)
				b.StartTimer()
				t := time.Now()
				createBenchDepartments(b, db, 0, n, false)
				took += time.Since(t)
			}
			b.ReportMetric(float64(took.Nanoseconds())/float64(b.N*n), "ns/department")
		})
	}
}

// BenchmarkRekeyDepartments runs RekeyDepartments over 10,000 departments
// whose keys are those of their names, on each engine: the server's
// upkeep runs it on every pass, where it changes nothing but reads every
// department's names.
func BenchmarkRekeyDepartments(b *testing.B) {
	for _, engine := range benchEngines {
		b.Run(engine.name, func(b *testing.B) {
			db := engine.open(b)
			benchDepartmentRegion(b, db)
			createBenchDepartments(b, db, 0, 10000, true)
			for b.Loop() {
				if n, err := org.RekeyDepartments(context.Background(), db); err != nil || n != 0 {
					b.Fatalf("RekeyDepartments: %d changed, %v; want none", n, err)
				}
			}
		})
	}
}
