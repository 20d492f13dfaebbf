package demo

import (
	"context"
	"fmt"

	"github.com/tongpei/tongpei/internal/auth"
	"github.com/tongpei/tongpei/stations"
)

// The scopes the demonstration tokens are bound to: a village station in
// the Red River valley, the postal express company, and the citrus
// cooperative (found by its credit code, since merchant ids are assigned).
const (
	KeeperStation      = "XP-V-0401"
	CarrierCode        = "EMS"
	MerchantCreditCode = "93530427MA6K1C3E84"
)

// Token is one freshly made demonstration token.
type Token struct {
	Role   auth.Role
	Scope  string // empty for admin
	Secret string
}

// String is the line `tongpei serve --demo` prints:
// "token <role> <scope> <secret>", with "-" as the admin's scope so that
// every line has four fields.
func (t Token) String() string {
	scope := t.Scope
	if scope == "" {
		scope = "-"
	}
	return fmt.Sprintf("token %s %s %s", t.Role, scope, t.Secret)
}

// Tokens answers one token per role, bound to demonstration records. The
// secrets are derived from key, the database's demonstration key (Key), so
// every start prints the same tokens and adds nothing: a second
// `serve --demo` changes nothing.
func Tokens(ctx context.Context, key []byte, tokens *auth.Store, reg *stations.Registry) ([]Token, error) {
	m, err := reg.MerchantByCreditCode(ctx, MerchantCreditCode)
	if err != nil {
		return nil, fmt.Errorf("demonstration merchant: %w; run demo.LoadRegistry first", err)
	}
	want := []Token{
		{Role: auth.Admin},
		{Role: auth.Keeper, Scope: KeeperStation},
		{Role: auth.Carrier, Scope: CarrierCode},
		{Role: auth.Merchant, Scope: m.ID},
	}
	for i, t := range want {
		if err := reg.CheckScope(ctx, t.Role, t.Scope); err != nil {
			return nil, fmt.Errorf("demonstration %s token: %w; run demo.LoadRegistry first", t.Role, err)
		}
		secret := auth.DeriveSecret(key, string(t.Role)+"|"+t.Scope)
		stored, err := tokens.Ensure(ctx, secret, t.Role, t.Scope, "demo")
		if err != nil {
			return nil, err
		}
		if stored.RevokedAt != nil {
			return nil, fmt.Errorf("the demonstration %s token was revoked; make one with `tongpei token create --role %s`", t.Role, t.Role)
		}
		want[i].Secret = secret
	}
	return want, nil
}
