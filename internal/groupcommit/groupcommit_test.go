package groupcommit_test

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/hutong-gov/hutong/internal/groupcommit"
)

// TestRounds holds the first round of a key while callers queue behind it:
// the next rounds take them all, at most max at a time; every caller gets
// its own item's result; another key's round runs meanwhile.
func TestRounds(t *testing.T) {
	const callers, max = 50, 20
	var mu sync.Mutex
	rounds := map[string][]int{} // sizes by key
	release := make(chan struct{})
	held := make(chan struct{})
	first := true
	g := groupcommit.New(max, time.Minute, func(_ context.Context, k string, items []int) []int {
		mu.Lock()
		rounds[k] = append(rounds[k], len(items))
		hold := k == "a" && first
		first = first && k != "a"
		mu.Unlock()
		if hold {
			close(held)
			<-release
		}
		out := make([]int, len(items))
		for i, v := range items {
			out[i] = v * 10
		}
		return out
	})

	var wg sync.WaitGroup
	wg.Go(func() {
		if r := g.Do("a", -1); r != -10 {
			t.Errorf("first caller got %d", r)
		}
	})
	<-held
	results := make([]int, callers)
	for i := range callers {
		wg.Go(func() { results[i] = g.Do("a", i) })
	}
	for _, waiting := g.Queue("a"); waiting < callers; _, waiting = g.Queue("a") {
		time.Sleep(time.Millisecond)
	}
	if r := g.Do("b", 7); r != 70 {
		t.Errorf("another key while a round of the first runs: %d", r)
	}
	close(release)
	wg.Wait()

	for i, r := range results {
		if r != i*10 {
			t.Errorf("caller %d got %d", i, r)
		}
	}
	if got := rounds["a"]; len(got) != 4 || got[0] != 1 || got[1] != max || got[2] != max || got[3] != callers-2*max {
		t.Errorf("rounds of a: %v, want [1 %d %d %d]", got, max, max, callers-2*max)
	}
	if leading, waiting := g.Queue("a"); leading || waiting != 0 {
		t.Errorf("after the last round: leading %v, %d waiting", leading, waiting)
	}
}

// TestManyCallers runs callers that each bring many items, without a
// bound on rounds: every result comes back to its own caller.
func TestManyCallers(t *testing.T) {
	g := groupcommit.New(0, time.Minute, func(_ context.Context, _ struct{}, items [][2]int) []int {
		out := make([]int, len(items))
		for i, it := range items {
			out[i] = it[0]*1000 + it[1]
		}
		return out
	})
	var wg sync.WaitGroup
	for c := range 16 {
		wg.Go(func() {
			for i := range 200 {
				if r := g.Do(struct{}{}, [2]int{c, i}); r != c*1000+i {
					t.Errorf("caller %d item %d got %d", c, i, r)
					return
				}
			}
		})
	}
	wg.Wait()
}
