package catalogio_test

import (
	"fmt"
	"sort"
	"strings"
	"testing"

	"github.com/hutong-gov/hutong/internal/catalogio"
	"github.com/hutong-gov/hutong/internal/catalogio/catalogiotest"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// TestRealCatalog imports the real catalog with the mapping: every row is
// either imported or reported with its reasons, and the normalisations are
// counted.
func TestRealCatalog(t *testing.T) {
	data := catalogiotest.ReadRealCatalog(t)
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		w := newWorld(t, db)

		// Without the mapping's defaults, all or nothing: nothing imported.
		bare := catalogiotest.RealMapping()
		bare.Defaults = nil
		rep, err := importFile(w, w.gaj, data, catalogio.CSV, catalogio.Options{Mapping: bare, AnyProvider: true})
		if err == nil || rep.Imported || rep.Created != 0 && rep.Imported {
			t.Fatalf("import without defaults: got err=%v imported=%v, want rejected", err, rep.Imported)
		}
		if rep.Rows != 844 {
			t.Errorf("got %d rows, want 844", rep.Rows)
		}
		t.Logf("without defaults: %d rows, %d need a fix, %d values normalised; errors by code %v",
			rep.Rows, rep.RowsWithErrors, len(rep.Changes), rep.ErrorCounts)
		if n := resourcesOf(t, w, w.gaj); len(n) != 0 {
			t.Errorf("rejected import stored %d entries", len(n))
		}

		// With defaults and good rows only.
		rep, err = importFile(w, w.gaj, data, catalogio.CSV, catalogio.Options{Mapping: catalogiotest.RealMapping(), AnyProvider: true, GoodOnly: true})
		if err != nil {
			t.Fatalf("import good rows: %v", err)
		}
		if rep.Created+rep.RowsWithErrors != rep.Rows || rep.Rows != 844 {
			t.Errorf("created %d + rows with errors %d != rows %d: a row went missing", rep.Created, rep.RowsWithErrors, rep.Rows)
		}
		if rep.Created == 0 || !rep.Imported {
			t.Errorf("nothing imported")
		}
		failed := map[int]bool{}
		for _, e := range rep.Errors {
			if e.Row == 0 {
				t.Errorf("file-level error: %s", e)
			}
			failed[e.Row] = true
		}
		for _, e := range rep.Entries {
			if (e.Action == "failed") != failed[e.Row] {
				t.Errorf("row %d: action %s but errors reported: %v", e.Row, e.Action, failed[e.Row])
			}
		}
		unknown := 0
		for _, p := range rep.Providers {
			if p.Match == "unknown" {
				unknown++
			}
		}
		normalised := 0
		for _, c := range rep.Changes {
			if c.Reason != "默认值" {
				normalised++
			}
		}
		t.Logf("with defaults, good rows only: %d rows, %d imported, %d need a fix; %d changes (%d normalised values, %d defaults); %d distinct providers (%d unknown)",
			rep.Rows, rep.Created, rep.RowsWithErrors, len(rep.Changes), normalised, len(rep.Changes)-normalised, len(rep.Providers), unknown)
		t.Logf("changes by column: %v", rep.ChangeCounts)
		t.Logf("errors by code: %v", rep.ErrorCounts)
		if testing.Verbose() {
			logTop(t, rep)
		}
		if got := len(resourcesOf(t, w, w.gaj)); got < min(rep.Created, 100) {
			t.Errorf("got %d entries stored, want %d", got, rep.Created)
		}

		// The same file again: the file has no codes, so every entry is
		// found by its name and nothing is created a second time.
		again, err := importFile(w, w.gaj, data, catalogio.CSV, catalogio.Options{Mapping: catalogiotest.RealMapping(), AnyProvider: true, GoodOnly: true})
		if err != nil {
			t.Fatalf("import again: %v", err)
		}
		t.Logf("again: %d created, %d updated, %d unchanged; errors by code %v", again.Created, again.Updated, again.Unchanged, again.ErrorCounts)
		if again.Created != 0 || again.Updated+again.Unchanged != rep.Created || again.ErrorCounts["ambiguous_name"] != 0 {
			t.Errorf("import again: created %d, updated %d, unchanged %d, ambiguous %d; want none created, the %d entries found",
				again.Created, again.Updated, again.Unchanged, again.ErrorCounts["ambiguous_name"], rep.Created)
		}
	})
}

// logTop logs the most frequent normalisations and messages.
func logTop(t *testing.T, rep *catalogio.Report) {
	counts := map[string]int{}
	for _, c := range rep.Changes {
		if c.Reason != "默认值" {
			counts[c.Column+": "+c.From+" → "+c.To]++
		}
	}
	for _, e := range rep.Errors {
		counts["ERROR "+e.Column+": "+e.Code]++
	}
	keys := make([]string, 0, len(counts))
	for k := range counts {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool { return counts[keys[i]] > counts[keys[j]] })
	var b strings.Builder
	for _, k := range keys[:min(60, len(keys))] {
		fmt.Fprintf(&b, "%s  ×%d\n", k, counts[k])
	}
	t.Log("\n" + b.String())
}

// TestSuggestRealHeaders: without a mapping, the real file's headers are
// recognised by their synonyms.
func TestSuggestRealHeaders(t *testing.T) {
	data := catalogiotest.ReadRealCatalog(t)
	header := strings.Split(strings.SplitN(string(data), "\n", 2)[0], ",")
	got := catalogio.Suggest(header, false)
	want := map[string]string{"resource_name": "name", "provider_dept": "provider", "domain": "domain",
		"update_frequency": "update_frequency", "open_attribute": "open_attribute", "data_items": "items",
		"format": "format", "description": "abstract"}
	for h, f := range want {
		if got[h] != f {
			t.Errorf("Suggest(%s) = %q, want %q", h, got[h], f)
		}
	}
}
