package catalogio_test

import (
	"bytes"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/xuri/excelize/v2"
	"golang.org/x/text/encoding/simplifiedchinese"

	"github.com/hutong-gov/hutong/internal/catalogio"
	"github.com/hutong-gov/hutong/internal/errs"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// sheetsFile builds an XLSX file with the given sheets (rows of cells).
func sheetsFile(t *testing.T, sheets ...any) []byte {
	t.Helper()
	f := excelize.NewFile()
	defer f.Close()
	for i := 0; i+1 < len(sheets); i += 2 {
		name := sheets[i].(string)
		if i == 0 {
			if err := f.SetSheetName("Sheet1", name); err != nil {
				t.Fatal(err)
			}
		} else if _, err := f.NewSheet(name); err != nil {
			t.Fatal(err)
		}
		for r, row := range sheets[i+1].([][]string) {
			for c, v := range row {
				cell, _ := excelize.CoordinatesToCellName(c+1, r+1)
				if err := f.SetCellStr(name, cell, v); err != nil {
					t.Fatal(err)
				}
			}
		}
	}
	var buf bytes.Buffer
	if err := f.Write(&buf); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func TestReadHeaders(t *testing.T) {
	gbk, err := simplifiedchinese.GB18030.NewEncoder().String("目录名称\t 更新频率 \t\t备注\n户籍\t每月\t\t\n")
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		data []byte
		f    catalogio.Format
		want catalogio.Headers
	}{
		{"csv with BOM", []byte("\ufeff资源名称,数源单位,data_items\n户籍,公安,姓名\n"), catalogio.CSV,
			catalogio.Headers{Entries: []string{"资源名称", "数源单位", "data_items"}}},
		{"GBK, tabs, blank cell", []byte(gbk), catalogio.CSV,
			catalogio.Headers{Entries: []string{"目录名称", "更新频率", "备注"}}},
		{"layout workbook", sheetsFile(t, "说明", [][]string{{"填表说明"}},
			"目录", [][]string{{}, {"资源名称", "资源代码"}, {"户籍", ""}},
			"信息项", [][]string{{"资源代码", "字段名称", "字段类型"}}), catalogio.XLSX,
			catalogio.Headers{Entries: []string{"资源名称", "资源代码"}, ItemsSheet: true, Items: []string{"资源代码", "字段名称", "字段类型"}}},
		{"foreign workbook: first sheet only", sheetsFile(t, "Sheet1", [][]string{{"title", "frequency"}},
			"信息项", [][]string{{"字段名称"}}), catalogio.XLSX,
			catalogio.Headers{Entries: []string{"title", "frequency"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := catalogio.ReadHeaders(tt.data, tt.f)
			if err != nil {
				t.Fatal(err)
			}
			if d := cmp.Diff(tt.want, got); d != "" {
				t.Errorf("headers (-want +got):\n%s", d)
			}
		})
	}

	for _, tt := range []struct {
		name string
		data []byte
		f    catalogio.Format
		code string
	}{
		{"empty csv", []byte("\n,,\n"), catalogio.CSV, "empty_file"},
		{"malformed csv", []byte("a,\"b\n"), catalogio.CSV, "malformed_csv"},
		{"not a workbook", []byte("PK nonsense"), catalogio.XLSX, "malformed_workbook"},
		{"json lines", []byte(`{"name":"x"}`), catalogio.JSONL, "no_columns"},
		{"unknown format", []byte("x"), "", "unknown_format"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			_, err := catalogio.ReadHeaders(tt.data, tt.f)
			e := errs.As(err)
			if e == nil || e.Kind != errs.Invalid || e.Code != tt.code || e.Field != "file" {
				t.Fatalf("got %v, want Invalid %s of field file", err, tt.code)
			}
		})
	}
}

// TestMappingDefaults: a default the import could not read is refused
// when the mapping is saved, naming the field, and nothing is stored.
func TestMappingDefaults(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		w := newWorld(t, db)
		for _, tt := range []struct {
			defaults map[string]string
			field    string
		}{
			{map[string]string{"网络环境": "火星网"}, "defaults.network_zone"},
			{map[string]string{"security_level": "9"}, "defaults.security_level"},
			{map[string]string{"共享方式": "信息查询接口、飞鸽传书"}, "defaults.share_methods"},
			{map[string]string{"数据类型": "Z"}, "defaults.item.type"},
			{map[string]string{"item.length": "长"}, "defaults.item.length"},
			{map[string]string{"资源名称": "x"}, "defaults"},
		} {
			m := catalogio.Mapping{Name: "开放目录", Defaults: tt.defaults}
			err := w.db.Tx(t0Context(), func(tx *sqldb.Tx) error {
				_, err := catalogio.SaveMapping(t0Context(), tx, w.gaj, m, t0)
				return err
			})
			if e := errs.As(err); e == nil || e.Kind != errs.Invalid || e.Field != tt.field {
				t.Errorf("defaults %v: got %v, want Invalid of field %s", tt.defaults, err, tt.field)
			}
		}
		ms, err := catalogio.Mappings(t0Context(), w.db.Read(), w.gajID)
		if err != nil || len(ms) != 0 {
			t.Fatalf("mappings after refused saves: %v %v, want none", ms, err)
		}

		good := catalogio.Mapping{Name: "开放目录", Columns: map[string]string{"目录名称": "资源名称", "备注": ""},
			Defaults: map[string]string{"网络环境": "政务外网", "共享方式": "查询、核验", "数据类型": "varchar(50)", "安全级别": "三级"}}
		err = w.db.Tx(t0Context(), func(tx *sqldb.Tx) error {
			_, err := catalogio.SaveMapping(t0Context(), tx, w.gaj, good, t0)
			return err
		})
		if err != nil {
			t.Fatalf("save a good mapping: %v", err)
		}
		saved, err := catalogio.MappingByName(t0Context(), w.db.Read(), w.gajID, "开放目录")
		if err != nil {
			t.Fatal(err)
		}
		c := saved.Canonical()
		if d := cmp.Diff(map[string]string{"目录名称": "name", "备注": ""}, c.Columns); d != "" {
			t.Errorf("canonical columns (-want +got):\n%s", d)
		}
		if d := cmp.Diff(map[string]string{"network_zone": "政务外网", "share_methods": "查询、核验", "item.type": "varchar(50)",
			"security_level": "三级"}, c.Defaults); d != "" {
			t.Errorf("canonical defaults (-want +got):\n%s", d)
		}
	})
}
