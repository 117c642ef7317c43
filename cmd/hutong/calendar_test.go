package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestCalendarFileRepeatsBuiltIn: a calendar file that repeats a built-in
// rule word for word is accepted by serve and calendar; one that
// conflicts with a built-in rule is refused by both, naming the file and
// saying the other rule is built in.
func TestCalendarFileRepeatsBuiltIn(t *testing.T) {
	dir := t.TempDir()
	same := filepath.Join(dir, "same.txt")
	clash := filepath.Join(dir, "clash.txt")
	for name, body := range map[string]string{same: "2026-10-01..2026-10-07 holiday 国庆节\n2027-01-01 holiday 元旦\n",
		clash: "2026-10-01..2026-10-08 holiday 国庆节\n"} {
		if err := os.WriteFile(name, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := loadCalendar(same); err != nil {
		t.Errorf("serve -calendar with a built-in rule repeated: %v", err)
	}
	if out, err := hutong(t, nil, "calendar", "-file", same, "2026"); err != nil {
		t.Errorf("calendar -file with a built-in rule repeated: %v\n%s", err, out)
	}
	want := clash + "：第1行：2026-10-01 与内置的放假安排“2026-10-01..2026-10-07 holiday 国庆节”冲突"
	if _, err := loadCalendar(clash); err == nil || message(err) != want {
		t.Errorf("serve -calendar with a conflicting rule: %v, want %s", err, want)
	}
	if _, err := hutong(t, nil, "calendar", "-file", clash, "2026"); err == nil || message(err) != want {
		t.Errorf("calendar -file with a conflicting rule: %v, want %s", err, want)
	}
}

// TestCalendarFileFolder: a folder given as the calendar file is called
// one, in Chinese, by calendar as by serve.
func TestCalendarFileFolder(t *testing.T) {
	dir := t.TempDir()
	_, err := hutong(t, nil, "calendar", "-file", dir, "2026")
	if want := dir + " 是文件夹，不是文件（请检查 -file）"; err == nil || message(err) != want {
		t.Errorf("calendar -file FOLDER: %v, want %s", err, want)
	}
	_, err = loadCalendar(dir)
	if want := dir + " 是文件夹，不是文件（请检查 -calendar 或 HUTONG_CALENDAR）"; err == nil || message(err) != want {
		t.Errorf("serve -calendar FOLDER: %v, want %s", err, want)
	}
	if err != nil && strings.Contains(err.Error(), "directory") {
		t.Errorf("English error: %v", err)
	}
}

// TestCalendarArguments: words after the year are refused as extra
// arguments, saying that flags go before the year, where calendar said to
// give a year that was given (2026 -file x); no year at all asks for one.
func TestCalendarArguments(t *testing.T) {
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"calendar", "2026", "-file", "x.txt"}, "多余的参数 -file x.txt：参数须写在年份之前，如 hutong calendar -file x.txt 2026"},
		{[]string{"calendar", "2026", "2027"}, "多余的参数 2027：只能指定一个年份"},
		{[]string{"calendar"}, "请指定一个年份，如 hutong calendar 2026（用法见 hutong help calendar）"},
	} {
		if out, err := hutong(t, nil, c.args...); err == nil || err.Error() != c.want {
			t.Errorf("hutong %s: %v, want %s\n%s", strings.Join(c.args, " "), err, c.want, out)
		}
	}
}

