package stations

import (
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/tongpei/tongpei/internal/auth"
	"github.com/tongpei/tongpei/internal/errs"
)

// Merchant is an e-commerce firm that ships through the county centre and
// may be certified for the unified farm-produce price.
type Merchant struct {
	// ID is assigned by the registry (M00001, …): a firm's credit code is
	// its legal identity, but the id is what tokens and parcels refer to.
	ID         string `json:"id"`
	Name       string `json:"name"`
	CreditCode string `json:"credit_code"`
	// RegisteredInCounty matters for the plan's rewards, which go to firms
	// registered in Xinping.
	RegisteredInCounty bool     `json:"registered_in_county"`
	Contact            Contact  `json:"contact"`
	Categories         []string `json:"categories"`
	Active             bool     `json:"active"`
}

// Contact is who to call at a firm.
type Contact struct {
	Name  string `json:"name"`
	Phone string `json:"phone"`
}

// MerchantChange holds the fields a client sends to create or change a
// merchant; a nil field is one it did not send. Contact and categories
// are replaced whole. To create, name and credit code are required.
type MerchantChange struct {
	Name               *string   `json:"name"`
	CreditCode         *string   `json:"credit_code"`
	RegisteredInCounty *bool     `json:"registered_in_county"`
	Contact            *Contact  `json:"contact"`
	Categories         *[]string `json:"categories"`
	Active             *bool     `json:"active"`
}

func (ch MerchantChange) newMerchant(bad *errs.Fields) Merchant {
	m := Merchant{Categories: []string{}, Active: true}
	ch.apply(&m)
	m.validate(bad)
	return m
}

func (ch MerchantChange) apply(m *Merchant) {
	if ch.Name != nil {
		m.Name = strings.TrimSpace(*ch.Name)
	}
	if ch.CreditCode != nil {
		// Codes are printed in capitals; accepting lower case and spaces
		// around it spares clerks a pointless error.
		m.CreditCode = strings.ToUpper(strings.TrimSpace(*ch.CreditCode))
	}
	if ch.RegisteredInCounty != nil {
		m.RegisteredInCounty = *ch.RegisteredInCounty
	}
	if ch.Contact != nil {
		m.Contact = Contact{Name: strings.TrimSpace(ch.Contact.Name), Phone: strings.TrimSpace(ch.Contact.Phone)}
	}
	if ch.Categories != nil {
		m.Categories = slices.Clone(*ch.Categories)
	}
	if ch.Active != nil {
		m.Active = *ch.Active
	}
}

func (m *Merchant) validate(bad *errs.Fields) {
	checkName(bad, "name", m.Name)
	if m.CreditCode == "" {
		bad.Add("credit_code", "is required: the firm's 18-character 统一社会信用代码")
	} else if p := creditCodeProblem(m.CreditCode); p != "" {
		bad.Add("credit_code", "%s", p)
	}
	checkPerson(bad, "contact", m.Contact.Name, m.Contact.Phone)
	if len(m.Categories) > 20 {
		bad.Add("categories", "lists %d categories; at most 20", len(m.Categories))
	}
	seen := map[string]bool{}
	for _, c := range m.Categories {
		switch {
		case strings.TrimSpace(c) == "" || utf8.RuneCountInString(c) > 32:
			bad.Add("categories", "each category must be 1 to 32 characters, e.g. farm_produce or 柑橘")
		case seen[c]:
			bad.Add("categories", "%q is listed twice", c)
		}
		seen[c] = true
	}
}

// canReadMerchant says whether viewer may see merchant id: the county
// centre sees every firm, a firm sees itself, nobody else sees firms.
func canReadMerchant(viewer auth.Principal, id string) error {
	switch {
	case viewer.IsAdmin(), viewer.Is(auth.Merchant, id):
		return nil
	case viewer.Role == auth.Merchant:
		return errs.E(errs.Forbidden, "a merchant token may read only its own merchant (%s)", viewer.Scope)
	}
	return errs.E(errs.Forbidden, "a %s token may not read merchants; merchant records are for the county centre and the firm itself", viewer.Role)
}
