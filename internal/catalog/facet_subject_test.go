package catalog

import (
	"context"
	"fmt"
	"math/rand/v2"
	"path/filepath"
	"slices"
	"strconv"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/hutong-gov/hutong/internal/audit"
	"github.com/hutong-gov/hutong/internal/ident"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// TestSubjectKindFacet checks that Search counts its hits per subject kind
// (the facet subject_kind) as Search filtered by each kind counts them:
// browsing without text (catalog_facet_counts, kept by the triggers of
// migration 0031 and, for Generate's bulk load on PostgreSQL, by
// facetCountsSQL), text queries on the fast path, widened queries, and
// codes, for a department's reader and the operator, with other filters.
// Entries change subject kind and status after the load and some are
// deleted, through the triggers.
func TestSubjectKindFacet(t *testing.T) {
	eachCatalog(t, 1500, func(t *testing.T, db *sqldb.DB) {
		ctx := context.Background()
		for _, stmt := range []string{
			`UPDATE catalog_entries SET subject_kind = 'person' WHERE id % 3 = 0`,
			`UPDATE catalog_entries SET subject_kind = 'legal_entity' WHERE id % 5 = 1`,
			`UPDATE catalog_entries SET status = 'retired' WHERE id % 7 = 0`,
			`UPDATE catalog_entries SET status = 'draft' WHERE id % 11 = 0`,
		} {
			if _, err := db.Write().ExecContext(ctx, stmt); err != nil {
				t.Fatal(err)
			}
		}
		deleteEntries(t, db, `SELECT id FROM catalog_entries WHERE id % 17 = 0`)
		// Entries written one at a time, of every kind, for the widened
		// queries.
		names := []string{"食品经营许可信息", "无犯罪记录证明信息", "不动产登记证明材料", "户籍人口基本信息", "婚姻登记证明"}
		rng := rand.New(rand.NewPCG(9, 10))
		err := db.Tx(ctx, func(tx *sqldb.Tx) error {
			for i := range 60 {
				r := benchResource(rng, nil)
				r.Name, r.SubjectKind = names[i%len(names)], SubjectKind(subjectKinds[i%len(subjectKinds)].Code)
				if _, err := PublishGenerated(ctx, tx, int64(1+i%5), r, time.Now()); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}

		var texts []string
		for _, kind := range []string{"1char", "2char", "long"} {
			texts = append(texts, benchQueries[kind]...)
		}
		texts = append(texts, "", "身份证 登记", "305001")
		reader := Actor{Actor: audit.Actor{DepartmentID: 3}}
		operator := Actor{Operator: true}
		queries := []Query{{}, {SharedOnly: true}, {ShareType: Conditional}, {Statuses: []Status{Published, Retired}},
			{Statuses: []Status{Draft, Published}}, {DepartmentID: 5}, {Domain: "03"}, {Sort: ByName}}
		// Each text meets the unfiltered query and every third filter,
		// turning with the text, so that each filter meets a third of the
		// texts of every kind; the empty text, which the filters alone send
		// to browse or not, meets every filter. These reach the branches
		// the whole cross product reached (measured with -coverprofile).
		for _, by := range []Actor{reader, operator} {
			for j, base := range queries {
				for i, text := range append(slices.Clone(texts), benchWidened...) {
					if text != "" && j > 0 && (i+j)%3 != 0 {
						continue
					}
					q := base
					q.Text = text
					checkSubjectKindFacet(t, db, by, q)
				}
			}
		}
		// The widened queries are (most of them: an entry may hold one
		// whole).
		wide := 0
		for _, text := range benchWidened {
			if widened(t, db, operator, Query{Text: text}) && mustSearch(t, db, Query{Text: text, Count: true}).Total > 0 {
				wide++
			}
		}
		if wide < len(benchWidened)-1 {
			t.Errorf("%d of %q widened", wide, benchWidened)
		}
		p := mustSearch(t, db, Query{Facets: true})
		if len(p.Facets["subject_kind"]) != len(subjectKinds) {
			t.Errorf("browsing counts subject kinds %v, want all %d", p.Facets["subject_kind"], len(subjectKinds))
		}
	})
}

// checkSubjectKindFacet checks that the subject_kind facet of q's hits
// counts them, read page after page, by subject kind, and that they add up
// to the total; and that q filtered by each kind finds as many, which its
// facet counts alone. A widened query (wideSearch) finds what the filter
// leaves of its hits only when the filter leaves it widened or not as it
// was, which the filter decides: 食品经营许可变更登记 whole may be in entries of
// one kind alone, the filtered query then widened to others.
func checkSubjectKindFacet(t *testing.T, db *sqldb.DB, by Actor, q Query) {
	t.Helper()
	ctx := context.Background()
	search := func(q Query) Page {
		t.Helper()
		p, err := Search(ctx, db.Read(), by, q)
		if err != nil {
			t.Fatal(err)
		}
		return p
	}
	q.Facets, q.Limit = true, 5
	p := search(q)
	got := map[string]int{}
	for _, f := range p.Facets["subject_kind"] {
		got[f.Value+" "+f.Label] = f.Count
	}
	hits, n := map[string]int{}, 0
	for w := (Query{}); w.Cursor != "" || n == 0; n++ {
		c := w.Cursor
		w = q
		w.Facets, w.Limit, w.Cursor = false, 100, c
		page := search(w)
		for _, s := range page.Items {
			hits[string(s.SubjectKind)+" "+s.SubjectKind.Label()]++
		}
		w.Cursor = page.NextCursor
	}
	sum := 0
	for _, c := range hits {
		sum += c
	}
	if diff := cmp.Diff(hits, got); diff != "" || sum != p.Total {
		t.Fatalf("%s: subject_kind facet (-hits by kind +facet):\n%s\ntotal %d, %d hits", describe(q, by), diff, p.Total, sum)
	}
	wide := widened(t, db, by, q)
	for _, o := range subjectKinds {
		f := q
		f.SubjectKind = SubjectKind(o.Code)
		c := search(f)
		want := map[string]int{}
		if c.Total > 0 {
			want[o.Code] = c.Total
		}
		facet := map[string]int{}
		for _, fc := range c.Facets["subject_kind"] {
			facet[fc.Value] = fc.Count
		}
		if !cmp.Equal(facet, want) {
			t.Fatalf("%s, filtered by %s: subject_kind facet %v, total %d", describe(q, by), o.Code, facet, c.Total)
		}
		if key := o.Code + " " + o.Label; c.Total != hits[key] && widened(t, db, by, f) == wide {
			t.Fatalf("%s: %d hits of subject kind %s, filtered by it %d", describe(q, by), hits[key], o.Code, c.Total)
		}
	}
}

// widened reports whether Search widens q (wideSearch): a query of Han
// bigrams, in any order, that no entry by may see holds whole.
func widened(t *testing.T, db *sqldb.DB, by Actor, q Query) bool {
	t.Helper()
	if !widens(queryTokens(meaningful(q.Text))) {
		return false
	}
	q.Text, q.Sort, q.Facets, q.Count, q.Limit, q.Cursor = meaningful(q.Text), ByRelevance, false, true, 1, ""
	p, err := slowSearch(context.Background(), db.Read(), by, q, nil)
	if err != nil {
		t.Fatal(err)
	}
	return p.Total == 0
}

// describe names a query and its reader in a failure.
func describe(q Query, by Actor) string {
	return fmt.Sprintf("%q (statuses %v, shared only %v, share type %q, department %d, domain %q, sort %q) by department %d, operator %v",
		q.Text, q.Statuses, q.SharedOnly, q.ShareType, q.DepartmentID, q.Domain, q.Sort, by.DepartmentID, by.Operator)
}

// deleteEntries deletes the entries whose ids query selects, with their
// rows, as Delete does.
func deleteEntries(t *testing.T, db *sqldb.DB, query string) {
	t.Helper()
	ctx := context.Background()
	var ids []int64
	for _, row := range sqldbtest.QueryRows(t, db.Read(), query) {
		id, err := strconv.ParseInt(row[0], 10, 64)
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, id)
	}
	if len(ids) == 0 {
		t.Fatalf("%s: no entries", query)
	}
	err := db.Tx(ctx, func(tx *sqldb.Tx) error {
		for _, id := range ids {
			for _, stmt := range []string{`DELETE FROM catalog_search_tokens WHERE entry_id = $1`,
				`DELETE FROM catalog_item_keys WHERE entry_id = $1`, `DELETE FROM catalog_entry_versions WHERE entry_id = $1`,
				`DELETE FROM catalog_entries WHERE id = $1`} {
				if _, err := tx.ExecContext(ctx, stmt, id); err != nil {
					return err
				}
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// TestFacetCountMigration0031 stores entries of every subject kind on a
// database migrated up to 0030, whose triggers (migration 0005) do not
// count subject kinds, migrates it and checks that catalog_facet_counts
// then holds, for every facet, subject_kind among them, the counts of the
// entries stored before, and keeps them as entries are added, changed and
// deleted; and that browsing counts the subject kinds as filtered searches
// count them.
func TestFacetCountMigration0031(t *testing.T) {
	const before = "0031_catalog_facet_subject_kind.sql"
	forEngine(t, func(t *testing.T, db *sqldb.DB) {
		ctx := context.Background()
		// The migrations from 0031 on are marked applied: Migrate stops
		// before them.
		names, err := sqldb.Migrations(db.Dialect)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := db.Write().ExecContext(ctx, `CREATE TABLE schema_migrations (name TEXT PRIMARY KEY, applied_at TIMESTAMP NOT NULL)`); err != nil {
			t.Fatal(err)
		}
		var later []string
		for _, name := range names {
			if name >= before {
				later = append(later, name)
				if _, err := db.Write().ExecContext(ctx, `INSERT INTO schema_migrations (name, applied_at) VALUES ($1, $2)`,
					name, time.Now().UTC()); err != nil {
					t.Fatal(err)
				}
			}
		}
		if len(later) == 0 || later[0] != before {
			t.Fatalf("migrations %v: no %s", names, before)
		}
		if applied, err := db.Migrate(ctx); err != nil || applied[len(applied)-1] >= before {
			t.Fatalf("migrated %v (%v)", applied, err)
		}

		depts := oldSchemaDepartments(t, db, 7)
		rng := rand.New(rand.NewPCG(11, 12))
		at := time.Now().Add(-time.Hour)
		err = db.Tx(ctx, func(tx *sqldb.Tx) error {
			for i := range 150 {
				r := GenerateResource(rng, nil)
				r.SubjectKind = SubjectKind(subjectKinds[i%len(subjectKinds)].Code)
				if _, err := PublishGenerated(ctx, tx, depts[i%7], r, at.Add(time.Duration(i)*time.Second)); err != nil {
					return err
				}
			}
			_, err := tx.ExecContext(ctx, `UPDATE catalog_entries SET status = 'retired' WHERE id % 4 = 0`)
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		if rows := sqldbtest.QueryRows(t, db.Read(), `SELECT value FROM catalog_facet_counts WHERE facet = 'subject_kind'`); len(rows) != 0 {
			t.Fatalf("before 0031: subject kinds counted %v", rows)
		}

		if _, err := db.Write().ExecContext(ctx, `DELETE FROM schema_migrations WHERE name >= $1`, before); err != nil {
			t.Fatal(err)
		}
		if applied, err := db.Migrate(ctx); err != nil || !cmp.Equal(applied, later) {
			t.Fatalf("migrated %v, want %v (%v)", applied, later, err)
		}
		checkFacetCounts(t, db, "after 0031")
		for _, by := range []Actor{{}, {Operator: true}} {
			for _, q := range []Query{{}, {Statuses: []Status{Published, Retired}}, {SharedOnly: true}} {
				checkSubjectKindFacet(t, db, by, q)
			}
		}

		// The triggers of 0031 keep the counts.
		for _, stmt := range []string{
			`UPDATE catalog_entries SET subject_kind = 'person' WHERE id % 5 = 0`,
			`UPDATE catalog_entries SET status = 'published', subject_kind = 'legal_entity' WHERE id % 8 = 0`,
		} {
			if _, err := db.Write().ExecContext(ctx, stmt); err != nil {
				t.Fatal(err)
			}
		}
		deleteEntries(t, db, `SELECT id FROM catalog_entries WHERE id % 9 = 0`)
		err = db.Tx(ctx, func(tx *sqldb.Tx) error {
			for i := range 30 {
				r := GenerateResource(rng, nil)
				r.SubjectKind = SubjectKind(subjectKinds[i%len(subjectKinds)].Code)
				if _, err := PublishGenerated(ctx, tx, depts[i%3], r, time.Now()); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		checkFacetCounts(t, db, "after changes")
		checkSubjectKindFacet(t, db, Actor{}, Query{})
	})
}

// forEngine runs fn on a new, empty database of each engine, as the
// subtests "sqlite" and "postgres".
func forEngine(t *testing.T, fn func(t *testing.T, db *sqldb.DB)) {
	t.Run("sqlite", func(t *testing.T) {
		db, err := sqldb.Open(context.Background(), filepath.Join(t.TempDir(), "old.db"), sqldb.Options{})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { db.Close() })
		fn(t, db)
	})
	t.Run("postgres", func(t *testing.T) {
		db := sqldbtest.Postgres(t)
		if _, err := db.Write().ExecContext(context.Background(), `DROP SCHEMA public CASCADE; CREATE SCHEMA public`); err != nil {
			t.Fatal(err)
		}
		fn(t, db)
	})
}

// checkFacetCounts checks that catalog_facet_counts holds, for every
// status, share type, facet and value, how many entries have them, as
// counted here from the entries.
func checkFacetCounts(t *testing.T, db *sqldb.DB, stage string) {
	t.Helper()
	want := map[string]int{}
	for _, r := range sqldbtest.QueryRows(t, db.Read(), `SELECT status, share_type, CAST(department_id AS TEXT), domain,
		update_frequency, CAST(security_level AS TEXT), open_attribute, subject_kind, CAST(share_methods AS TEXT) FROM catalog_entries`) {
		key := r[0] + "|" + r[1] + "|"
		for i, facet := range []string{"department_id", "domain", "update_frequency", "security_level", "open_attribute", "subject_kind"} {
			want[key+facet+"|"+r[2+i]]++
		}
		want[key+"share_type|"+r[1]]++
		methods, err := strconv.Atoi(r[8])
		if err != nil {
			t.Fatal(err)
		}
		for i, o := range shareMethods {
			if methods&(1<<i) != 0 {
				want[key+"share_methods|"+o.Code]++
			}
		}
	}
	got := map[string]int{}
	for _, r := range sqldbtest.QueryRows(t, db.Read(), `SELECT status, share_type, facet, value, CAST(n AS TEXT) FROM catalog_facet_counts WHERE n <> 0`) {
		n, err := strconv.Atoi(r[4])
		if err != nil {
			t.Fatal(err)
		}
		got[r[0]+"|"+r[1]+"|"+r[2]+"|"+r[3]] = n
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("%s: catalog_facet_counts (-entries +table):\n%s", stage, diff)
	}
}

// oldSchemaDepartments stores n departments of region 440000 in a
// database migrated to an older release, whose departments lack the
// columns org.CreateDepartment writes today (name keys, 0045), as that
// release stored them.
func oldSchemaDepartments(t *testing.T, db *sqldb.DB, n int) []int64 {
	t.Helper()
	ctx := context.Background()
	var depts []int64
	err := db.Tx(ctx, func(tx *sqldb.Tx) error {
		if _, err := tx.ExecContext(ctx, `INSERT INTO regions (code, name, level) VALUES ('440000', '广东省', 'province')`); err != nil {
			return err
		}
		for i := range n {
			first17 := fmt.Sprintf("11440000%09d", i)
			check, err := ident.USCCCheck(first17)
			if err != nil {
				return err
			}
			var id int64
			if err := tx.QueryRowContext(ctx, `INSERT INTO departments (name, uscc, region_code, created_at) VALUES ($1, $2, '440000', $3) RETURNING id`,
				"部门"+strconv.Itoa(i), first17+string(check), time.Now().UTC()).Scan(&id); err != nil {
				return err
			}
			depts = append(depts, id)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return depts
}
