package main

import (
	"bytes"
	"io"
	"strconv"
	"strings"
	"time"
	"unicode"

	"github.com/hutong-gov/hutong/internal/calendar"
)

// beijingTime formats t as every command prints a time: Beijing time
// (calendar.Location), to the second, as 2026-12-03 14:05:06, whatever
// the time zone of the machine or of the stored value.
func beijingTime(t time.Time) string {
	return t.In(calendar.Location()).Format(time.DateTime)
}

// beijingLabel says that the times printed are Beijing time, as the API's
// messages say it, for a reader outside it who would read 2026-12-03
// 14:05:06 as local time: once in the header of a table's column of times,
// not in each cell, and after a time printed where no header says it.
const beijingLabel = "（北京时间）"

// zhDuration writes d for Chinese text, in hours, minutes and seconds
// (90m reads 1 小时 30 分钟), not as Go's 1h30m0s. Elapsed times ("用时
// 1.2s") stay Go's.
func zhDuration(d time.Duration) string {
	var parts []string
	if h := d / time.Hour; h > 0 {
		parts = append(parts, strconv.FormatInt(int64(h), 10)+" 小时")
	}
	if m := d % time.Hour / time.Minute; m > 0 {
		parts = append(parts, strconv.FormatInt(int64(m), 10)+" 分钟")
	}
	if s := (d % time.Minute).Round(time.Millisecond); s > 0 || len(parts) == 0 {
		parts = append(parts, strconv.FormatFloat(s.Seconds(), 'f', -1, 64)+" 秒")
	}
	return strings.Join(parts, " ")
}

// displayWidth is the number of terminal columns s takes: two for East
// Asian wide and fullwidth characters (汉字, fullwidth punctuation such as
// "：" and "（", kana, hangul), none for combining marks, format characters
// and controls, one for the rest. Characters of ambiguous width ("—",
// "·", "…") count as one, as terminals outside CJK locales show them.
func displayWidth(s string) int {
	w := 0
	for _, r := range s {
		w += runeWidth(r)
	}
	return w
}

func runeWidth(r rune) int {
	switch {
	case r < 0x20 || r >= 0x7f && r < 0xa0:
		return 0
	case r < 0x300:
		return 1
	case unicode.In(r, unicode.Mn, unicode.Me, unicode.Cf), r >= 0x1160 && r <= 0x11ff: // hangul medial vowels and finals join
		return 0
	case r >= 0x1100 && r <= 0x115f,
		r >= 0x2e80 && r <= 0x303e, // CJK radicals, punctuation (、。「」)
		r >= 0x3041 && r <= 0x33ff, // kana, bopomofo, CJK symbols
		r >= 0x3400 && r <= 0x4dbf, // CJK extension A
		r >= 0x4e00 && r <= 0x9fff, // CJK unified ideographs
		r >= 0xa000 && r <= 0xa4cf, // Yi
		r >= 0xac00 && r <= 0xd7a3, // hangul syllables
		r >= 0xf900 && r <= 0xfaff, // CJK compatibility ideographs
		r >= 0xfe10 && r <= 0xfe19, // vertical forms
		r >= 0xfe30 && r <= 0xfe6f, // CJK compatibility forms, small forms
		r >= 0xff00 && r <= 0xff60, // fullwidth forms
		r >= 0xffe0 && r <= 0xffe6,
		r >= 0x1f300 && r <= 0x1f64f, // pictographs, emoticons
		r >= 0x1f900 && r <= 0x1f9ff,
		r >= 0x20000 && r <= 0x3fffd: // CJK extensions B and later
		return 2
	}
	return 1
}

// padRight pads s with spaces to width terminal columns.
func padRight(s string, width int) string {
	if w := displayWidth(s); w < width {
		return s + strings.Repeat(" ", width-w)
	}
	return s
}

// table aligns tab-separated columns as text/tabwriter does (with
// padding 2 and no minimum width), but measures cells in terminal
// columns: tabwriter counts runes, so a column of Chinese names pushed the
// columns after it out of line. As in tabwriter, a cell is a column's
// when a tab ends it; the text after a line's last tab is not padded, and
// a column's width is set by the consecutive lines that have that column
// (a line without it, like an empty one, starts a new block).
type table struct {
	out io.Writer
	buf bytes.Buffer
}

const tablePadding = 2

func newTable(out io.Writer) *table { return &table{out: out} }

func (t *table) Write(p []byte) (int, error) { return t.buf.Write(p) }

// Flush writes what was written so far, aligned.
func (t *table) Flush() error {
	lines := strings.Split(t.buf.String(), "\n")
	t.buf.Reset()
	cells := make([][]string, len(lines))
	for i, l := range lines {
		cells[i] = strings.Split(l, "\t")
	}
	// widths[i][k] is the width of column k on line i, padding included.
	widths := make([][]int, len(lines))
	for k := 0; ; k++ {
		found := false
		for i := 0; i < len(lines); {
			if k >= len(cells[i])-1 {
				i++
				continue
			}
			found = true
			w, j := 0, i
			for ; j < len(lines) && k < len(cells[j])-1; j++ {
				w = max(w, displayWidth(cells[j][k]))
			}
			for ; i < j; i++ {
				widths[i] = append(widths[i], w+tablePadding)
			}
		}
		if !found {
			break
		}
	}
	var b strings.Builder
	for i, row := range cells {
		for k, c := range row {
			if k < len(row)-1 {
				b.WriteString(padRight(c, widths[i][k]))
			} else {
				b.WriteString(c)
			}
		}
		if i < len(lines)-1 {
			b.WriteByte('\n')
		}
	}
	_, err := io.WriteString(t.out, b.String())
	return err
}