// TestCalendarEnv: without -file, calendar reads the rules of
// HUTONG_CALENDAR, the file serve runs with, so that the calendar it
// prints is the server's; -file wins over it. calendar ignored it.
func TestCalendarEnv(t *testing.T) {
	dir := t.TempDir()
	clash := filepath.Join(dir, "clash.txt")
	if err := os.WriteFile(clash, []byte("2026-10-01..2026-10-08 holiday 国庆节\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	_, err := hutong(t, map[string]string{"HUTONG_CALENDAR": clash}, "calendar", "2026")
	want := clash + "：第1行：2026-10-01 与内置的放假安排“2026-10-01..2026-10-07 holiday 国庆节”冲突"
	if err == nil || message(err) != want {
		t.Errorf("calendar under HUTONG_CALENDAR: %v, want %s", err, want)
	}
	_, err = hutong(t, map[string]string{"HUTONG_CALENDAR": dir}, "calendar", "2026")
	if want := dir + " 是文件夹，不是文件（请检查 HUTONG_CALENDAR）"; err == nil || message(err) != want {
		t.Errorf("calendar under HUTONG_CALENDAR=FOLDER: %v, want %s", err, want)
	}
	later := filepath.Join(dir, "2027.txt")
	if err := os.WriteFile(later, []byte("2027-02-06..2027-02-14 holiday 春节\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if out, err := hutong(t, map[string]string{"HUTONG_CALENDAR": dir}, "calendar", "-file", later, "2027"); err != nil ||
		!strings.Contains(out, "春节") {
		t.Errorf("calendar -file under HUTONG_CALENDAR: %v, want -file's 春节\n%s", err, out)
	}
	if _, err := hutong(t, nil, "--calendar", clash, "calendar", "2026"); err == nil || message(err) != want {
		t.Errorf("hutong --calendar FILE calendar: %v, want %s", err, want)
	}
	if out, _ := hutong(t, nil, "calendar", "-h"); !strings.Contains(out, "HUTONG_CALENDAR") {
		t.Errorf("calendar -h does not name HUTONG_CALENDAR:\n%s", out)
	}
}

// TestCalendarPartialYear: a file holding only part of a year's notice
// (its 国庆节) leaves the year not covered, and calendar says which
// holidays of the notice it lacks, where it printed no warning at all.
func TestCalendarPartialYear(t *testing.T) {
	only := tempFile(t, "only.txt", "2027-10-01..2027-10-07 holiday 国庆节\n")
	out, stderr, err := hutongApart(t, nil, "calendar", "-file", only, "2027")
	if err != nil {
		t.Fatalf("calendar -file only.txt 2027: %v\n%s", err, stderr)
	}
	if want := "警告：2027 年的放假安排不全，缺少元旦、春节、清明节、劳动节、端午节、中秋节（"; !strings.Contains(stderr, want) {
		t.Errorf("calendar -file only.txt 2027 does not warn %q:\n%s", want, stderr)
	}
	if want := "工作日 253 天"; !strings.Contains(out, want) {
		t.Errorf("calendar -file only.txt 2027 does not say %q:\n%s", want, out)
	}
}

// TestCalendarListAgreesWithTotals: for a year a file covers without its
// 元旦 and 劳动节 (days off by law all the same), the list shows them,
// marked as the law's, and the days off it lists add up to the total,
// where it listed the file's 16 days and said 放假 19 天.
func TestCalendarListAgreesWithTotals(t *testing.T) {
	file := filepath.Join(t.TempDir(), "c2027.txt")
	body := "2027-02-06..2027-02-13 holiday 春节\n2027-04-05 holiday 清明节\n2027-06-09 holiday 端午节\n" +
		"2027-09-15 holiday 中秋节\n2027-10-01..2027-10-05 holiday 国庆节\n2027-12-31..2028-01-02 holiday 元旦\n"
	if err := os.WriteFile(file, []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, year := range []string{"2027", "2028"} {
		out, err := hutong(t, nil, "calendar", "-file", file, year)
		if err != nil {
			t.Fatalf("calendar %s: %v\n%s", year, err, out)
		}
		listed := 0
		for _, line := range strings.Split(out, "\n") {
			if !strings.HasPrefix(line, "  休  ") {
				continue
			}
			var n int
			_, days, _ := strings.Cut(line, "放假 ")
			if _, in, ok := strings.Cut(days, "本年 "); ok {
				days = in
			}
			if _, err := fmt.Sscanf(days, "%d 天", &n); err != nil {
				t.Fatalf("line %q: %v", line, err)
			}
			listed += n
		}
		var total int
		_, after, _ := strings.Cut(out, "其中放假 ")
		if _, err := fmt.Sscanf(after, "%d 天", &total); err != nil {
			t.Fatalf("calendar %s has no total of days off: %v\n%s", year, err, out)
		}
		if listed != total {
			t.Errorf("calendar %s lists %d days off, totals %d:\n%s", year, listed, total, out)
		}
		if year == "2027" {
			for _, want := range []string{"2027-01-01                元旦（法定节日，未见于放假安排），放假 1 天",
				"2027-05-01 至 2027-05-02  劳动节（法定节日，未见于放假安排），放假 2 天",
				"2027-05-03 至 2027-05-04  劳动节补假（法定节日逢周末，按《全国年节及纪念日放假办法》第六条补假，未见于放假安排），放假 2 天",
				"2027-12-31 至 2028-01-02  元旦，放假 3 天，本年 1 天"} {
				if !strings.Contains(out, want) {
					t.Errorf("calendar 2027 does not list %q:\n%s", want, out)
				}
			}
		}
	}
}

// TestCalendarWithoutFixedHolidays: a file of 2027 arranging 春节, 清明节,
// 端午节 and 中秋节 but not 元旦, 劳动节 or 国庆节 counted the year covered:
// calendar printed no warning. It warns now, naming the three.
func TestCalendarWithoutFixedHolidays(t *testing.T) {
	file := filepath.Join(t.TempDir(), "c27.txt")
	body := "2027-02-06..2027-02-14 holiday 春节\n2027-04-03..2027-04-05 holiday 清明节\n" +
		"2027-06-09..2027-06-11 holiday 端午节\n2027-09-15 holiday 中秋节\n"
	if err := os.WriteFile(file, []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
	out, stderr, err := hutongApart(t, nil, "calendar", "-file", file, "2027")
	if err != nil {
		t.Fatalf("calendar -file c27.txt 2027: %v\n%s", err, stderr)
	}
	if want := "警告：2027 年的放假安排不全，缺少元旦、劳动节、国庆节（有完整安排的年份：2025、2026）"; !strings.Contains(stderr, want) {
		t.Errorf("calendar -file c27.txt 2027 does not warn %q:\n%s", want, stderr)
	}
	for _, want := range []string{"2027 年放假安排（不全，缺少元旦、劳动节、国庆节）",
		"2027-10-04 至 2027-10-05  国庆节补假"} {
		if !strings.Contains(out, want) {
			t.Errorf("calendar -file c27.txt 2027 does not say %q:\n%s", want, out)
		}
	}
}

// TestCalendarFileSource: a calendar file that cannot be read names the
// source it came from: --calendar before the command, or HUTONG_CALENDAR,
// where both were called HUTONG_CALENDAR.
func TestCalendarFileSource(t *testing.T) {
	missing := filepath.Join(t.TempDir(), "nonexist.txt")
	_, err := hutong(t, nil, "--calendar", missing, "calendar", "2027")
	if want := "文件 " + missing + " 不存在（请检查 --calendar）"; err == nil || message(err) != want {
		t.Errorf("hutong --calendar MISSING calendar: %v, want %s", err, want)
	}
	_, err = hutong(t, map[string]string{"HUTONG_CALENDAR": missing}, "calendar", "2027")
	if want := "文件 " + missing + " 不存在（请检查 HUTONG_CALENDAR）"; err == nil || message(err) != want {
		t.Errorf("HUTONG_CALENDAR=MISSING hutong calendar: %v, want %s", err, want)
	}
}

// TestCalendarYearRange: a year before the statutory holidays begin
// (1950) is refused naming the range, where calendar 1 said it counted
// 元旦, 劳动节 and 国庆节 and listed none.
func TestCalendarYearRange(t *testing.T) {
	for _, year := range []string{"1", "1949", "10000", "x"} {
		_, err := hutong(t, nil, "calendar", year)
		if want := "年份“" + year + "”无效：日历支持 1950 到 9999 年（法定节假日自 1950 年元旦起放假）"; err == nil || message(err) != want {
			t.Errorf("calendar %s: %v, want %s", year, err, want)
		}
	}
	if out, err := hutong(t, nil, "calendar", "1950"); err != nil || !strings.Contains(out, "1950-10-01 至 1950-10-02") {
		t.Errorf("calendar 1950: %v, want its 国庆节\n%s", err, out)
	}
}

// TestCalendarNoYearNoUsage: calendar without a year says so in one line
// with a hint, as only -h prints the usage, where it printed the whole
// usage before the error.
func TestCalendarNoYearNoUsage(t *testing.T) {
	stdout, stderr, err := hutongApart(t, nil, "calendar")
	if want := "请指定一个年份，如 hutong calendar 2026（用法见 hutong help calendar）"; err == nil || err.Error() != want {
		t.Errorf("calendar: %v, want %s", err, want)
	}
	if stdout != "" || stderr != "" {
		t.Errorf("calendar without a year printed\n%s%s", stdout, stderr)
	}
}
