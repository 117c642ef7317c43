package web

import (
	"context"
	"crypto/rand"
	"net/url"
	"sync"
	"time"

	"github.com/hutong-gov/hutong/internal/org"
)

// createForms remembers, for org.RepeatWindow, what each create form
// made, by the random form_id the form carries and the account that sent
// it: the same form sent again (a second click on a slow link, whose first
// answer the browser dropped) is answered with the object the first made,
// not with the refusal of its name as taken, as a password change sent
// again is (org.RepeatWindow). It lives in the process: a repeat reaches
// the server that answered the first.
type createForms struct {
	mu   sync.Mutex
	sent map[createFormKey]*createdByForm
}

type createFormKey struct {
	user int64
	form string
}

// createdByForm is what the first submission of a form made: ID is 0
// until it is done (done closed), and stays 0 when it made nothing.
type createdByForm struct {
	done chan struct{}
	at   time.Time
	ID   int64
	Name string
}

// newFormID returns a create form's form_id, formIDLen characters of the
// base32 alphabet.
func newFormID() string { return rand.Text() }

// formIDLen is the length of rand.Text's strings.
const formIDLen = 26

// readFormID returns the form_id a create form was sent with, or "" (no
// form_id) when it is not of newFormID's shape: a form_id is remembered
// for org.RepeatWindow and shown again in the form, and one of another
// length or other characters was made by no form of Hutong.
func readFormID(form url.Values) string {
	id := form.Get("form_id")
	if len(id) != formIDLen {
		return ""
	}
	for _, c := range []byte(id) {
		if (c < 'A' || c > 'Z') && (c < '2' || c > '7') {
			return ""
		}
	}
	return id
}

// claim returns, for a form the account user sends with form_id form, nil
// and a finish to call with what it made (0 for nothing) when this is the
// form's first submission, or what the first made: it waits for the first
// to finish. A form with no form_id (one served before the forms carried
// it) is always first.
func (c *createForms) claim(ctx context.Context, user int64, form string, now time.Time) (*createdByForm, func(id int64, name string), error) {
	if form == "" {
		return nil, func(int64, string) {}, nil
	}
	key := createFormKey{user, form}
	for {
		c.mu.Lock()
		if c.sent == nil {
			c.sent = map[createFormKey]*createdByForm{}
		}
		for k, s := range c.sent {
			if now.Sub(s.at) > org.RepeatWindow {
				delete(c.sent, k)
			}
		}
		first, ok := c.sent[key]
		if !ok {
			mine := &createdByForm{done: make(chan struct{}), at: now}
			c.sent[key] = mine
			c.mu.Unlock()
			return nil, func(id int64, name string) {
				c.mu.Lock()
				mine.ID, mine.Name = id, name
				if id == 0 {
					delete(c.sent, key) // made nothing: the form may be sent again as new
				}
				c.mu.Unlock()
				close(mine.done)
			}, nil
		}
		c.mu.Unlock()
		select {
		case <-first.done:
		case <-ctx.Done():
			return nil, nil, ctx.Err()
		}
		c.mu.Lock()
		id, name := first.ID, first.Name
		c.mu.Unlock()
		if id != 0 {
			return &createdByForm{ID: id, Name: name}, nil, nil
		}
	}
}
