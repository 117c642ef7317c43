package demo

import "testing"

// TestMiswritten: every demo person's and company's name has a variant
// that differs from it as real sources' do, never the placeholder 某: a
// homophone for every character a given name may end in, a company name
// without its city.
func TestMiswritten(t *testing.T) {
	for _, c := range append(append([]rune(nil), maleGiven...), femaleGiven...) {
		if _, ok := homophones[c]; !ok {
			t.Errorf("no homophone of %c", c)
		}
	}
	for n := range 2000 {
		for _, name := range []string{personName(n), companyName(n)} {
			if v := miswritten(name); v == name || []rune(v)[len([]rune(v))-1] == '某' {
				t.Errorf("%s written otherwise: %s", name, v)
			}
		}
	}
}
