package bench

import (
	"context"
	"database/sql"
	"fmt"
	"io"
	"math/rand/v2"
	"strconv"
	"time"

	"github.com/hutong-gov/hutong/internal/audit"
	"github.com/hutong-gov/hutong/internal/catalog"
	"github.com/hutong-gov/hutong/internal/demo"
	"github.com/hutong-gov/hutong/internal/ident"
	"github.com/hutong-gov/hutong/internal/org"
	"github.com/hutong-gov/hutong/internal/records"
	"github.com/hutong-gov/hutong/internal/sqldb"
)

// Bench rows live under their own region, so that a run can reuse any
// Hutong database (a demo, a copy of production) without touching its data
// beyond the rows it adds.
const (
	benchRegion     = "449901"
	benchRegionNext = "449902" // the bench's subjects sort between the two
	benchDept       = "压测中心"
	benchProvider   = "压测数源部门"
	// providerUSCC numbers the provider's credit code (demo.USCC) far
	// above the seeded departments'.
	providerUSCC = 600000
	// searchDepts is how many seeded departments own the generated catalog.
	searchDepts = 40
)

// RecordEntry is a published entry of the provider department holding the
// records of subjects 0 … Subjects-1 of its kind's population.
type RecordEntry struct {
	*records.Entry
	Subjects int
}

// Subject returns the identifier of subject n of e's population: a demo
// person's citizen ID or a demo company's credit code.
func (e RecordEntry) Subject(n int) string {
	if e.SubjectKind == records.LegalEntity {
		return demo.CompanyUSCC(n)
	}
	return demo.PersonID(n)
}

// Built says what one Prepare built; an earlier run on the same database
// had made the rest.
type Built struct {
	Departments    int     `json:"departments"`
	CatalogEntries int     `json:"catalog_entries"`
	RecordEntries  int     `json:"record_entries"`
	Records        int     `json:"records"`
	Seconds        float64 `json:"seconds"`
}

func (b Built) empty() bool {
	return b.Departments == 0 && b.CatalogEntries == 0 && b.RecordEntries == 0 && b.Records == 0
}

// layout splits the records between the kinds — a fifth to companies —
// and each kind's share into entries of a whole population each, but the
// last, which holds what is left.
func layout(records, persons, companies int) (personSizes, companySizes []int) {
	split := func(total, population int) []int {
		var sizes []int
		for ; total > 0; total -= population {
			sizes = append(sizes, min(total, population))
		}
		return sizes
	}
	return split(records-records/5, persons), split(records/5, companies)
}

