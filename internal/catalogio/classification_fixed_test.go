package catalogio_test

import (
	"context"
	"strings"
	"testing"

	"github.com/hutong-gov/hutong/internal/catalog"
	"github.com/hutong-gov/hutong/internal/catalogio"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// TestPublishedClassificationFixed: a row that gives a published entry of
// the department another classification, found by name (no resource code)
// or by its code, is an error (classification_fixed) placed on the
// classification column that differs, in the workbook's words, naming the
// entry's code and how the row was matched to it.
func TestPublishedClassificationFixed(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		ctx := context.Background()
		w := newWorld(t, db)
		rep, err := importFile(w, w.gaj, []byte(csvHeader+good("空气质量指数")), catalogio.CSV, catalogio.Options{})
		if err != nil || rep.Created != 1 {
			t.Fatalf("first import: %+v, err %v", rep, err)
		}
		id, code := rep.Entries[0].ID, rep.Entries[0].Code
		if err := db.Tx(ctx, func(tx *sqldb.Tx) error {
			if _, err := catalog.Submit(ctx, tx, w.gaj, id, t0); err != nil {
				return err
			}
			_, err := catalog.Approve(ctx, tx, w.operator, id, t0)
			return err
		}); err != nil {
			t.Fatal(err)
		}
		moved := strings.Replace(good("空气质量指数"), ",01,综合,", ",02,公共安全,", 1)
		for _, tc := range []struct {
			name, row, want string
		}{
			{"by name", moved, "按资源名称“空气质量指数”匹配到已发布的数据资源 " + code + "，其分类"},
			{"by code", strings.Replace(moved, "空气质量指数,,", "空气质量指数,"+code+",", 1), "资源代码“" + code + "”的数据资源已发布，其分类"},
		} {
			rep, err := importFile(w, w.gaj, []byte(csvHeader+tc.row), catalogio.CSV, catalogio.Options{})
			if !catalogio.Rejected(err) || len(rep.Errors) != 1 {
				t.Fatalf("%s: err %v, errors %v, want one", tc.name, err, rep.Errors)
			}
			e := rep.Errors[0]
			if e.Code != "classification_fixed" || e.Row != 2 || e.Column != "项代码" ||
				e.Field != "classification.category_code" || !strings.Contains(e.Message, tc.want) {
				t.Errorf("%s: got %+v, want classification_fixed on 项代码 saying %q", tc.name, e, tc.want)
			}
		}
	})
}
