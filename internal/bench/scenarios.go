package bench

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"runtime"
	"strconv"
	"sync/atomic"
	"time"

	"github.com/hutong-gov/hutong/internal/catalog"
	"github.com/hutong-gov/hutong/internal/demo"
	"github.com/hutong-gov/hutong/internal/records"
)

// readRecord reads the current record of a subject of one of f.Records,
// at prefix+"{id}/subjects/{subject}" (the API and the baseline share the
// shape), with the bearer key when not empty.
func readRecord(f *Fixture, prefix, key string) Request {
	return func(worker, n int) *http.Request {
		k := worker*7919 + n*104729
		e := f.Records[k%len(f.Records)]
		subject := e.Subject(k / len(f.Records) % e.Subjects)
		req, _ := http.NewRequest("GET", prefix+strconv.FormatInt(e.ID, 10)+"/subjects/"+subject+"?purpose=hutong+bench", nil)
		if key != "" {
			req.Header.Set("Authorization", "Bearer "+key)
		}
		return req
	}
}

// queryRecords reads records through the API and checks afterwards that
// every read it was answered left its audit row.
func queryRecords(ctx context.Context, f *Fixture) (Workload, error) {
	var before int64
	if err := f.DB.Read().QueryRowContext(ctx, `SELECT COALESCE(max(seq), 0) FROM audit_log`).Scan(&before); err != nil {
		return Workload{}, err
	}
	check := func(ctx context.Context, answered int64) (string, error) {
		var rows int64
		err := f.DB.Read().QueryRowContext(ctx, `SELECT count(*) FROM audit_log WHERE seq > $1 AND action = 'records.read'`,
			before).Scan(&rows)
		if err != nil {
			return "", err
		}
		if rows != answered {
			return "", fmt.Errorf("%d reads answered but %d records.read audit rows: every read must be audited", answered, rows)
		}
		return fmt.Sprintf("audited: %s reads, %s audit rows", thousands(float64(answered)), thousands(float64(rows))), nil
	}
	return Workload{Request: readRecord(f, f.URL+"/api/v1/records/entries/", f.AdminKey), Check: check}, nil
}

// ingestClients is how many provider systems push batches at once.
const ingestClients = 4

// ingestRecords pushes batches of f.cfg.BatchOps operations to the record
// entries in turn: three quarters change one item of existing subjects,
// the rest add new subjects (newSubject) with the demo's values. Each
// client changes its own subjects (those equal to it modulo the clients),
// so that concurrent batches never change the same record. Afterwards it
// checks that every batch answered was stored with all its operations.
func ingestRecords(ctx context.Context, f *Fixture) (Workload, error) {
	ops := f.cfg.BatchOps
	changes := ops * 3 / 4
	clients := min(f.cfg.Concurrency, ingestClients)
	targets, before, err := pushTargets(ctx, f)
	if err != nil {
		return Workload{}, err
	}
	request := func(worker, n int) *http.Request {
		t := targets[(n*clients+worker)%len(targets)]
		produced := producedNow()
		var body bytes.Buffer
		enc := json.NewEncoder(&body)
		add := func(l opLine) {
			if err := enc.Encode(l); err != nil {
				panic(err) // strings only
			}
		}
		for j := range changes {
			s := t.own(n*changes+j, worker, clients)
			add(t.change(s, produced, fmt.Sprintf("%s-%d-%d-%d", f.Run, worker, n, j), n+j))
		}
		first := int(t.next.Add(int64(ops-changes))) - (ops - changes)
		for j := range ops - changes {
			s := newSubject(t.e.SubjectKind, first+j)
			add(opLine{Op: records.Add, SubjectID: s, ProducedAt: produced, Key: fmt.Sprintf("%s-%d-%d-%d", f.Run, worker, n, changes+j),
				Values: demo.Values(t.e.Entry, s, first+j)})
		}
		return t.post(f, "/batches", "application/x-ndjson", &body)
	}
	return Workload{Request: request, OpsPerRequest: ops, Clients: clients, Check: batchesStored(f, before, ops)}, nil
}

