package text

import "testing"

func TestExcelError(t *testing.T) {
	for _, s := range []string{"#N/A", " #REF! ", "#VALUE!", "#DIV/0!", "#NAME?", "#NULL!", "#NUM!", "#SPILL!", "#CALC!"} {
		if !ExcelError(s) {
			t.Errorf("ExcelError(%q) = false, want true", s)
		}
	}
	for _, s := range []string{"", "#N/A 查无此人", "N/A", "#", "#REF", "＃N/A"} {
		if ExcelError(s) {
			t.Errorf("ExcelError(%q) = true, want false", s)
		}
	}
}
