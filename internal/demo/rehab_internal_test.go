package demo

import (
	"testing"
	"time"
)

// TestAutismTraining: 孤独症儿童康复训练, rehabilitation training of
// autistic children, is given to children under 14 on the day of the
// service, and to some; the other services to persons of any age. It was
// drawn for anyone, most of them adults, and the services began at 16.
func TestAutismTraining(t *testing.T) {
	e := entryOf(t, "残疾人康复服务信息")
	children, autism := 0, 0
	for n := 0; n < DemoPersons; n += 3 {
		if !hasRecord(e, n, asOf) {
			continue
		}
		id := PersonID(n)
		v := ValuesAsOf(e, id, n, asOf)
		on, err := time.Parse("2006-01-02", v["服务日期"])
		if err != nil {
			t.Fatalf("person %d: 服务日期 %q", n, v["服务日期"])
		}
		s := newSubj(e.Name, e.SubjectKind, id, n, asOf)
		if s.age(on) < 14 {
			children++
		}
		if v["康复服务项目"] == "孤独症儿童康复训练" {
			autism++
			if s.age(on) >= 14 {
				t.Errorf("person %d born %s: 孤独症儿童康复训练 on %s, at %d", n, day(s.birth), day(on), s.age(on))
			}
		}
	}
	if children == 0 || autism == 0 {
		t.Errorf("%d services to children, %d of autism training; want some", children, autism)
	}
}
