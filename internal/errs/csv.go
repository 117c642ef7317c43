package errs

import (
	"encoding/csv"
	"errors"
)

// CSV says in Chinese what encoding/csv found wrong in a CSV file (err is
// a *csv.ParseError or what it wraps), without repeating its English.
func CSV(err error) string {
	switch {
	case errors.Is(err, csv.ErrBareQuote):
		return `未加引号的字段中有引号（"），含引号的字段应整个放在引号中，其中的引号写成两个（""）`
	case errors.Is(err, csv.ErrQuote):
		return `引号（"）不成对：加引号的字段没有结束，或其中的引号没有写成两个（""）`
	case errors.Is(err, csv.ErrFieldCount):
		return "该行的列数与表头不同"
	}
	return "无法按 CSV 读取该行"
}