// pushRecords pushes single operations in real time, as a provider's
// system does when a record changes (a licence issued or cancelled): each
// request changes one item of one existing subject, from every client at
// once, each client its own subjects. Afterwards it checks that every
// operation answered was stored; the server group-commits them, so a batch
// holds the operations of one round (records.Pushes).
func pushRecords(ctx context.Context, f *Fixture) (Workload, error) {
	clients := f.cfg.Concurrency
	targets, before, err := pushTargets(ctx, f)
	if err != nil {
		return Workload{}, err
	}
	request := func(worker, n int) *http.Request {
		t := targets[(n*clients+worker)%len(targets)]
		body, err := json.Marshal(t.change(t.own(n, worker, clients), producedNow(), fmt.Sprintf("%s-push-%d-%d", f.Run, worker, n), n))
		if err != nil {
			panic(err) // strings only
		}
		return t.post(f, "/ops", "application/json", bytes.NewReader(body))
	}
	return Workload{Request: request, OpsPerRequest: 1, Check: pushesStored(f, before)}, nil
}

// producedNow is the produced_at of the operations the writing scenarios
// send: a second ago. A record's operations must come in produced_at order
// (an older one is refused, out_of_order): each record is changed by one
// client, one request at a time, and this time grows from request to
// request, scenario to scenario and run to run (the records were built
// produced an hour before their building).
func producedNow() string {
	return time.Now().Add(-time.Second).UTC().Format(time.RFC3339Nano)
}

// opLine is an operation as a provider sends it.
type opLine struct {
	Op         string            `json:"op"`
	SubjectID  string            `json:"subject_id"`
	ProducedAt string            `json:"produced_at"`
	Key        string            `json:"key"`
	Values     map[string]string `json:"values"`
}

// pushTarget is a record entry that writing scenarios change: item is the
// item they change, alts values to change it to, next the next subject
// they add.
type pushTarget struct {
	e    RecordEntry
	item string
	alts []string
	next atomic.Int64
}

// change returns an operation changing t.item of subject s to one of alts.
func (t *pushTarget) change(s int, produced, key string, n int) opLine {
	return opLine{Op: records.Change, SubjectID: t.e.Subject(s), ProducedAt: produced, Key: key,
		Values: map[string]string{t.item: t.alts[n%len(t.alts)]}}
}

// own returns the i-th of the subjects of t that the worker of clients
// changes: those equal to it modulo clients, so that concurrent requests
// never change the same record.
func (t *pushTarget) own(i, worker, clients int) int {
	per := max(t.e.Subjects/clients, 1)
	return (i%per*clients + worker) % t.e.Subjects
}

// post returns the provider's POST of body to path under t's entry.
func (t *pushTarget) post(f *Fixture, path, contentType string, body io.Reader) *http.Request {
	req, _ := http.NewRequest("POST", f.URL+"/api/v1/records/entries/"+strconv.FormatInt(t.e.ID, 10)+path, body)
	req.Header.Set("Authorization", "Bearer "+f.ProviderKey)
	req.Header.Set("Content-Type", contentType)
	return req
}

// pushTargets returns a pushTarget per record entry of f and the last
// record batch before the scenario.
func pushTargets(ctx context.Context, f *Fixture) ([]*pushTarget, int64, error) {
	// The item to change: one that no other record entry has, so that
	// changes do not turn into cross-check discrepancies, and of those the
	// one with the most distinct values among other subjects', so that a
	// change seldom sets the value the record holds (which writes no
	// version: an item of few values, such as 婚姻状况, made 40 % of the
	// changes no-ops). A shared item only when an entry has no other.
	shared := map[string]int{}
	for _, e := range f.Records {
		for _, it := range e.Items {
			shared[catalog.ItemKey(it.Name)]++
		}
	}
	targets := make([]*pushTarget, len(f.Records))
	for i, e := range f.Records {
		t := &pushTarget{e: e}
		samples := make([]map[string]string, 64)
		for j := range samples {
			samples[j] = demo.Values(e.Entry, e.Subject(j%e.Subjects), j+7)
		}
		best, bestUnshared := -1, false
		for _, it := range e.Items {
			if it.IdentifiesSubject {
				continue
			}
			distinct := map[string]bool{}
			for _, v := range samples {
				distinct[v[it.Name]] = true
			}
			unshared := shared[catalog.ItemKey(it.Name)] == 1
			if unshared != bestUnshared && unshared || unshared == bestUnshared && len(distinct) >= best {
				t.item, best, bestUnshared = it.Name, len(distinct), unshared
			}
		}
		for _, v := range samples {
			t.alts = append(t.alts, v[t.item])
		}
		next, err := nextNewSubject(ctx, f.DB, e.ID, e.SubjectKind)
		if err != nil {
			return nil, 0, err
		}
		t.next.Store(int64(next))
		targets[i] = t
	}
	var before int64
	if err := f.DB.Read().QueryRowContext(ctx, `SELECT COALESCE(max(id), 0) FROM record_batches`).Scan(&before); err != nil {
		return nil, 0, err
	}
	return targets, before, nil
}

