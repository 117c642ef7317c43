package web

import "github.com/hutong-gov/hutong/internal/records"

// historyPageSize is how many versions of a record its page lists at a
// time: a record changed daily for years has thousands.
const historyPageSize = 100

// itemValue is a data item's value in a version of a record.
type itemValue struct{ Item, Value string }

// valueChange is a data item whose value a version changed: Old is ""
// when the version filled it in, New is "" when it cleared it.
type valueChange struct{ Item, Old, New string }

// historyRow is a version of a record as its history shows it: an add with
// its values in full, any other operation with what it changed from the
// version before.
type historyRow struct {
	records.Version
	Full    []itemValue   // add: every value
	Changes []valueChange // change, cancel: the items whose value differs
}

// historyPage is the page of a record's versions (hist, oldest first) its
// page lists: the historyPageSize versions older than seq before (the
// newest when 0), as rows newest first, the versions shown, and the
// cursor of the next page (the seq of its oldest version shown while
// older ones follow, else 0).
func historyPage(e *records.Entry, hist []records.Version, before int64) (rows []historyRow, shown []records.Version, next int64) {
	end := len(hist)
	if before > 0 {
		for end > 0 && hist[end-1].Seq >= before {
			end--
		}
	}
	start := max(0, end-historyPageSize)
	if start > 0 {
		next = hist[start].Seq
	}
	return historyRows(e, hist[:end], start), hist[start:end], next
}

// historyRows turns a record's versions from start on (hist, oldest first)
// into the rows of its history, newest first, each with its items in the
// entry's item order; a change is told against the version before it,
// shown or not.
func historyRows(e *records.Entry, hist []records.Version, start int) []historyRow {
	rows := make([]historyRow, len(hist)-start)
	for i := start; i < len(hist); i++ {
		v := hist[i]
		row := historyRow{Version: v}
		if v.Op == records.Add {
			for _, it := range itemOrder(e, v.Values, nil) {
				row.Full = append(row.Full, itemValue{it, v.Values[it]})
			}
		} else {
			var prev map[string]string // a record's first version is an add
			if i > 0 {
				prev = hist[i-1].Values
			}
			for _, it := range itemOrder(e, v.Values, prev) {
				if old, cur := prev[it], v.Values[it]; old != cur {
					row.Changes = append(row.Changes, valueChange{it, old, cur})
				}
			}
		}
		rows[len(hist)-1-i] = row
	}
	return rows
}

// itemOrder lists the items that have a value in a or b in the entry's
// order (a record's reads serve no other item: records.Entry.served).
func itemOrder(e *records.Entry, a, b map[string]string) []string {
	var out []string
	for _, it := range e.Items {
		if a[it.Name] != "" || b[it.Name] != "" {
			out = append(out, it.Name)
		}
	}
	return out
}
