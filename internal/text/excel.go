package text

import "strings"

// ExcelError reports whether s, trimmed, is an error value a spreadsheet
// shows in a cell whose formula failed (#N/A of a VLOOKUP that found
// nothing, #REF! of a reference deleted), in upper case as Excel and WPS
// in Chinese write them: an XLSX cell of type e holds one, and a CSV file
// saved from such a sheet its text, which is no data.
func ExcelError(s string) bool {
	switch strings.TrimSpace(s) {
	case "#N/A", "#REF!", "#VALUE!", "#DIV/0!", "#NAME?", "#NULL!", "#NUM!", "#SPILL!", "#CALC!":
		return true
	}
	return false
}
