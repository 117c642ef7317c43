package org_test

import (
	"context"
	"testing"

	"github.com/hutong-gov/hutong/internal/org"
)

// BenchmarkDepartmentSearch looks for a search among 5,000 departments
// with short names as a list page does (the first 50 and the count), on
// each engine: one the keys take (部门 0049x, found in the names and the
// keys) and one they cannot (部门0049（筹）, punctuation: looked for in the
// stored search forms), each matching no department's name as a whole,
// so that both read every department.
func BenchmarkDepartmentSearch(b *testing.B) {
	for _, engine := range benchEngines {
		db := engine.open(b)
		benchDepartmentRegion(b, db)
		createBenchDepartments(b, db, 0, 5000, true)
		for _, s := range []struct{ name, q string }{{"keyed", "部门 0049x"}, {"unkeyed", "部门0049（筹）"}} {
			b.Run(engine.name+"/"+s.name, func(b *testing.B) {
				ctx := context.Background()
				f := org.DepartmentFilter{Q: s.q, Limit: 50}
				for b.Loop() {
					if _, _, err := org.FindDepartments(ctx, db.Read(), f); err != nil {
						b.Fatal(err)
					}
					if _, err := org.CountDepartments(ctx, db.Read(), f); err != nil {
						b.Fatal(err)
					}
				}
			})
		}
	}
}
