package settlement

import (
	"context"
	"time"

	"github.com/tongpei/tongpei/internal/errs"
)

// Statement is one account's month: what it owed at the start, every line
// posted to it in the month with the running balance, and what it owes at
// the end. A positive balance is owed by the holder, a negative one to it.
type Statement struct {
	Account    string          `json:"account"`
	Kind       string          `json:"kind"`
	Party      string          `json:"party"`
	Month      string          `json:"month"` // YYYY-MM
	OpeningFen int64           `json:"opening_fen"`
	DebitsFen  int64           `json:"debits_fen"`
	CreditsFen int64           `json:"credits_fen"`
	ClosingFen int64           `json:"closing_fen"`
	Lines      []StatementLine `json:"lines"`
}

// StatementLine is one line of a statement, traceable to its entry.
type StatementLine struct {
	Date       string `json:"date"`
	Entry      int64  `json:"entry"`
	Kind       string `json:"kind"`
	Source     string `json:"source"`
	Memo       string `json:"memo"`
	Detail     string `json:"detail"`
	AmountFen  int64  `json:"amount_fen"`
	BalanceFen int64  `json:"balance_fen"`
	// Memo and Detail are Chinese; these the same in English.
	MemoEn   string `json:"memo_en"`
	DetailEn string `json:"detail_en"`
}

// StatementFilter picks the accounts of a statement request; an empty Kind
// means every account with something in or before the month.
type StatementFilter struct {
	Month string // YYYY-MM
	Kind  string
	Party string
}

// monthBounds reads YYYY-MM.
func monthBounds(month string) (string, string, error) {
	t, err := time.Parse("2006-01", month)
	if err != nil {
		return "", "", errs.E(errs.Invalid, "month must be YYYY-MM, not %q", month)
	}
	return t.Format(time.DateOnly), t.AddDate(0, 1, 0).Format(time.DateOnly), nil
}

// Statements answers the month's statements of the accounts f selects.
func (l *Ledger) Statements(ctx context.Context, f StatementFilter) ([]Statement, error) {
	from, to, err := monthBounds(f.Month)
	if err != nil {
		return nil, err
	}
	if f.Kind != "" && f.Kind != KindCarrier && f.Kind != KindOperator && f.Kind != KindKeeper {
		return nil, errs.E(errs.Invalid, "account kind must be carrier, operator or keeper, not %q", f.Kind)
	}
	accounts, err := l.accountsOf(ctx, f.Kind, f.Party, to)
	if err != nil {
		return nil, err
	}
	if len(accounts) == 0 && f.Kind != "" {
		accounts = []accountRow{{Code: AccountCode(f.Kind, f.Party), Kind: f.Kind, Party: f.Party}}
	}
	out := make([]Statement, 0, len(accounts))
	for _, a := range accounts {
		st := Statement{Account: a.Code, Kind: a.Kind, Party: a.Party, Month: f.Month, Lines: []StatementLine{}}
		st.OpeningFen, err = l.balanceBefore(ctx, a.Code, from)
		if err != nil {
			return nil, err
		}
		st.Lines, err = l.linesBetween(ctx, a.Code, from, to)
		if err != nil {
			return nil, err
		}
		bal := st.OpeningFen
		for i := range st.Lines {
			amt := st.Lines[i].AmountFen
			bal += amt
			st.Lines[i].BalanceFen = bal
			if amt > 0 {
				st.DebitsFen += amt
			} else {
				st.CreditsFen -= amt
			}
		}
		st.ClosingFen = bal
		out = append(out, st)
	}
	return out, nil
}

// TrialBalance is every account's balance; in double entry they sum to zero.
type TrialBalance struct {
	Accounts []AccountBalance `json:"accounts"`
	SumFen   int64            `json:"sum_fen"`
	Balanced bool             `json:"balanced"`
	Entries  int              `json:"entries"`
}

// AccountBalance is one account's balance in a trial balance.
type AccountBalance struct {
	Account    string `json:"account"`
	BalanceFen int64  `json:"balance_fen"`
}

// Balances is the trial balance of the whole ledger.
func (l *Ledger) Balances(ctx context.Context) (TrialBalance, error) {
	tb, err := l.trialBalance(ctx)
	if err != nil {
		return tb, err
	}
	for _, a := range tb.Accounts {
		tb.SumFen += a.BalanceFen
	}
	tb.Balanced = tb.SumFen == 0
	return tb, nil
}
