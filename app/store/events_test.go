package store

import (
	"context"
	"testing"

	"gorm.io/gorm"
)

// Emit writes every field; an actor of 0 is stored as NULL.
func TestEmitFields(t *testing.T) {
	s := openTest(t)
	ctx := context.Background()
	var ids [2]int64
	err := s.Tx(ctx, func(tx *gorm.DB) (err error) {
		if ids[0], err = Emit(tx, "a.b", ScopePublic, 0, "x:1", map[string]int{"n": 1}); err != nil {
			return err
		}
		ids[1], err = Emit(tx, "c.d", ForumScope(3), 7, "x:2", []string{"y"})
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := Emit(s.W, "e.f", "nonsense", 0, "", nil); err == nil {
		t.Fatal("a bad scope was accepted")
	}
	a, err := s.EventByID(ctx, ids[0])
	if err != nil {
		t.Fatal(err)
	}
	b, err := s.EventByID(ctx, ids[1])
	if err != nil {
		t.Fatal(err)
	}
	if a.Type != "a.b" || a.Scope != "public" || a.ActorID != nil || a.Subject != "x:1" || a.Payload != `{"n":1}` || a.CreatedAt.IsZero() {
		t.Fatalf("first event %+v", a)
	}
	if b.ID <= a.ID || b.Scope != "forum:3" || b.ActorID == nil || *b.ActorID != 7 || b.Payload != `["y"]` {
		t.Fatalf("second event %+v", b)
	}
}
