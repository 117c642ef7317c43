package auth

import (
	"net/http"
	"time"
)

// anonymousBodyTime is how long an anonymous request's body (a login's)
// may take to arrive, from when its headers have: the server's read
// timeout, minutes for the staff's forms and JSON bodies (uploads get
// LongRequest), let anyone hold a connection and a goroutine that long
// per request by sending a byte now and then.
var anonymousBodyTime = 30 * time.Second

// limitBodyTime gives the body of r, a request without a principal,
// anonymousBodyTime to arrive: a read past it fails, and the handler
// answers it as a body that did not arrive whole. net/http lifts the
// deadline once the body has been read whole (its read of the connection
// after the body begins without one), so that a handler still at work
// keeps its request. A writer that cannot set it (a test's recorder)
// leaves the server's timeout.
func limitBodyTime(w http.ResponseWriter, r *http.Request) {
	if r.Body == nil || r.Body == http.NoBody {
		return
	}
	_ = http.NewResponseController(w).SetReadDeadline(time.Now().Add(anonymousBodyTime))
}
