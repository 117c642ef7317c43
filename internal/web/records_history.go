package web

import "github.com/hutong-gov/hutong/internal/records"

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

// historyRows turns a record's versions, oldest first, into the rows of its
// history, newest first, each with its items in the entry's item order.
func historyRows(e *records.Entry, hist []records.Version) []historyRow {
	rows := make([]historyRow, len(hist))
	for i, v := range hist {
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
