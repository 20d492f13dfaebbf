package auth_test

import (
	"context"
	"testing"
	"time"

	"github.com/tongpei/tongpei/internal/auth"
	"github.com/tongpei/tongpei/internal/errs"
	"github.com/tongpei/tongpei/internal/pg/pgtest"
)

// A cached token answers without PostgreSQL, and a revocation through the
// same store ends it at once, cache or not.
func TestTokenCache(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	pool := pgtest.Pool(t)
	s := auth.NewStore(pool)
	s.CacheTokens(time.Minute)
	secret, tok, err := s.Create(ctx, auth.Keeper, "XP-V-0101", "cache test")
	if err != nil {
		t.Fatal(err)
	}
	p, err := s.Authenticate(ctx, secret)
	if err != nil || p.Scope != "XP-V-0101" || p.Role != auth.Keeper {
		t.Fatalf("Authenticate = %+v, %v", p, err)
	}
	// From the cache: the row is gone behind the store's back.
	if _, err := pool.Exec(ctx, `UPDATE api_tokens SET scope = 'changed' WHERE id = $1`, tok.ID); err != nil {
		t.Fatal(err)
	}
	if p, err := s.Authenticate(ctx, secret); err != nil || p.Scope != "XP-V-0101" {
		t.Fatalf("cached Authenticate = %+v, %v", p, err)
	}
	if err := s.Revoke(ctx, tok.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Authenticate(ctx, secret); !errs.Is(err, errs.Unauthorized) {
		t.Fatalf("after Revoke: %v, want unauthorized", err)
	}
}