// Prepare makes sure db holds, under the bench region, the bench's own
// department, cfg.Departments seeded departments (created through the domain
// functions, so with their audit rows), cfg.Entries generated catalog
// entries of the first 40 of them, and a provider department whose entries
// hold cfg.Records records of cfg.Persons persons and cfg.Companies
// companies, pushed through records.Ingest. It builds only what an earlier
// run has not, reports progress to cfg.Out, and issues fresh keys for this
// run.
func Prepare(ctx context.Context, db *sqldb.DB, cfg Config) (*Fixture, error) {
	cfg.defaults()
	out := cfg.Out
	personSizes, companySizes := layout(cfg.Records, cfg.Persons, cfg.Companies)
	var personRes, companyRes []catalog.Resource
	for _, r := range demo.RecordResources() {
		if r.SubjectKind == catalog.Person {
			personRes = append(personRes, r)
		} else {
			companyRes = append(companyRes, r)
		}
	}
	switch {
	case cfg.Persons > maxPersons:
		return nil, fmt.Errorf("bench: at most %d persons (the demo's citizen IDs repeat beyond)", maxPersons)
	case len(personSizes) > len(personRes) || len(companySizes) > len(companyRes):
		return nil, fmt.Errorf("bench: %d records need %d person and %d company entries; there are %d and %d: raise the populations",
			cfg.Records, len(personSizes), len(companySizes), len(personRes), len(companyRes))
	}
	if _, err := db.Migrate(ctx); err != nil {
		return nil, err
	}
	start := time.Now()
	by := audit.Actor{Kind: audit.ActorSystem, ID: "bench", Name: "hutong bench"}
	f := &Fixture{DB: db, Run: strconv.FormatInt(start.UnixNano(), 36), cfg: cfg}

	own, err := department(ctx, db, by, benchDept, 0, true)
	if err != nil {
		return nil, err
	}
	f.DepartmentID = own.ID
	// The bench reads records as the platform operator's department does,
	// which hosts them: conditionally shared entries are read by no other
	// department until share requests exist.
	if !own.IsOperator {
		err := db.Tx(ctx, func(tx *sqldb.Tx) error {
			if _, err := tx.ExecContext(ctx, `UPDATE departments SET is_operator = TRUE WHERE id = $1`, own.ID); err != nil {
				return err
			}
			return audit.Record(ctx, tx, audit.Event{Actor: by, Action: "department.update", ObjectType: "department",
				ObjectID: strconv.FormatInt(own.ID, 10), Detail: audit.Detail("is_operator", "true")}, start)
		})
		if err != nil {
			return nil, fmt.Errorf("bench: prepare %s: %w", benchDept, err)
		}
	}
	provider, err := department(ctx, db, by, benchProvider, providerUSCC, false)
	if err != nil {
		return nil, err
	}

	if f.Departments, err = seedDepartments(ctx, db, by, cfg.Departments, &f.Built, out); err != nil {
		return nil, err
	}
	if err := generateCatalog(ctx, db, f.Departments[:min(searchDepts, len(f.Departments))], cfg.Entries, &f.Built, out); err != nil {
		return nil, err
	}
	plan := make([]planned, 0, len(personSizes)+len(companySizes))
	for i, n := range personSizes {
		plan = append(plan, planned{personRes[i], n})
	}
	for i, n := range companySizes {
		plan = append(plan, planned{companyRes[i], n})
	}
	if f.Records, err = fillRecords(ctx, db, provider.ID, plan, &f.Built, out); err != nil {
		return nil, err
	}
	if !f.Built.empty() {
		// Write what was built to the data files now, rather than while
		// the first scenarios measure: a checkpoint of the write-ahead log.
		// PostgreSQL's CHECKPOINT needs a superuser or pg_checkpoint, which
		// a -pg-dsn user may lack; the run then goes on without it.
		q := "PRAGMA wal_checkpoint(TRUNCATE)"
		if db.Dialect == sqldb.Postgres {
			q = "CHECKPOINT"
		}
		if _, err := db.Write().ExecContext(ctx, q); err != nil {
			fmt.Fprintf(out, "  %s after building: %v (measuring without)\n", q, err)
		}
		f.Built.Seconds = time.Since(start).Seconds()
	}

	err = db.Tx(ctx, func(tx *sqldb.Tx) error {
		_, key, err := org.CreateApp(ctx, tx, by, org.NewApp{Name: "压测" + f.Run, DepartmentID: own.ID,
			Scopes:      []string{"admin", "catalog.read", "catalog.write", "records.write", "data.read", "audit.read"},
			Description: "hutong bench " + start.Format(time.RFC3339)}, start)
		if err != nil {
			return err
		}
		f.AdminKey = key
		_, f.ProviderKey, err = org.CreateApp(ctx, tx, by, org.NewApp{Name: "压测推送" + f.Run, DepartmentID: provider.ID,
			Scopes: []string{"records.write"}, Description: "hutong bench " + start.Format(time.RFC3339)}, start)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("bench: issue keys: %w", err)
	}
	return f, nil
}

// maxPersons bounds the population: demo.PersonID repeats after 219,000.
const maxPersons = 200000

// department returns the bench department named name, creating it (and
// the bench region, with the first) when missing.
func department(ctx context.Context, db *sqldb.DB, by audit.Actor, name string, n int, region bool) (org.Department, error) {
	d, err := org.DepartmentByName(ctx, db.Read(), name)
	if err == nil {
		return d, nil
	}
	err = db.Tx(ctx, func(tx *sqldb.Tx) error {
		if region {
			// The bench region is a district of 广东省, which a demo
			// database already has.
			var provinces int
			if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM regions WHERE code = '440000'`).Scan(&provinces); err != nil {
				return err
			}
			if provinces == 0 {
				if err := org.CreateRegion(ctx, tx, by, &org.Region{Code: "440000", Name: "广东省", Level: org.Province}, time.Now()); err != nil {
					return err
				}
			}
			if err := org.CreateRegion(ctx, tx, by, &org.Region{Code: benchRegion, Name: "压测区", Level: org.District, ParentCode: "440000"}, time.Now()); err != nil {
				return err
			}
		}
		d = org.Department{Name: name, USCC: demo.USCC(benchRegion, n), RegionCode: benchRegion}
		return org.CreateDepartment(ctx, tx, by, &d, time.Now())
	})
	if err != nil {
		return d, fmt.Errorf("bench: prepare %s: %w", name, err)
	}
	return d, nil
}

func seedDepartments(ctx context.Context, db *sqldb.DB, by audit.Actor, n int, built *Built, out io.Writer) ([]int64, error) {
	have, err := seededIDs(ctx, db)
	if err != nil {
		return nil, err
	}
	if len(have) >= n {
		return have[:n], nil
	}
	t0 := time.Now()
	fmt.Fprintf(out, "  seeding %d departments …\n", n-len(have))
	const batch = 1000
	for i := len(have); i < n; i += batch {
		err := db.Tx(ctx, func(tx *sqldb.Tx) error {
			for j := i; j < min(i+batch, n); j++ {
				d := org.Department{Name: fmt.Sprintf("压测部门%06d", j+1), USCC: demo.USCC(benchRegion, j+1), RegionCode: benchRegion}
				if err := org.CreateDepartment(ctx, tx, by, &d, time.Now()); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			return nil, fmt.Errorf("bench: seed departments: %w", err)
		}
	}
	fmt.Fprintf(out, "  seeded in %v\n", time.Since(t0).Round(time.Millisecond))
	built.Departments = n - len(have)
	if have, err = seededIDs(ctx, db); err != nil {
		return nil, err
	}
	return have[:n], nil
}

func seededIDs(ctx context.Context, db *sqldb.DB) ([]int64, error) {
	ids, err := sqldb.IDs(ctx, db.Read(), `SELECT id FROM departments WHERE region_code = $1 AND name LIKE '压测部门%' ORDER BY id`, benchRegion)
	if err != nil {
		return nil, fmt.Errorf("bench: %w", err)
	}
	return ids, nil
}

// generateCatalog tops the entries of depts up to n generated ones
// (catalog.Generate), for catalog search.
func generateCatalog(ctx context.Context, db *sqldb.DB, depts []int64, n int, built *Built, out io.Writer) error {
	var args []any
	in := sqldb.In(db.Read(), &args, depts, 0)
	var have int
	if err := db.Read().QueryRowContext(ctx, `SELECT count(*) FROM catalog_entries WHERE department_id IN `+in,
		args...).Scan(&have); err != nil {
		return fmt.Errorf("bench: count catalog entries: %w", err)
	}
	if have >= n {
		return nil
	}
	t0 := time.Now()
	todo := n - have
	progress := func(done int) {
		fmt.Fprintf(out, "\r  catalog: %d / %d entries generated, %v", done, todo, time.Since(t0).Round(time.Second))
	}
	progress(0)
	rng := rand.New(rand.NewPCG(uint64(have), 2))
	if err := catalog.Generate(ctx, db, depts, todo, rng, nil, progress); err != nil {
		return fmt.Errorf("bench: %w", err)
	}
	fmt.Fprintln(out)
	built.CatalogEntries = todo
	return nil
}

// planned is a record entry to have: its catalog entry and how many
// subjects it holds.
type planned struct {
	res      catalog.Resource
	subjects int
}

// fillRecords makes sure the provider has an entry per plan, each holding
// the records of its first subjects; an entry holding its last subject
// counts as filled (a batch is applied whole or not at all); one holding
// the first subjects of a smaller population is given the rest.
func fillRecords(ctx context.Context, db *sqldb.DB, provider int64, plan []planned, built *Built, out io.Writer) ([]RecordEntry, error) {
	ids := map[string]int64{}
	rows, err := db.Read().QueryContext(ctx, `SELECT id, name FROM catalog_entries WHERE department_id = $1`, provider)
	if err != nil {
		return nil, fmt.Errorf("bench: record entries: %w", err)
	}
	for rows.Next() {
		var id int64
		var name string
		if err := rows.Scan(&id, &name); err != nil {
			rows.Close()
			return nil, err
		}
		ids[name] = id
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	total := 0
	for _, p := range plan {
		total += p.subjects
	}
	t0 := time.Now()
	pusher := records.Pusher{DepartmentID: provider,
		Actor: audit.Actor{Kind: audit.ActorSystem, ID: "bench", Name: "hutong bench", DepartmentID: provider}}
	var entries []RecordEntry
	done := 0
	for i, p := range plan {
		id, ok := ids[p.res.Name]
		if !ok {
			err := db.Tx(ctx, func(tx *sqldb.Tx) (err error) {
				id, err = catalog.PublishGenerated(ctx, tx, provider, p.res, time.Now())
				return err
			})
			if err != nil {
				return nil, fmt.Errorf("bench: record entry %s: %w", p.res.Name, err)
			}
			built.RecordEntries++
		}
		e, err := records.LoadEntry(ctx, db.Read(), id)
		if err != nil {
			return nil, err
		}
		re := RecordEntry{Entry: e, Subjects: p.subjects}
		entries = append(entries, re)
		n, err := heldSubjects(ctx, db, re)
		if err != nil {
			return nil, err
		}
		if n == p.subjects {
			done += p.subjects
			continue
		}
		progress := func(lines int) {
			fmt.Fprintf(out, "\r  records: entry %d / %d, %d / %d records, %v", i+1, len(plan), done+lines, total,
				time.Since(t0).Round(time.Second))
		}
		src := &population{e: re, i: n, at: time.Now().Add(-time.Hour)}
		res, err := records.Ingest(ctx, db, pusher, id, src, time.Now(), records.Options{Progress: progress})
		if err != nil {
			return nil, fmt.Errorf("bench: records of %s: %w", e.Name, err)
		}
		if res.RejectedCount > 0 {
			return nil, fmt.Errorf("bench: records of %s: line %d: %s", e.Name, res.Rejected[0].Line, res.Rejected[0].Reason)
		}
		built.Records += res.Applied
		done += p.subjects
	}
	if built.Records == 0 {
		return entries, nil
	}
	fmt.Fprintln(out)
	// The tables the records filled (catalog.Generate analysed the rest).
	if err := db.Analyze(ctx, "record_versions"); err != nil {
		return nil, fmt.Errorf("bench: %w", err)
	}
	return entries, nil
}

// heldSubjects returns how many of its first subjects e holds: all of
// them when it holds the last one, as a batch is whole or absent and fills
// the first subjects; else the part of a smaller population, which the
// next batch tops up. Records of another population, an earlier version's
// of the demo identifiers, which this run's adds would collide with and its
// reads miss, are refused: a sample of the subjects counted must be held.
func heldSubjects(ctx context.Context, db *sqldb.DB, e RecordEntry) (int, error) {
	held := func(i int) (bool, error) {
		var ok bool
		err := db.Read().QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM record_versions WHERE entry_id = $1 AND subject_id = $2)`,
			e.ID, e.Subject(i)).Scan(&ok)
		return ok, err
	}
	n := e.Subjects
	ok, err := held(n - 1)
	if err == nil && !ok {
		// Not counting the subjects records-ingest adds (newSubject).
		lo, hi := newSubjectRange(e.SubjectKind)
		err = db.Read().QueryRowContext(ctx, `SELECT count(DISTINCT subject_id) FROM record_versions WHERE entry_id = $1
			AND NOT (subject_id >= $2 AND subject_id < $3)`, e.ID, lo, hi).Scan(&n)
	}
	if err != nil {
		return 0, fmt.Errorf("bench: records of %s: %w", e.Name, err)
	}
	if n > e.Subjects {
		return 0, errOtherPopulation(e)
	}
	const samples = 16
	for j := range min(n, samples) {
		i := j * (n - 1) / max(min(n, samples)-1, 1)
		if ok, err := held(i); err != nil {
			return 0, fmt.Errorf("bench: records of %s: %w", e.Name, err)
		} else if !ok {
			return 0, errOtherPopulation(e)
		}
	}
	return n, nil
}

func errOtherPopulation(e RecordEntry) error {
	return fmt.Errorf("bench: the records of %s in this database were built by another version of hutong "+
		"(their subjects are not this version's demo population): build them again in a new database (remove "+
		"the old one, or give -dir or -db another place)", e.Name)
}

// population is the records.Source of an entry's records: an add for each
// subject, with the demo's values and a stable key.
type population struct {
	e  RecordEntry
	i  int
	at time.Time
}

func (p *population) Next(op *records.Op) (int, error) {
	if p.i >= p.e.Subjects {
		return p.i, io.EOF
	}
	s := p.e.Subject(p.i)
	*op = records.Op{Op: records.Add, SubjectID: s, Values: demo.Values(p.e.Entry, s, p.i), ProducedAt: p.at,
		Key: fmt.Sprintf("bench-%d-%d", p.e.ID, p.i)}
	p.i++
	return p.i, nil
}

// newSubject returns the n-th subject that records-ingest adds to entries
// of kind: persons born, and companies registered, in the bench region —
// never one of the demo populations. Their order as strings is the order
// of n, so the greatest stored one tells where the next run goes on.
func newSubject(kind string, n int) string {
	if kind == records.LegalEntity {
		code, err := ident.MakeUSCC("91"+benchRegion, fmt.Sprintf("%08d", n))
		if err != nil {
			panic(err) // the body is eight digits
		}
		return code
	}
	birth := newSubjectEpoch.AddDate(0, 0, n/1000)
	first17 := fmt.Sprintf("%s%s%03d", benchRegion, birth.Format("20060102"), n%1000)
	return first17 + string(ident.CitizenIDCheck(first17))
}

var newSubjectEpoch = time.Date(1950, 1, 1, 0, 0, 0, 0, time.UTC)

// newSubjectRange bounds the identifiers newSubject gives subjects of kind.
func newSubjectRange(kind string) (lo, hi string) {
	if kind == records.LegalEntity {
		return "91" + benchRegion, "91" + benchRegionNext
	}
	return benchRegion, benchRegionNext
}

// nextNewSubject returns the n of the first subject of kind not yet added
// to entry id.
func nextNewSubject(ctx context.Context, db *sqldb.DB, id int64, kind string) (int, error) {
	lo, hi := newSubjectRange(kind)
	var last sql.NullString
	err := db.Read().QueryRowContext(ctx, `SELECT max(subject_id) FROM record_versions WHERE entry_id = $1
		AND subject_id >= $2 AND subject_id < $3`, id, lo, hi).Scan(&last)
	if err != nil || !last.Valid {
		return 0, err
	}
	s := last.String
	if kind == records.LegalEntity {
		n, err := strconv.Atoi(s[8:16])
		return n + 1, err
	}
	birth, err := time.Parse("20060102", s[6:14])
	if err != nil {
		return 0, err
	}
	seq, err := strconv.Atoi(s[14:17])
	if err != nil {
		return 0, err
	}
	days := int(birth.Sub(newSubjectEpoch).Hours() / 24)
	return days*1000 + seq + 1, nil
}
