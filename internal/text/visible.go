package text

import (
	"strings"
	"unicode"
)

// Blank reports whether s shows nothing: it holds only white space
// (unicode.IsSpace: spaces, tabs, line breaks, U+3000, U+00A0) and
// default-ignorable characters (Ignorable: zero-width spaces, BOMs,
// variation selectors, Hangul fillers such as U+3164), or the braille
// blank U+2800, which shows as a space. The empty string is blank. A
// required field that strings.TrimSpace alone checks takes "\u200b" or
// "\u3164" for a value; one that checks Blank refuses them as missing.
func Blank(s string) bool {
	for _, r := range s {
		if !unicode.IsSpace(r) && !Ignorable(r) && r != '\u2800' {
			return false
		}
	}
	return true
}

// NameProblem says why s cannot be a name written on one line (a
// region's, a department's or its short name, an account's display name,
// an app's name, a catalog entry's name), as a clause to follow the
// field's label in a message (部门名称 + 含有换行符); "" when it can.
// It refuses, in this order,
//   - a line break (LF, CR, VT, FF, U+0085, the line and paragraph
//     separators U+2028 and U+2029, which Plain alone lets through);
//   - text that is not Plain on one line (invalid UTF-8, control
//     characters, tabs, noncharacters such as U+FFFF);
//   - a blank name (Blank: only white space and invisible characters);
//   - an invisible character anywhere: a default-ignorable one (Ignorable:
//     zero-width space, BOM, bidi controls, variation selectors such as
//     U+FE0F and U+E0100, Hangul fillers such as U+3164), the braille
//     blank U+2800, which Blank and Fold read as nothing, or another
//     format character (HasFormat).
//
// The empty name is no problem here: a required field refuses it as
// missing, an optional one keeps it. A caller that checked
// !Plain(s, false) || HasFormat(s) checks NameProblem(s) != "" instead,
// after trimming s as before:
//
//	if p := text.NameProblem(name); p != "" {
//		return errs.Field("name", "invalid_characters", "部门名称"+p+"，请修改后再保存")
//	}
func NameProblem(s string) string {
	switch {
	case strings.ContainsAny(s, "\n\r\v\f\u0085\u2028\u2029"):
		return "含有换行符（名称只能写在一行）"
	case !Plain(s, false):
		return "含有控制字符、非字符（如 U+FFFF）或无效的字符编码"
	case s != "" && Blank(s):
		return "只有空白或不可见的字符"
	case strings.ContainsFunc(s, Invisible):
		return "含有不可见的字符（如零宽空格、BOM、文字方向控制符、变体选择符、韩文填充符、盲文空格）"
	}
	return ""
}

// Invisible reports whether r shows nothing: a default-ignorable
// character (Ignorable), another format character (category Cf), or the
// braille blank U+2800. A name (NameProblem) or an identifier holding one
// is refused.
func Invisible(r rune) bool {
	return r == '\u2800' || Ignorable(r) || unicode.Is(unicode.Cf, r)
}
