package web_test

import (
	"html"
	"net/http"
	"regexp"
	"testing"
)

// crawl GETs the pages of start, and the pages their links lead to, up to
// most pages: a link is the first group of a match of re in a page,
// HTML-unescaped, followed when follow (nil: always; asked of every link
// found) keeps it and it was not seen. Every page must answer 200; check
// (nil: none) looks at each. It returns the pages seen.
func crawl(t *testing.T, c *client, re *regexp.Regexp, most int, start []string,
	follow func(from, link string) bool, check func(u string, r response)) map[string]bool {
	t.Helper()
	seen := map[string]bool{}
	todo := start
	for len(todo) > 0 && len(seen) < most {
		u := todo[0]
		todo = todo[1:]
		if seen[u] {
			continue
		}
		seen[u] = true
		r := c.get(u)
		wantStatus(t, "GET "+u, r, http.StatusOK)
		if check != nil {
			check(u, r)
		}
		for _, m := range re.FindAllStringSubmatch(r.Body, -1) {
			if l := html.UnescapeString(m[1]); (follow == nil || follow(u, l)) && !seen[l] {
				todo = append(todo, l)
			}
		}
	}
	return seen
}
