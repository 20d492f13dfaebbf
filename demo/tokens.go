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

// Tokens makes one new token per role, bound to demonstration records. Only
// hashes are stored, so earlier tokens cannot be shown again; each start
// makes new ones (named "demo") and earlier ones keep working.
func Tokens(ctx context.Context, tokens *auth.Store, reg *stations.Registry) ([]Token, error) {
	m, err := reg.MerchantByCreditCode(ctx, MerchantCreditCode)
	if err != nil {
		return nil, fmt.Errorf("demonstration merchant: %w; run demo.Load first", err)
	}
	want := []Token{
		{Role: auth.Admin},
		{Role: auth.Keeper, Scope: KeeperStation},
		{Role: auth.Carrier, Scope: CarrierCode},
		{Role: auth.Merchant, Scope: m.ID},
	}
	for i, t := range want {
		if err := reg.CheckScope(ctx, t.Role, t.Scope); err != nil {
			return nil, fmt.Errorf("demonstration %s token: %w; run demo.Load first", t.Role, err)
		}
		secret, _, err := tokens.Create(ctx, t.Role, t.Scope, "demo")
		if err != nil {
			return nil, err
		}
		want[i].Secret = secret
	}
	return want, nil
}
