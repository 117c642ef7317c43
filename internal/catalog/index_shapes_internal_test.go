package catalog

import (
	"context"
	"fmt"
	"math/rand/v2"
	"reflect"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// TestIndexWritesTheTokensOfOneInsert indexes entries of numbers of tokens
// that need each size of index's INSERTs (tokenShapes), and more than the
// largest holds, and compares the posting rows written with
// those of one INSERT of all the entry's tokens (as index wrote them before
// its INSERTs had fixed sizes): the same tokens, fields and copied columns,
// no more and no fewer.
func TestIndexWritesTheTokensOfOneInsert(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		ctx := context.Background()
		depts := benchDepartments(t, db)
		rng := rand.New(rand.NewPCG(3, 4))
		han := []rune("的一是在不了有和人这中大为上个国我以要他时来用们生到作地于出就分对成会可主发年动同工也能下过子说产种面而方后多定行学法所民得经十三之进着等部度家电力里如水化高自二理起小物现实加量都两体制机当使点从业本去把性好应开它合还因由其些然前外天政四日那社义事平形相全表间样与关各重新线内数正心反你明看原又么利比或但质气第向道命此变条只没结解问意建月公无系军很情者最立代想已通并提直题党程展五果料象员革位入常文总次品式活设及管特件长求老头基资边流路级少图山统接知较将组见计别她手角期根论运农指几九区强放决西被干做必战先回则任取据处队南给色光门即保治北造百规热领七海口东导器压志世金增争济阶油思术极交受联什认六共权收证改清己美再采转更单风切打白教速花带安场身车例真务具万每目至达走积示议声报斗完类八离华名确才科张信马节话米整空元况今集温传土许步群广石记需段研界拉林律叫且究观越织装影算低持音众书布复容儿须际商非验连断深难近矿千周委素技备半办青省列习响约支般史感劳便团往酸历市克何除消构府称太准精值号率族维划选标写存候毛亲快效斯院查江型眼王按格养易置派层片始却专状育厂京识适属圆包火住调满县局照参红细引听该铁价严")
		// Entries for every size of INSERT, and more than the largest holds.
		sizes := map[int]bool{}
		for i := range 200 {
			r := GenerateResource(rng, nil)
			n := rng.IntN(150)
			switch {
			case i%4 == 0: // few tokens: a short name, no items
				r.Name, r.Items, n = "证照", nil, rng.IntN(12)
			case i%4 == 1:
				r.Items = r.Items[:1]
			case i%20 == 2:
				n = 300 + rng.IntN(700)
			}
			var sb strings.Builder
			for range n {
				sb.WriteRune(han[rng.IntN(len(han))])
			}
			if i%3 == 0 {
				fmt.Fprintf(&sb, " GB%d ISO%d", i, rng.IntN(99999))
			}
			r.Abstract = sb.String()
			var id int64
			var got, want [][]any
			err := db.Tx(ctx, func(tx *sqldb.Tx) error {
				var err error
				if id, err = PublishGenerated(ctx, tx, depts[i%len(depts)], r, time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)); err != nil {
					return err
				}
				if got, err = postingRows(ctx, tx, id); err != nil {
					return err
				}
				if _, err := tx.ExecContext(ctx, `DELETE FROM catalog_search_tokens WHERE entry_id = $1`, id); err != nil {
					return err
				}
				if err := indexInOneInsert(ctx, tx, id, r); err != nil {
					return err
				}
				want, err = postingRows(ctx, tx, id)
				return err
			})
			if err != nil {
				t.Fatal(err)
			}
			if len(want) != len(tokenFields(r)) || len(want) == 0 {
				t.Fatalf("entry %d: one INSERT wrote %d rows of %d tokens", i, len(want), len(tokenFields(r)))
			}
			sizes[sort.Search(len(tokenShapes), func(k int) bool { return len(want) <= tokenShapes[k].rows })] = true
			if !reflect.DeepEqual(got, want) {
				t.Fatalf("entry %d of %d tokens: index wrote %d rows, one INSERT %d; first rows\n got  %v\n want %v",
					i, len(tokenFields(r)), len(got), len(want), got[:min(3, len(got))], want[:min(3, len(want))])
			}
		}
		if len(sizes) != len(tokenShapes)+1 {
			t.Errorf("entries of %d sizes of INSERT (%v), want every one of %d and more than the largest", len(sizes), sizes, len(tokenShapes))
		}
	})
}

// indexInOneInsert writes the search tokens of entry id as r with one
// INSERT of all of them, as index did before its INSERTs had fixed sizes.
func indexInOneInsert(ctx context.Context, tx *sqldb.Tx, id int64, r Resource) error {
	fields := tokenFields(r)
	tokens := make([]string, 0, len(fields))
	for t := range fields {
		tokens = append(tokens, t)
	}
	sort.Strings(tokens)
	var sb strings.Builder
	args := []any{id}
	for i, t := range tokens {
		if i > 0 {
			sb.WriteString(",")
		}
		fmt.Fprintf(&sb, "(CAST($%d AS TEXT), CAST($%d AS INTEGER))", 2*i+2, 2*i+3)
		args = append(args, t, fields[t])
	}
	_, err := tx.ExecContext(ctx, `INSERT INTO catalog_search_tokens (token, entry_id, fields, attrs, department_id, updated_at, name_len)
		SELECT v.column1, e.id, v.column2, `+attrsSQL("e")+`, e.department_id, e.updated_at, LENGTH(e.name_key)
		FROM (VALUES `+sb.String()+`) v CROSS JOIN catalog_entries e WHERE e.id = $1`, args...)
	return err
}

// postingRows returns the posting rows of entry id, by token.
func postingRows(ctx context.Context, tx *sqldb.Tx, id int64) ([][]any, error) {
	rows, err := tx.QueryContext(ctx, `SELECT token, fields, attrs, department_id, CAST(updated_at AS TEXT), name_len
		FROM catalog_search_tokens WHERE entry_id = $1 ORDER BY token`, id)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out [][]any
	for rows.Next() {
		var token, updated string
		var fields, attrs, dept, nameLen int64
		if err := rows.Scan(&token, &fields, &attrs, &dept, &updated, &nameLen); err != nil {
			return nil, err
		}
		out = append(out, []any{token, fields, attrs, dept, updated, nameLen})
	}
	return out, rows.Err()
}
