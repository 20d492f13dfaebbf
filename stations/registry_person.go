package stations

import (
	"context"
	"fmt"

	"github.com/tongpei/tongpei/internal/auth"
)

// PersonOf names the person a sign-in link for role and scope most likely
// means when its issuer named nobody: the station's registered keeper, the
// merchant's contact, or failing those the role and scope themselves.
func (r *Registry) PersonOf(ctx context.Context, role auth.Role, scope string) string {
	admin := auth.Principal{Role: auth.Admin}
	switch role {
	case auth.Keeper:
		if s, err := r.Station(ctx, admin, scope); err == nil && s.Keeper.Name != "" {
			return s.Keeper.Name
		}
	case auth.Merchant:
		if m, err := r.Merchant(ctx, admin, scope); err == nil && m.Contact.Name != "" {
			return m.Contact.Name
		}
	case auth.Admin:
		return "admin"
	}
	return fmt.Sprintf("%s %s", role, scope)
}
