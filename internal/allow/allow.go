// Package allow tells the methods a path is routed for: the Allow header
// of a 405 answer, for the API's and the console's catch-alls alike, read
// from the ServeMux the routes are registered in rather than from a copy
// of them.
package allow

import (
	"net/http"
	"strings"
)

// probed are the methods Methods asks about, in the order it lists them.
var probed = []string{"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE"}

// Methods returns the methods mux routes r's path for with a pattern that
// names its method ("GET /login"; a GET pattern serves HEAD too), none
// when the path has no such route. A pattern that names no method (a
// catch-all, "/") takes any method and says nothing of the path: a request
// it serves is of a path that exists only if another method's pattern
// routes it.
func Methods(mux *http.ServeMux, r *http.Request) []string {
	var allow []string
	for _, m := range probed {
		probe := r.Clone(r.Context())
		probe.Method = m
		if _, pattern := mux.Handler(probe); strings.Contains(pattern, " ") {
			allow = append(allow, m)
		}
	}
	return allow
}
