package catalogio

import "testing"

// TestQuarterlyUpdate: 每季度更新 and 每季更新 are 每季度, as 每年更新 is 每年;
// they were unknown values.
func TestQuarterlyUpdate(t *testing.T) {
	for _, in := range []string{"每季度更新", "每季更新", "按季更新", "每半年更新"} {
		want := "quarterly"
		if in == "每半年更新" {
			want = "other"
		}
		if c, _, ok := normFrequency(in); !ok || c != want {
			t.Errorf("normFrequency(%q) = %q %v, want %s", in, c, ok, want)
		}
	}
}

// TestTabSeparatedAfterBlankLine: a tab-separated file whose first line is
// blank is read by tabs, as one whose header is its first line; the
// separator was chosen by the first line alone, so such a file was read as
// one column.
func TestTabSeparatedAfterBlankLine(t *testing.T) {
	tb, err := readCSV([]byte("\n资源名称\t摘要\n户籍人口\t辖区户籍人口\n"))
	if err != nil {
		t.Fatal(err)
	}
	if len(tb.header) != 2 || len(tb.rows) != 1 || len(tb.rows[0].cells) != 2 {
		t.Errorf("got header %q and rows %v, want two columns", tb.header, tb.rows)
	}
}