// storedSince counts the provider's batches after the batch before, the
// operations they applied, and those they skipped: a change to the values
// its record already holds writes no version and is stored in a batch's
// summary as unchanged, and a duplicate is skipped (the scenarios' keys are
// never sent twice, and their changes pick values of other subjects, which
// may be the same).
func storedSince(ctx context.Context, f *Fixture, before int64) (batches, applied, unchanged int64, err error) {
	err = f.DB.Read().QueryRowContext(ctx, `SELECT count(*), COALESCE(sum(ops), 0), COALESCE(sum(duplicates + unchanged), 0)
		FROM record_batches WHERE id > $1 AND department_id = $2`, before, f.Records[0].DepartmentID).Scan(&batches, &applied, &unchanged)
	return batches, applied, unchanged, err
}

// batchesStored checks that every request answered was stored as a batch
// of ops operations, after the batch before.
func batchesStored(f *Fixture, before int64, ops int) func(ctx context.Context, answered int64) (string, error) {
	return func(ctx context.Context, answered int64) (string, error) {
		batches, applied, unchanged, err := storedSince(ctx, f, before)
		if err != nil {
			return "", err
		}
		if batches != answered || applied+unchanged != answered*int64(ops) {
			return "", fmt.Errorf("%d batches of %d answered but %d batches with %d operations applied and %d unchanged stored",
				answered, ops, batches, applied, unchanged)
		}
		return fmt.Sprintf("stored: %s batches, %s operations applied, %s unchanged", thousands(float64(batches)),
			thousands(float64(applied)), thousands(float64(unchanged))), nil
	}
}

// pushesStored checks that every operation answered was applied or found
// unchanged, in the batches of the rounds that group-committed them (a
// round per entry).
func pushesStored(f *Fixture, before int64) func(ctx context.Context, answered int64) (string, error) {
	return func(ctx context.Context, answered int64) (string, error) {
		rounds, applied, unchanged, err := storedSince(ctx, f, before)
		if err != nil {
			return "", err
		}
		if applied+unchanged != answered || rounds == 0 {
			return "", fmt.Errorf("%d operations answered but %d applied and %d unchanged in %d rounds", answered, applied, unchanged, rounds)
		}
		return fmt.Sprintf("stored: %s operations applied, %s unchanged, in %s group commits (%.1f per commit)",
			thousands(float64(applied)), thousands(float64(unchanged)), thousands(float64(rounds)),
			float64(applied+unchanged)/float64(rounds)), nil
	}
}

// searchCatalog searches the catalog with catalog.SampleQueries, one kind
// after the other, from as many clients as there are CPUs — latency, not
// queueing behind other searches, is what a search figure promises — and
// checks afterwards that each kind finds entries.
func searchCatalog(ctx context.Context, f *Fixture) (Workload, error) {
	sample := catalog.SampleQueries()
	kinds := []string{"1char", "2char", "long"}
	get := func(q string) *http.Request {
		req, _ := http.NewRequest("GET", f.URL+"/api/v1/catalog/entries?facets=true&q="+url.QueryEscape(q), nil)
		req.Header.Set("Authorization", "Bearer "+f.AdminKey)
		return req
	}
	request := func(worker, n int) *http.Request {
		k := worker*7919 + n
		qs := sample[kinds[k%len(kinds)]]
		return get(qs[k/len(kinds)%len(qs)])
	}
	check := func(ctx context.Context, _ int64) (string, error) {
		note := "hits of the first query of each kind:"
		for _, kind := range kinds {
			q := sample[kind][0]
			resp, err := http.DefaultClient.Do(get(q).WithContext(ctx))
			if err != nil {
				return "", err
			}
			var page struct {
				Total int `json:"total"`
			}
			err = json.NewDecoder(resp.Body).Decode(&page)
			resp.Body.Close()
			if err != nil {
				return "", fmt.Errorf("search %q: %w", q, err)
			}
			if page.Total == 0 {
				return "", fmt.Errorf("search %q finds nothing", q)
			}
			note += fmt.Sprintf(" %s %s", q, thousands(float64(page.Total)))
		}
		return note, nil
	}
	return Workload{Request: request, Clients: runtime.GOMAXPROCS(0), Check: check}, nil
}
