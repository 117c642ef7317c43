package catalogio_test

import (
	"testing"

	"github.com/hutong-gov/hutong/internal/catalogio"
)

// TestDetect: a file's format is the one given, else told by its name,
// then its media type, then its first bytes, and a .txt is CSV; a file
// starting as a workbook given, named or typed as CSV is XLSX (until
// 2026-12-06 Detect said CSV and ImportData and ReadHeaders each told
// the workbook again); "" when nothing tells.
func TestDetect(t *testing.T) {
	zip, ole, u16 := []byte("PK\x03\x04\x14\x00\x06\x00"), []byte("\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"), []byte("\xff\xfe\x44\x8d")
	text := []byte("资源名称")
	for _, tc := range []struct {
		given           catalogio.Format
		name, mediaType string
		head            []byte
		want            catalogio.Format
	}{
		{"", "目录.xlsx", "", text, catalogio.XLSX},
		{"", "目录.CSV", "application/octet-stream", zip, catalogio.XLSX},
		{"", "目录.csv", "", ole, catalogio.XLSX}, // the import says to save it as .xlsx
		{"", "", "text/csv", zip, catalogio.XLSX},
		{catalogio.CSV, "目录", "", zip, catalogio.XLSX},
		{catalogio.CSV, "目录.xlsx", "", text, catalogio.CSV},
		{catalogio.CSV, "", "", u16, catalogio.CSV},
		{catalogio.JSONL, "目录.csv", "", zip, catalogio.JSONL},
		{catalogio.XLSX, "目录.csv", "", text, catalogio.XLSX},
		{"", "目录.csv", "", u16, catalogio.CSV},
		{"", "目录.ndjson", "", text, catalogio.JSONL},
		{"", "目录.jsonl", "", zip, catalogio.JSONL},
		{"", "", "text/csv", text, catalogio.CSV},
		{"", "目录", "application/octet-stream", zip, catalogio.XLSX},
		{"", "目录.xls", "", ole, catalogio.XLSX},
		{"", "", "", u16, catalogio.CSV},
		{"", "目录.txt", "text/plain", u16, catalogio.CSV},
		{"", "目录.txt", "", text, catalogio.CSV},
		{"", "目录.txt", "", zip, catalogio.XLSX},
		{"", "目录.xls", "", text, ""},
		{"", "目录.pdf", "application/pdf", []byte("%PDF-1.7"), ""},
		{"", "", "", nil, ""},
	} {
		if got := catalogio.Detect(tc.given, tc.name, tc.mediaType, tc.head); got != tc.want {
			t.Errorf("Detect(%q, %q, %q, %q) = %q, want %q", tc.given, tc.name, tc.mediaType, tc.head, got, tc.want)
		}
	}
}
