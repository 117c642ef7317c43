package catalog

import (
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"
)

// The written form of linked service items (关联政务服务事项), the one form
// the workbook's 关联事项 cell, the CSV column and the console's text box
// share: items separated by ；(also ; | and line breaks), each 名称 or
// 名称（事项代码）. A backslash makes the character after it text: \； \;
// \| \（ \( \） \) \\. FormatServiceItems escapes what would otherwise be
// read differently, so ParseServiceItems gives every item back exactly.
// ParseServiceItems also reads what people type: a separator inside
// brackets that close (事项（甲；乙）) does not separate, and a bracket that
// never closes is text.

// serviceCode is what a service item code may hold, and what a trailing
// bracket must hold to be read as the code rather than as part of the name
// (户口迁移（省内） is a name).
var serviceCode = regexp.MustCompile(`^[0-9A-Za-z._-]+$`)

const (
	serviceSeps    = "；;|\n\r"
	serviceSpecial = serviceSeps + "（(）)\\"
)

// char is a character of the written form; esc marks one written after a
// backslash, which is text whatever it is.
type char struct {
	r   rune
	esc bool
}

func (c char) open() bool  { return !c.esc && (c.r == '（' || c.r == '(') }
func (c char) close() bool { return !c.esc && (c.r == '）' || c.r == ')') }

// FormatServiceItems writes items in the written form, joined by sep (；
// in a cell, a line break in the console).
func FormatServiceItems(items []ServiceItem, sep string) string {
	out := make([]string, len(items))
	for i, s := range items {
		out[i] = formatService(s)
	}
	return strings.Join(out, sep)
}

func formatService(s ServiceItem) string {
	cs := textChars(s.Name)
	// A bracket the name does not close is escaped, so that it groups
	// nothing across items; so is the opening bracket of a trailing
	// （ASCII） that would be read as the code.
	var open []int
	for i, c := range cs {
		switch {
		case c.open():
			open = append(open, i)
		case c.close() && len(open) > 0:
			open = open[:len(open)-1]
		case c.close():
			cs[i].esc = true
		}
	}
	for _, i := range open {
		cs[i].esc = true
	}
	if _, at, ok := codeGroup(cs); ok {
		cs[at].esc = true
	}
	var b strings.Builder
	for _, c := range cs {
		if c.esc || strings.ContainsRune(serviceSeps+"\\", c.r) {
			b.WriteByte('\\')
		}
		b.WriteRune(c.r)
	}
	if s.Code != "" {
		b.WriteString("（" + s.Code + "）")
	}
	return b.String()
}

// ParseServiceItems reads the written form.
func ParseServiceItems(s string) []ServiceItem { return FirstServiceItems(s, -1) }

// FirstServiceItems returns the first n items of ParseServiceItems(s),
// all of them when n is negative, without making the others: the
// console's text box may hold millions (a;a;a…), where the limit is
// MaxServiceItems.
func FirstServiceItems(s string, n int) []ServiceItem {
	cs := make([]char, 0, utf8.RuneCountInString(s))
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		i += size
		if r == '\\' {
			if next, size := utf8.DecodeRuneInString(s[i:]); size > 0 && strings.ContainsRune(serviceSpecial, next) {
				i += size
				cs = append(cs, char{r: next, esc: true})
				continue
			}
		}
		cs = append(cs, char{r: r})
	}
	var out []ServiceItem
	for _, part := range splitChars(cs, serviceSeps, n) {
		item := ServiceItem{Name: charsText(part)}
		if code, at, ok := codeGroup(part); ok {
			item = ServiceItem{Name: charsText(trimChars(part[:at])), Code: code}
		}
		out = append(out, item)
	}
	return out
}

// SplitList splits a multi-valued cell (共享方式, 信息项, 关联资源代码 …) at
// any of seps, but not inside brackets: 广告时长(影视、声音) is one item. Only a
// bracket that closes groups: in 户口迁移（省内；户口登记 the open bracket is
// text, and the cell is two items. Each item is trimmed of white space, and
// empty ones are left out. Linked service items are split so too
// (ParseServiceItems), where a backslash also escapes.
func SplitList(s, seps string) []string {
	var out []string
	for _, part := range splitChars(textChars(s), seps, -1) {
		out = append(out, charsText(part))
	}
	return out
}

// splitChars splits cs at the characters of seps that are neither escaped
// nor inside brackets that close, and returns the parts trimmed
// (trimChars), leaving out empty ones: the first n, all when n is
// negative.
func splitChars(cs []char, seps string, n int) [][]char {
	var out [][]char
	add := func(part []char) {
		if part = trimChars(part); len(part) > 0 {
			out = append(out, part)
		}
	}
	closes := closingBrackets(cs)
	depth, start := 0, 0
	for i, c := range cs {
		if len(out) == n {
			return out
		}
		switch {
		case c.open() && closes[i]:
			depth++
		case c.close() && depth > 0:
			depth--
		case depth == 0 && !c.esc && strings.ContainsRune(seps, c.r):
			add(cs[start:i])
			start = i + 1
		}
	}
	add(cs[start:])
	return out
}

// closingBrackets marks the opening brackets of cs that a later closing
// bracket matches.
func closingBrackets(cs []char) []bool {
	var open []int
	closes := make([]bool, len(cs))
	for i, c := range cs {
		switch {
		case c.open():
			open = append(open, i)
		case c.close() && len(open) > 0:
			closes[open[len(open)-1]] = true
			open = open[:len(open)-1]
		}
	}
	return closes
}

// codeGroup finds a trailing bracket of cs that holds a service item code,
// after a name: the code and the index of its opening bracket.
func codeGroup(cs []char) (code string, at int, ok bool) {
	cs = trimChars(cs)
	if len(cs) == 0 || !cs[len(cs)-1].close() {
		return "", 0, false
	}
	depth := 0
	for i := len(cs) - 1; i >= 0; i-- {
		switch {
		case cs[i].close():
			depth++
		case cs[i].open():
			depth--
		}
		if depth > 0 {
			continue
		}
		code = strings.TrimSpace(charsText(cs[i+1 : len(cs)-1]))
		if !serviceCode.MatchString(code) || len(trimChars(cs[:i])) == 0 {
			return "", 0, false
		}
		for _, c := range cs[i+1 : len(cs)-1] {
			if c.esc {
				return "", 0, false
			}
		}
		return code, i, true
	}
	return "", 0, false
}

func trimChars(cs []char) []char {
	for len(cs) > 0 && !cs[0].esc && unicode.IsSpace(cs[0].r) {
		cs = cs[1:]
	}
	for len(cs) > 0 && !cs[len(cs)-1].esc && unicode.IsSpace(cs[len(cs)-1].r) {
		cs = cs[:len(cs)-1]
	}
	return cs
}

// textChars returns the characters of s, none escaped.
func textChars(s string) []char {
	var cs []char
	for _, r := range s {
		cs = append(cs, char{r: r})
	}
	return cs
}

func charsText(cs []char) string {
	var b strings.Builder
	for _, c := range cs {
		b.WriteRune(c.r)
	}
	return b.String()
}
