package catalog_test

import (
	"context"
	"encoding/json"
	"slices"
	"testing"

	"github.com/hutong-gov/hutong/internal/catalog"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// TestRekeyNamesTokens: an entry stored before search tokens were made from
// text folded as it looks (text.Fold) and named 殡葬服务<U+200B>记录信息 was
// indexed without the bigram 务记 across the invisible character, and its
// abstract 遗体火<U+200B>化 without 火化: a search for its name as it looks
// matched it only widened, and one for 火化 not at all. Its name_key is
// the one RekeyNames already wrote (f6b62d5). RekeyNames re-tokenises it,
// and only it (the other entries' tokens are as they were), with the
// name length of its postings; both searches then find it, and a second
// run changes nothing.
func TestRekeyNamesTokens(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		ctx := context.Background()
		w := newWorld(t, db)
		publish(t, w, w.gaj, household())
		r := household()
		r.Name, r.Abstract = "殡葬服务记录信息", "辖区殡葬服务的遗体火化情况"
		e := publish(t, w, w.gaj, r)
		const name, abstract = "殡葬服务\u200b记录信息", "辖区殡葬服务的遗体火\u200b化情况"
		// As a release before today stored it: the name and abstract as
		// written, the key already re-keyed, the tokens of text folded by
		// width only (no 务记 in the name, no 火化 in the abstract).
		if err := db.Tx(ctx, func(tx *sqldb.Tx) error {
			var data string
			if err := tx.QueryRowContext(ctx, `SELECT data FROM catalog_entries WHERE id = $1`, e.ID).Scan(&data); err != nil {
				return err
			}
			var m map[string]any
			if err := json.Unmarshal([]byte(data), &m); err != nil {
				return err
			}
			m["name"], m["abstract"] = name, abstract
			b, err := json.Marshal(m)
			if err != nil {
				return err
			}
			if _, err := tx.ExecContext(ctx, `UPDATE catalog_entries SET name = $2, name_key = $3, abstract = $4, data = $5 WHERE id = $1`,
				e.ID, name, catalog.NameKey(name), abstract, string(b)); err != nil {
				return err
			}
			_, err = tx.ExecContext(ctx, `DELETE FROM catalog_search_tokens WHERE entry_id = $1 AND token IN ('务记', '火化')`, e.ID)
			return err
		}); err != nil {
			t.Fatal(err)
		}
		type posting struct {
			entry          int64
			token          string
			fields, length int
		}
		postings := func() []posting {
			rows, err := db.Read().QueryContext(ctx, `SELECT entry_id, token, fields, name_len FROM catalog_search_tokens ORDER BY entry_id, token`)
			if err != nil {
				t.Fatal(err)
			}
			defer rows.Close()
			var out []posting
			for rows.Next() {
				var p posting
				if err := rows.Scan(&p.entry, &p.token, &p.fields, &p.length); err != nil {
					t.Fatal(err)
				}
				out = append(out, p)
			}
			if err := rows.Err(); err != nil {
				t.Fatal(err)
			}
			return out
		}
		// found reports whether a search for q finds the entry as a whole match.
		found := func(q string) bool {
			p, err := catalog.Search(ctx, db.Read(), w.scj, catalog.Query{Text: q})
			if err != nil {
				t.Fatalf("search %s: %v", q, err)
			}
			return !p.Widened && slices.ContainsFunc(p.Items, func(s catalog.Summary) bool { return s.ID == e.ID })
		}
		for _, q := range []string{"殡葬服务记录信息", "火化"} {
			if found(q) {
				t.Fatalf("%s finds the entry indexed before the fold: the test stores no old tokens", q)
			}
		}
		before := postings()

		n, err := catalog.RekeyNames(ctx, db, nil)
		if err != nil || n != 1 {
			t.Fatalf("RekeyNames: %d changed, %v; want 1", n, err)
		}
		for _, q := range []string{"殡葬服务记录信息", "火化"} {
			if !found(q) {
				t.Errorf("%s does not find %s after RekeyNames", q, name)
			}
		}
		after := postings()
		var others []posting
		for _, p := range after {
			if p.entry != e.ID {
				others = append(others, p)
				continue
			}
			if p.length != len([]rune(catalog.NameKey(name))) {
				t.Errorf("posting %s: name length %d, want %d", p.token, p.length, len([]rune(catalog.NameKey(name))))
			}
		}
		if !slices.Equal(others, slices.DeleteFunc(before, func(p posting) bool { return p.entry == e.ID })) {
			t.Errorf("the postings of other entries changed")
		}
		if n, err := catalog.RekeyNames(ctx, db, nil); err != nil || n != 0 {
			t.Errorf("second RekeyNames: %d changed, %v; want 0", n, err)
		}
		if again := postings(); !slices.Equal(again, after) {
			t.Errorf("the second RekeyNames changed the postings")
		}
	})
}
